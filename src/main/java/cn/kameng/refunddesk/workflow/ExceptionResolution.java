package cn.kameng.refunddesk.workflow;

/** How finance resolves a refund exception (resolveRefundException.form's {@code exceptionResolution}). */
public enum ExceptionResolution {
    /** Follow the same refund again: same key, a new arrival window. */
    RETRY("按原退款重试"),
    /** A new refund to the buyer's platform balance, allowed only when the first moved no money. */
    REFUND_TO_BALANCE("改退到平台余额"),
    /** Settled outside the gateway, once it has given its final answer. */
    RESOLVED_MANUALLY("已在渠道外处理");

    private final String label;

    ExceptionResolution(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
