package cn.kameng.refunddesk.dispute;

import java.time.Instant;

public record Notification(long id, String disputeId, String recipient, String event, String message, Instant createdAt,
        int attempts) {
}
