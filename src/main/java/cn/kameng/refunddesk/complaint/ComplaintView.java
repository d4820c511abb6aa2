package cn.kameng.refunddesk.complaint;

import java.time.Instant;

import cn.kameng.refunddesk.calendar.Deadlines;
import cn.kameng.refunddesk.dispute.ComplaintChannel;

/** A complaint as the API shows it, alone or in its dispute. */
public record ComplaintView(String id, ComplaintChannel channel, String externalId, ComplaintStatus status,
        ComplaintOutcome outcome, Instant dueAt, Deadlines.CountedOn dueCountedOn, Instant receivedAt, Instant answeredAt) {

    public static ComplaintView of(Complaint c) {
        return new ComplaintView(c.id(), c.channel(), c.externalId(), c.status(), c.outcome(), c.dueAt(),
                c.countedOn(), c.receivedAt(), c.answeredAt());
    }
}
