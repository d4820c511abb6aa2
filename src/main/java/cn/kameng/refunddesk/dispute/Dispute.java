package cn.kameng.refunddesk.dispute;

import java.time.Instant;

import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;

/** A dispute as the service's own table holds it. */
public record Dispute(
        String id,
        String orderId,
        String customerId,
        String merchantId,
        Reason reason,
        String description,
        PaymentChannel paymentChannel,
        ProductCategory productCategory,
        long paidAmountFen,
        long claimedAmountFen,
        Long approvedAmountFen,
        Instant deliveredAt,
        DisputeStatus status,
        Outcome outcome,
        String outcomeReason,
        String merchantDecision,
        Long merchantOfferFen,
        String merchantMessage,
        String replacementCardKey,
        boolean escalationAllowed,
        boolean merchantProofMissing,
        String evidenceRequestedFrom,
        String ruling,
        String rulingReason,
        String ruledBy,
        Instant openedAt,
        Instant closedAt) {

    public boolean isParty(String userId) {
        return customerId.equals(userId) || merchantId.equals(userId);
    }

    public String partyOf(String userId) {
        if (customerId.equals(userId)) {
            return "CUSTOMER";
        }
        if (merchantId.equals(userId)) {
            return "MERCHANT";
        }
        return "PLATFORM";
    }
}
