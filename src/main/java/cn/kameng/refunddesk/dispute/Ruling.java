package cn.kameng.refunddesk.dispute;

/** The arbiter's ruling (arbitrateDispute.form's {@code ruling}, column ruling). */
public enum Ruling {
    REFUND_FULL,
    REFUND_PARTIAL,
    REJECT,
    REQUEST_EVIDENCE,
    FRAUDULENT_EVIDENCE
}
