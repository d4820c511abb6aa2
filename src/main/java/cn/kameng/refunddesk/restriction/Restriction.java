package cn.kameng.refunddesk.restriction;

import java.time.Instant;

/** A customer's account restricted after a ruling of forged evidence in {@code disputeId}. */
public record Restriction(long id, String customerId, String disputeId, String reason, Instant createdAt,
        RestrictionStatus status, String contestStatement, Instant contestedAt, String decidedBy, Instant decidedAt,
        String decisionNote) {
}
