package cn.kameng.refunddesk.refund;

/** Where a refund stands, in the gateways' common terms. */
public enum RefundState {
    /** Stored, not yet acknowledged by the gateway. */
    REQUESTED,
    /** The gateway took it; money not yet confirmed. */
    PROCESSING,
    SUCCEEDED,
    /** Refused; no money moved. */
    FAILED,
    /** WeChat Pay ABNORMAL: the buyer's card refused it; the money must be sent again another way. */
    ABNORMAL,
    /** Closed by the gateway without moving money. */
    CLOSED,
    /** The gateway does not know the key (never received). */
    UNKNOWN;

    public boolean final_() {
        return this == SUCCEEDED || this == FAILED || this == ABNORMAL || this == CLOSED;
    }

    /** A refund in these states moved no money, so another attempt may be made. */
    public boolean movedNoMoney() {
        return this == FAILED || this == ABNORMAL || this == CLOSED;
    }
}
