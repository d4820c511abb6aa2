package cn.kameng.refunddesk.ledger;

/** Whose money a refund is (processes/refund-bearer.dmn's {@code bearer}). */
public enum Bearer {
    /** The merchant's deposit; what it cannot cover the fund pays first and recovers (先行赔付). */
    MERCHANT,
    /** The platform's compensation fund, nothing to recover (the platform's own mistake). */
    PLATFORM
}
