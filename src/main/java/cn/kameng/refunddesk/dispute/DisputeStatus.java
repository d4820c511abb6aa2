package cn.kameng.refunddesk.dispute;

public enum DisputeStatus {
    AWAITING_MERCHANT("等待商家答复"),
    AWAITING_OFFER_RESPONSE("等待买家回应部分退款"),
    AWAITING_REPLACEMENT_CONFIRMATION("等待买家确认补发"),
    MERCHANT_REFUSED("商家已拒绝"),
    UNDER_REVIEW("平台审核中"),
    REVIEW_REJECTED("审核未通过"),
    IN_ARBITRATION("平台仲裁中"),
    REFUNDING("退款中"),
    REFUND_EXCEPTION("退款异常"),
    AWAITING_ARRIVAL_CONFIRMATION("等待买家确认到账"),
    CLOSED("已结案");

    private final String label;

    DisputeStatus(String label) {
        this.label = label;
    }

    /** What staff read (the name stays the stored and sent spelling). */
    public String label() {
        return label;
    }

    /** The customer may withdraw only before the refund starts. */
    public boolean withdrawable() {
        return this != REFUNDING && this != REFUND_EXCEPTION && this != AWAITING_ARRIVAL_CONFIRMATION && this != CLOSED;
    }
}
