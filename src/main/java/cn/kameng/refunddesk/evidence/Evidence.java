package cn.kameng.refunddesk.evidence;

import java.time.Instant;
import java.time.LocalDateTime;

import cn.kameng.refunddesk.dispute.Party;

/**
 * One piece of evidence: who gave it (party CUSTOMER, MERCHANT, or PLATFORM for records the platform
 * attached itself), its type as detected from the bytes, and its SHA-256 fingerprint. {@code capturedAt}
 * is a photo's EXIF capture time in the camera's local time, null when the file has none.
 */
public record Evidence(String id, String disputeId, Party party, String uploadedBy, EvidenceKind kind,
        String fileName, String contentType, long sizeBytes, String sha256, Instant uploadedAt,
        LocalDateTime capturedAt, Instant tamperedAt) {

    public String partyLabel() {
        return party.label();
    }
}
