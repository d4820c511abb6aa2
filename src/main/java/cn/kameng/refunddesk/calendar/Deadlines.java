package cn.kameng.refunddesk.calendar;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.ComplaintChannel;
import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.order.PaymentChannel;

/**
 * Computes a step's deadline from the configured SLA and records it on the dispute, so that the
 * timer or due date in the BPMN and the {@code deadlines} of the API are one and the same instant.
 * The BPMN reaches it through the engine adapter's {@code ${deadlines.at(execution, 'MERCHANT_REPLY')}}.
 */
@Component("disputeDeadlines")
public class Deadlines {

    private final SlaProperties sla;
    private final WorkingDays workingDays;
    private final JdbcClient jdbc;
    private final SlaOutcomes outcomes;

    Deadlines(SlaProperties sla, WorkingDays workingDays, JdbcClient jdbc, SlaOutcomes outcomes) {
        this.outcomes = outcomes;
        this.sla = sla;
        this.workingDays = workingDays;
        this.jdbc = jdbc;
    }

    /** A step starts now: its deadline of {@code kind} for the dispute, computed, recorded and returned. */
    public Instant start(String disputeId, DeadlineKind kind) {
        Sla basis = slaFor(disputeId, kind);
        Instant start = ServiceClock.now();
        Instant due = after(start, basis);
        record(disputeId, kind, start, due, basis);
        return due;
    }

    /** How a deadline was counted: calendar time, working days on the official calendar, or Monday to Friday. */
    public enum CountedOn {
        CALENDAR_TIME,
        OFFICIAL_CALENDAR,
        /** A year the official calendar does not have yet: counted Monday to Friday, recounted when it arrives. */
        MONDAY_TO_FRIDAY
    }

    /** One running deadline as the API shows it beside the instant. */
    public record Detail(Instant dueAt, String sla, CountedOn countedOn, String note) {
    }

    /** The instant an SLA ends when it starts at {@code start}. */
    public Instant after(Instant start, Sla duration) {
        return duration.inWorkingDays()
                ? workingDays.plusWorkingDays(start, duration.workingDays())
                : start.plus(duration.calendarTime());
    }

    /** How a deadline from {@code start} to {@code due} under {@code basis} is counted. */
    public CountedOn countedOn(Instant start, Instant due, Sla basis) {
        if (!basis.inWorkingDays()) {
            return CountedOn.CALENDAR_TIME;
        }
        return workingDays.isOfficial(start, due) ? CountedOn.OFFICIAL_CALENDAR : CountedOn.MONDAY_TO_FRIDAY;
    }

    void record(String disputeId, DeadlineKind kind, Instant start, Instant due, Sla basis) {
        jdbc.sql("delete from dispute_deadline where dispute_id = ? and kind = ?")
                .params(disputeId, kind.name()).update();
        jdbc.sql("insert into dispute_deadline (dispute_id, kind, due_at, basis, started_at, counted_on) values (?, ?, ?, ?, ?, ?)")
                .params(disputeId, kind.name(), Timestamp.from(due), basis.toString(), Timestamp.from(start),
                        countedOn(start, due, basis).name()).update();
    }

    /** The refund starts: whatever the dispute waited for before (a reply, a review, proof) is over. */
    public void clearAll(String disputeId) {
        Instant now = ServiceClock.now();
        of(disputeId).forEach((kind, due) -> outcomes.stepEnded(DeadlineKind.valueOf(kind), due, now));
        jdbc.sql("delete from dispute_deadline where dispute_id = ?").param(disputeId).update();
    }

    /**
     * Forgets a deadline once its step is over, so the API shows only the ones that still run; each one that was
     * running counts as met or missed for operations ({@link SlaOutcomes}).
     */
    public void clear(String disputeId, DeadlineKind... kinds) {
        Instant now = ServiceClock.now();
        Map<String, Instant> running = of(disputeId);
        for (DeadlineKind kind : kinds) {
            Instant due = running.get(kind.name());
            if (due == null) {
                continue;
            }
            outcomes.stepEnded(kind, due, now);
            jdbc.sql("delete from dispute_deadline where dispute_id = ? and kind = ?")
                    .params(disputeId, kind.name()).update();
        }
    }

    public Map<String, Instant> of(String disputeId) {
        Map<String, Instant> result = new LinkedHashMap<>();
        jdbc.sql("select kind, due_at from dispute_deadline where dispute_id = ? order by due_at")
                .param(disputeId)
                .query((rs, i) -> Map.entry(rs.getString(1), rs.getTimestamp(2).toInstant()))
                .list()
                .forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }

    /** The running deadlines with how each was counted; a Monday-to-Friday count carries a note saying why. */
    public Map<String, Detail> detailsOf(String disputeId) {
        Map<String, Detail> result = new LinkedHashMap<>();
        jdbc.sql("select kind, due_at, basis, counted_on from dispute_deadline where dispute_id = ? order by due_at")
                .param(disputeId)
                .query((rs, i) -> {
                    Instant due = rs.getTimestamp(2).toInstant();
                    CountedOn counted = CountedOn.valueOf(rs.getString(4));
                    String note = counted == CountedOn.MONDAY_TO_FRIDAY
                            ? "the official calendar for " + due.atZone(ServiceClock.BEIJING).getYear() + " is not loaded yet:"
                                    + " counted Monday to Friday, and recounted when it is"
                            : null;
                    return Map.entry(rs.getString(1), new Detail(due, rs.getString(3), counted, note));
                })
                .list()
                .forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }

    Sla slaFor(String disputeId, DeadlineKind kind) {
        return switch (kind) {
            case MERCHANT_REPLY -> sla.merchantReply();
            case CUSTOMER_ACTION -> sla.customerAction();
            case REVIEW -> sla.reviewDue();
            case REVIEW_ESCALATION -> sla.reviewEscalation();
            case MERCHANT_PROOF -> sla.merchantProof();
            case ARBITRATION -> sla.arbitrationDue();
            case RULING_APPROVAL -> sla.rulingApprovalDue();
            case ADDITIONAL_EVIDENCE -> sla.additionalEvidence();
            case AUTO_CLOSE -> sla.autoCloseAfterRefund();
            case REFUND_EXCEPTION -> sla.refundExceptionDue();
            case RESTRICTION_REVIEW -> sla.restrictionReviewDue();
            case RECEIVABLE_RECOVERY -> sla.receivableRecoveryDue();
            case APPEAL_DECISION -> sla.appealDecision();
            case REFUND_ARRIVAL -> refundArrival(liveRefundChannel(disputeId));
        };
    }

    /** How long after a ruling the losing party may appeal it (dispute.sla.appeal-window). */
    public Sla appealWindow() {
        return sla.appealWindow();
    }

    /** Every channel has an entry: {@link SlaProperties} refuses to bind otherwise. */
    public Sla refundArrival(PaymentChannel channel) {
        return sla.refundArrival().get(channel.name());
    }

    /** Every channel has an entry: {@link SlaProperties} refuses to bind otherwise. */
    public Sla complaint(ComplaintChannel channel) {
        return sla.complaint().get(channel.name());
    }

    private PaymentChannel liveRefundChannel(String disputeId) {
        return jdbc.sql("select channel from refund where live_dispute_id = ?").param(disputeId)
                .query(String.class).optional().map(PaymentChannel::valueOf)
                .orElseThrow(() -> new IllegalStateException("dispute " + disputeId + " has no refund under way"));
    }

    /** The retry cycle of calls to payment gateways (the BPMN's {@code ${deadlines.refundRetryCycle}}). */
    public String refundRetryCycle() {
        return sla.refundRetryCycle();
    }
}
