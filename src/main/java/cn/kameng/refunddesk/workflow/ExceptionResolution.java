package cn.kameng.refunddesk.workflow;

/** How finance resolves a refund exception (resolveRefundException.form's {@code exceptionResolution}). */
public enum ExceptionResolution {
    /** Follow the same refund again: same key, a new arrival window. */
    RETRY,
    /** A new refund to the buyer's platform balance, allowed only when the first moved no money. */
    REFUND_TO_BALANCE,
    /** Settled outside the gateway, once it has given its final answer. */
    RESOLVED_MANUALLY
}
