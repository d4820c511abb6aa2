package cn.kameng.refunddesk.dispute;

public enum DisputeStatus {
    AWAITING_MERCHANT,
    AWAITING_OFFER_RESPONSE,
    AWAITING_REPLACEMENT_CONFIRMATION,
    MERCHANT_REFUSED,
    UNDER_REVIEW,
    REVIEW_REJECTED,
    IN_ARBITRATION,
    REFUNDING,
    REFUND_EXCEPTION,
    AWAITING_ARRIVAL_CONFIRMATION,
    CLOSED;

    /** The customer may withdraw only before the refund starts. */
    public boolean withdrawable() {
        return this != REFUNDING && this != REFUND_EXCEPTION && this != AWAITING_ARRIVAL_CONFIRMATION && this != CLOSED;
    }
}
