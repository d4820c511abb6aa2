package cn.kameng.refunddesk.evidence;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Evidence files on disk, outside the web root, named by their SHA-256: the same bytes are stored
 * once and a stored file is never overwritten.
 */
@Component
class EvidenceStore {

    record Stored(String sha256, long size) {
    }

    private final Path root;

    EvidenceStore(@Value("${dispute.evidence.directory}") Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Stored store(InputStream content) {
        try {
            Files.createDirectories(root);
            Path temp = Files.createTempFile(root, "upload-", ".part");
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                long size;
                try (InputStream in = new DigestInputStream(content, sha)) {
                    size = Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                }
                String hash = HexFormat.of().formatHex(sha.digest());
                Path target = pathOf(hash);
                if (!Files.exists(target)) {
                    Files.createDirectories(target.getParent());
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                }
                return new Stored(hash, size);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not store evidence under " + root, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stored bytes, or null if the file is gone. */
    byte[] read(String sha256) {
        Path path = pathOf(sha256);
        try {
            return Files.exists(path) ? Files.readAllBytes(path) : null;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read evidence " + sha256, e);
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Path pathOf(String sha256) {
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }
}
