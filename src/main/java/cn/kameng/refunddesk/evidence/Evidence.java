package cn.kameng.refunddesk.evidence;

import java.time.Instant;

public record Evidence(String id, String disputeId, String party, String uploadedBy, EvidenceKind kind,
        String fileName, String contentType, long sizeBytes, String sha256, Instant uploadedAt) {
}
