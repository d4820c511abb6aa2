package cn.kameng.refunddesk.complaint;

import java.time.Instant;

public record Complaint(String id, ComplaintChannel channel, String externalId, String orderId, String disputeId,
        String summary, String status, String outcome, String response, String handledBy, Instant dueAt,
        Instant receivedAt, Instant answeredAt) {
}
