package cn.kameng.refunddesk.complaint;

/**
 * The complaints group's answer (handleExternalComplaint.form's {@code complaintOutcome}), or
 * {@link #CLOSED_AT_CHANNEL}, which only the channel gives (ADR 0072).
 */
public enum ComplaintOutcome {
    /** The buyer is refunded: the dispute jumps to its refund, once per order. */
    REFUND("退款"),
    /** The earlier handling stands. */
    UPHOLD("维持原处理"),
    /** The channel closed the complaint before we answered; never a choice of the form. */
    CLOSED_AT_CHANNEL("渠道已结案");

    private final String label;

    ComplaintOutcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
