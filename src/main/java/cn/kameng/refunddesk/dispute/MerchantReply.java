package cn.kameng.refunddesk.dispute;

/** The merchant's reply as recorded on the dispute (column merchant_decision, the API's merchantAnswer.decision). */
public enum MerchantReply {
    /** A full refund of the claimed amount. */
    ACCEPT,
    /** A refund of less than claimed, which the customer may take or decline. */
    ACCEPT_PARTIAL,
    REPLACE,
    REFUSE,
    /** The reply window closed without an answer. */
    NO_ANSWER
}
