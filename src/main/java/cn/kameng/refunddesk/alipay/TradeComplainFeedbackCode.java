package cn.kameng.refunddesk.alipay;

import cn.kameng.refunddesk.complaint.ComplaintSource.Resolution;

/**
 * {@code feedback_code} of {@code alipay.merchant.tradecomplain.feedback.submit} (小程序交易反馈类目), and which
 * settlement each one tells Alipay. 04 (其他) is Alipay's and never ours: every settlement has its code.
 */
enum TradeComplainFeedbackCode {
    OTHER_REFUND("02", "通过其他方式退款"),
    DELIVERED("03", "已发货"),
    OTHER("04", "其他"),
    AFTER_SALES_DONE("05", "已完成售后服务"),
    NOT_OUR_RESPONSIBILITY("06", "非我方责任范围");

    private final String code;
    private final String label;

    TradeComplainFeedbackCode(String code, String label) {
        this.code = code;
        this.label = label;
    }

    String code() {
        return code;
    }

    String label() {
        return label;
    }

    /**
     * Refunded: the money went back through the trade's refund, not Alipay's guarantee fund (02). Replaced: a new
     * card key was delivered, the after-sales service is done (05). Rejected with reasons: not the merchant's
     * responsibility (06), the reasons in the content.
     */
    static TradeComplainFeedbackCode of(Resolution resolution) {
        return switch (resolution) {
            case REFUNDED -> OTHER_REFUND;
            case REPLACED -> AFTER_SALES_DONE;
            case REJECTED -> NOT_OUR_RESPONSIBILITY;
        };
    }
}
