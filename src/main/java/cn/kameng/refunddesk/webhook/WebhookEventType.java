package cn.kameng.refunddesk.webhook;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import cn.kameng.refunddesk.appeal.AppealDecision;
import cn.kameng.refunddesk.dispute.Outcome;
import cn.kameng.refunddesk.dispute.Ruling;

/**
 * The catalogue of webhook events (docs/webhooks.md). The wire name never changes once published;
 * {@link #fromJournal} is the one place that says which journal entry of a dispute is which event.
 */
public enum WebhookEventType {
    DISPUTE_OPENED("dispute.opened"),
    MERCHANT_REPLY_DUE_SOON("dispute.merchant_reply_due_soon"),
    MERCHANT_ANSWERED("dispute.merchant_answered"),
    FORMAL_REQUEST_FILED("dispute.formal_request_filed"),
    REVIEW_DECIDED("dispute.review_decided"),
    ESCALATED("dispute.escalated"),
    IN_ARBITRATION("dispute.in_arbitration"),
    RULING_MADE("dispute.ruling_made"),
    EVIDENCE_REQUESTED("dispute.evidence_requested"),
    REFUND_REQUESTED("refund.requested"),
    REFUND_SETTLED("refund.settled"),
    REFUND_FAILED("refund.failed"),
    REFUND_EXCEPTION("refund.exception"),
    ARRIVAL_CONFIRMED("refund.arrival_confirmed"),
    DISPUTE_CLOSED("dispute.closed"),
    COMPLAINT_RECEIVED("complaint.received"),
    APPEAL_FILED("dispute.appeal_filed"),
    APPEAL_DECIDED("dispute.appeal_decided");

    /** A journal entry as an event: its type and what its data adds to the common fields. */
    record Mapped(WebhookEventType type, Map<String, String> extra) {
    }

    private final String wireName;

    WebhookEventType(String wireName) {
        this.wireName = wireName;
    }

    /** The stable name in the envelope's {@code type}, the {@code Kameng-Event-Type} header and the filters. */
    public String wireName() {
        return wireName;
    }

    public static Optional<WebhookEventType> byWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    /**
     * The event a journal entry of a dispute is, if any. Entries that are steps inside a moment (an
     * evidence check, a notification sent) or of other concerns (restrictions, dossiers) are none.
     */
    static Optional<Mapped> fromJournal(String kind) {
        Mapped mapped = switch (kind) {
            case "OPENED", "OPENED_BY_COMPLAINT" -> of(DISPUTE_OPENED);
            case "MERCHANT_ACCEPT", "MERCHANT_REFUSE", "MERCHANT_REPLACE" ->
                    of(MERCHANT_ANSWERED, "decision", kind.substring("MERCHANT_".length()));
            case "FORMAL_REQUEST" -> of(FORMAL_REQUEST_FILED);
            case "REVIEW_APPROVED" -> of(REVIEW_DECIDED, "decision", "APPROVE");
            case "REVIEW_REJECTED_BY" -> of(REVIEW_DECIDED, "decision", "REJECT");
            case "ESCALATED" -> of(ESCALATED);
            case "INTERVENTION_OPENED" -> of(IN_ARBITRATION);
            case "EVIDENCE_REQUESTED" -> of(EVIDENCE_REQUESTED);
            case "REFUND_STARTED" -> of(REFUND_REQUESTED);
            case "REFUND_SUCCEEDED" -> of(REFUND_SETTLED);
            case "REFUND_FAILED" -> of(REFUND_FAILED);
            case "REFUND_EXCEPTION" -> of(REFUND_EXCEPTION);
            case "ARRIVAL_CONFIRMED" -> of(ARRIVAL_CONFIRMED);
            case "EXTERNAL_COMPLAINT" -> of(COMPLAINT_RECEIVED);
            case "APPEAL_FILED" -> of(APPEAL_FILED);
            case "APPEAL_UPHELD" -> of(APPEAL_DECIDED, "decision", AppealDecision.UPHOLD.name());
            case "APPEAL_OVERTURNED" -> of(APPEAL_DECIDED, "decision", AppealDecision.OVERTURN.name());
            default -> suffixed(kind);
        };
        return Optional.ofNullable(mapped);
    }

    /** RULING_&lt;ruling&gt; (a request for evidence is {@link #EVIDENCE_REQUESTED}) and CLOSED_&lt;outcome&gt;. */
    private static Mapped suffixed(String kind) {
        for (Ruling ruling : Ruling.values()) {
            if (kind.equals("RULING_" + ruling.name()) && ruling != Ruling.REQUEST_EVIDENCE) {
                return of(RULING_MADE, "ruling", ruling.name());
            }
        }
        for (Outcome outcome : Outcome.values()) {
            if (kind.equals("CLOSED_" + outcome.name())) {
                return of(DISPUTE_CLOSED, "outcome", outcome.name());
            }
        }
        return null;
    }

    private static Mapped of(WebhookEventType type) {
        return new Mapped(type, Map.of());
    }

    private static Mapped of(WebhookEventType type, String key, String value) {
        return new Mapped(type, Map.of(key, value));
    }
}
