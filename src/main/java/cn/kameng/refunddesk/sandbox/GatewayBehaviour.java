package cn.kameng.refunddesk.sandbox;

/** How the sandbox gateway treats refunds of one order. */
public enum GatewayBehaviour {
    /** Accepts, then settles in full and notifies once. */
    SUCCEED,
    /** Accepts, then fails (no money moves). */
    FAIL,
    /** Never answers: every request times out, so the job's retries run out into an incident. */
    TIMEOUT,
    /** Takes the refund but the first answer is lost; a retry with the same key finds it. */
    TIMEOUT_ONCE,
    /** WeChat Pay ABNORMAL: the buyer's bank card refused the money. */
    ABNORMAL,
    /** Settles in full and notifies twice. */
    NOTIFY_TWICE,
    /** Settles 1% short (a fee deducted). */
    SHORT,
    /** Accepts and never settles or notifies: the arrival deadline passes. */
    NEVER_SETTLE
}
