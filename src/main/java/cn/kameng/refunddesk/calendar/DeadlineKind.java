package cn.kameng.refunddesk.calendar;

/** The deadlines a dispute can have; each is shown in the API's {@code deadlines}. */
public enum DeadlineKind {
    MERCHANT_REPLY,
    CUSTOMER_ACTION,
    REVIEW,
    REVIEW_ESCALATION,
    MERCHANT_PROOF,
    ARBITRATION,
    RULING_APPROVAL,
    ADDITIONAL_EVIDENCE,
    REFUND_ARRIVAL,
    AUTO_CLOSE,
    REFUND_EXCEPTION,
    /** A contested account restriction, for the senior arbiters. */
    RESTRICTION_REVIEW,
    /** What the fund paid first for the merchant, for finance to recover or write off. */
    RECEIVABLE_RECOVERY,
    /** An appeal of a ruling, for an arbiter other than the one who ruled (appeal.bpmn). */
    APPEAL_DECISION
}
