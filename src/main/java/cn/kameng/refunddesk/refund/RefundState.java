package cn.kameng.refunddesk.refund;

/** Where a refund stands, in the gateways' common terms. */
public enum RefundState {
    /** Stored, not yet acknowledged by the gateway. */
    REQUESTED("已提交，渠道尚未受理"),
    /** The gateway took it; money not yet confirmed. */
    PROCESSING("渠道处理中"),
    SUCCEEDED("退款成功"),
    /** Refused; no money moved. */
    FAILED("渠道拒绝，未退款"),
    /** WeChat Pay ABNORMAL: the buyer's card refused it; the money must be sent again another way. */
    ABNORMAL("退款异常：买家银行卡拒收，须换一种方式退款"),
    /** Closed by the gateway without moving money. */
    CLOSED("渠道已关闭，未退款"),
    /** The gateway does not know the key (never received). */
    UNKNOWN("渠道查无此退款");

    private final String label;

    RefundState(String label) {
        this.label = label;
    }

    /** What staff read (the name stays the stored and sent spelling). */
    public String label() {
        return label;
    }

    public boolean final_() {
        return this == SUCCEEDED || this == FAILED || this == ABNORMAL || this == CLOSED;
    }

    /** A refund in these states moved no money, so another attempt may be made. */
    public boolean movedNoMoney() {
        return this == FAILED || this == ABNORMAL || this == CLOSED;
    }
}
