package cn.kameng.refunddesk.ledger;

/** Finance's decision on a receivable (recoverReceivable.form's {@code recoveryDecision}). */
public enum RecoveryDecision {
    /** The merchant paid back (part of) what the fund advanced: a recovery entry for the amount. */
    RECOVERED,
    /** Nothing more will come back: the rest is moved to the platform's loss (WRITTEN_OFF), with a reason. */
    WRITTEN_OFF
}
