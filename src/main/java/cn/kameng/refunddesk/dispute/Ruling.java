package cn.kameng.refunddesk.dispute;

/** The arbiter's ruling (arbitrateDispute.form's {@code ruling}, column ruling). */
public enum Ruling {
    REFUND_FULL("全额退款"),
    REFUND_PARTIAL("部分退款"),
    REJECT("驳回"),
    REQUEST_EVIDENCE("要求补充证据"),
    FRAUDULENT_EVIDENCE("伪造证据，驳回并限制账户");

    private final String label;

    Ruling(String label) {
        this.label = label;
    }

    /** What staff read (the name stays the stored and sent spelling). */
    public String label() {
        return label;
    }
}
