package cn.kameng.refunddesk.abuse;

/**
 * What processes/abuse-flags.dmn may raise on a dispute (its output column {@code flag}). The labels are what
 * staff read.
 */
public enum AbuseFlag {
    /** The customer opened many disputes within dispute.abuse.customer-window. */
    FREQUENT_DISPUTER("频繁发起争议"),
    /** What the customer claimed back within dispute.abuse.purchase-window is a large share of what they bought. */
    CLAIMS_EXCEED_PURCHASES("申请退款占购买额比例高"),
    /** The card key of this dispute was disputed by several customers within dispute.abuse.card-key-window. */
    SHARED_CARD_KEY("同一卡密多位买家报告"),
    /** The merchant's disputes per order within dispute.abuse.merchant-window crossed the table's threshold. */
    MERCHANT_DISPUTE_RATE("商家争议率高");

    private final String label;

    AbuseFlag(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
