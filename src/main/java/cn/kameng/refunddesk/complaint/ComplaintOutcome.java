package cn.kameng.refunddesk.complaint;

/** The complaints group's answer (handleExternalComplaint.form's {@code complaintOutcome}). */
public enum ComplaintOutcome {
    /** The buyer is refunded: the dispute jumps to its refund, once per order. */
    REFUND("退款"),
    /** The earlier handling stands. */
    UPHOLD("维持原处理");

    private final String label;

    ComplaintOutcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
