package cn.kameng.refunddesk.complaint;

import java.time.Instant;

import cn.kameng.refunddesk.calendar.Deadlines.CountedOn;
import cn.kameng.refunddesk.dispute.ComplaintChannel;

/** An outside complaint; {@code countedOn} says how its answer deadline {@code dueAt} was counted. */
public record Complaint(String id, ComplaintChannel channel, String externalId, String orderId, String disputeId,
        String summary, ComplaintStatus status, ComplaintOutcome outcome, String response, String handledBy, Instant dueAt,
        Instant receivedAt, Instant answeredAt, CountedOn countedOn) {
}
