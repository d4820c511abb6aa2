package cn.kameng.refunddesk.evidence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Evidence files on disk under {@code dispute.evidence.directory} (outside the web root: nothing serves
 * that directory), as {@code <first two hex digits>/<sha256>}. A file is written to a temporary name and
 * linked into place, which never replaces; an existing file is left as it is.
 */
@Component
@ConditionalOnProperty(name = "dispute.evidence.storage", havingValue = "disk", matchIfMissing = true)
class DiskEvidenceStore implements EvidenceStore {

    private final Path root;

    DiskEvidenceStore(@Value("${dispute.evidence.directory}") Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public void put(String sha256, byte[] content) {
        Path target = pathOf(sha256);
        if (Files.exists(target)) {
            return;
        }
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), "upload-", ".part");
            try {
                Files.write(temp, content);
                // a hard link is made atomically and never replaces an existing name (a rename would)
                Files.createLink(target, temp);
            } catch (FileAlreadyExistsException alreadyThere) {
                // the same bytes arrived twice at once: the first one stays
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not store evidence under " + root, e);
        }
    }

    @Override
    public Optional<byte[]> get(String sha256) {
        Path path = pathOf(sha256);
        try {
            return Files.exists(path) ? Optional.of(Files.readAllBytes(path)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read evidence " + sha256, e);
        }
    }

    @Override
    public String describe() {
        return "disk " + root;
    }

    Path root() {
        return root;
    }

    Path pathOf(String sha256) {
        EvidenceStore.requireHash(sha256);
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }
}
