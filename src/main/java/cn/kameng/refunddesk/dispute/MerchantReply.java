package cn.kameng.refunddesk.dispute;

/** The merchant's reply as recorded on the dispute (column merchant_decision, the API's merchantAnswer.decision). */
public enum MerchantReply {
    /** A full refund of the claimed amount. */
    ACCEPT("同意全额退款"),
    /** A refund of less than claimed, which the customer may take or decline. */
    ACCEPT_PARTIAL("提出部分退款"),
    REPLACE("补发商品"),
    REFUSE("拒绝退款"),
    /** The reply window closed without an answer. */
    NO_ANSWER("48小时内未答复");

    private final String label;

    MerchantReply(String label) {
        this.label = label;
    }

    /** What staff read (the name stays the stored and sent spelling). */
    public String label() {
        return label;
    }
}
