package cn.kameng.refunddesk.evidence;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Port: where evidence files live, addressed by the SHA-256 of their bytes. The same bytes are kept
 * once; a stored object is never overwritten or deleted by the service. Adapters: {@link DiskEvidenceStore}
 * (default, {@code dispute.evidence.storage=disk}) and {@link S3EvidenceStore} ({@code =s3}).
 */
public interface EvidenceStore {

    /** Keeps the bytes under their SHA-256 unless an object of that name is already there. */
    void put(String sha256, byte[] content);

    /** The stored bytes as they are now (the caller checks them against the recorded hash), or empty if gone. */
    Optional<byte[]> get(String sha256);

    /** Where the store keeps its objects, for the log and the dossier. */
    String describe();

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void requireHash(String sha256) {
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256 in lower-case hex: " + sha256);
        }
    }
}
