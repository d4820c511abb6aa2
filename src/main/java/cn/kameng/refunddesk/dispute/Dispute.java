package cn.kameng.refunddesk.dispute;

import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import cn.kameng.refunddesk.order.Order;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;

/** A dispute as the service's own table holds it. Made by {@link #open} or {@link #builder}, never by position. */
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
        MerchantReply merchantDecision,
        Long merchantOfferFen,
        String merchantMessage,
        String replacementCardKey,
        boolean escalationAllowed,
        boolean merchantProofMissing,
        Party evidenceRequestedFrom,
        Ruling ruling,
        String rulingReason,
        String ruledBy,
        boolean platformFault,
        Instant openedAt,
        Instant closedAt) {

    private static final char[] ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    /** A new dispute about {@code order}, waiting for its merchant: {@code DSP-<Beijing date>-<8 random characters>}. */
    public static Dispute open(Order order, Reason reason, String description, long claimedAmountFen, Instant now) {
        return builder()
                .id(newId(now))
                .orderId(order.orderId())
                .customerId(order.buyerId())
                .merchantId(order.merchantId())
                .reason(reason)
                .description(description)
                .paymentChannel(order.paymentChannel())
                .productCategory(order.productCategory())
                .paidAmountFen(order.amountFen())
                .claimedAmountFen(claimedAmountFen)
                .deliveredAt(order.deliveredAt())
                .status(DisputeStatus.AWAITING_MERCHANT)
                .openedAt(now)
                .build();
    }

    static String newId(Instant now) {
        StringBuilder id = new StringBuilder("DSP-")
                .append(now.atZone(ServiceClock.BEIJING).toLocalDate().toString().replace("-", "")).append('-');
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 8; i++) {
            id.append(ID_ALPHABET[random.nextInt(ID_ALPHABET.length)]);
        }
        return id.toString();
    }

    public boolean isParty(String userId) {
        return customerId.equals(userId) || merchantId.equals(userId);
    }

    /** The side {@code userId} is on in this dispute; anyone else speaks for the platform. */
    public Party partyOf(String userId) {
        if (customerId.equals(userId)) {
            return Party.CUSTOMER;
        }
        if (merchantId.equals(userId)) {
            return Party.MERCHANT;
        }
        return Party.PLATFORM;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Names every field it sets; what is not set is null, 0 or false. */
    public static final class Builder {
        private String id;
        private String orderId;
        private String customerId;
        private String merchantId;
        private Reason reason;
        private String description;
        private PaymentChannel paymentChannel;
        private ProductCategory productCategory;
        private long paidAmountFen;
        private long claimedAmountFen;
        private Long approvedAmountFen;
        private Instant deliveredAt;
        private DisputeStatus status;
        private Outcome outcome;
        private String outcomeReason;
        private MerchantReply merchantDecision;
        private Long merchantOfferFen;
        private String merchantMessage;
        private String replacementCardKey;
        private boolean escalationAllowed;
        private boolean merchantProofMissing;
        private Party evidenceRequestedFrom;
        private Ruling ruling;
        private String rulingReason;
        private String ruledBy;
        private boolean platformFault;
        private Instant openedAt;
        private Instant closedAt;

        private Builder() {
        }

        public Builder id(String v) { id = v; return this; }
        public Builder orderId(String v) { orderId = v; return this; }
        public Builder customerId(String v) { customerId = v; return this; }
        public Builder merchantId(String v) { merchantId = v; return this; }
        public Builder reason(Reason v) { reason = v; return this; }
        public Builder description(String v) { description = v; return this; }
        public Builder paymentChannel(PaymentChannel v) { paymentChannel = v; return this; }
        public Builder productCategory(ProductCategory v) { productCategory = v; return this; }
        public Builder paidAmountFen(long v) { paidAmountFen = v; return this; }
        public Builder claimedAmountFen(long v) { claimedAmountFen = v; return this; }
        public Builder approvedAmountFen(Long v) { approvedAmountFen = v; return this; }
        public Builder deliveredAt(Instant v) { deliveredAt = v; return this; }
        public Builder status(DisputeStatus v) { status = v; return this; }
        public Builder outcome(Outcome v) { outcome = v; return this; }
        public Builder outcomeReason(String v) { outcomeReason = v; return this; }
        public Builder merchantDecision(MerchantReply v) { merchantDecision = v; return this; }
        public Builder merchantOfferFen(Long v) { merchantOfferFen = v; return this; }
        public Builder merchantMessage(String v) { merchantMessage = v; return this; }
        public Builder replacementCardKey(String v) { replacementCardKey = v; return this; }
        public Builder escalationAllowed(boolean v) { escalationAllowed = v; return this; }
        public Builder merchantProofMissing(boolean v) { merchantProofMissing = v; return this; }
        public Builder evidenceRequestedFrom(Party v) { evidenceRequestedFrom = v; return this; }
        public Builder ruling(Ruling v) { ruling = v; return this; }
        public Builder rulingReason(String v) { rulingReason = v; return this; }
        public Builder ruledBy(String v) { ruledBy = v; return this; }
        public Builder platformFault(boolean v) { platformFault = v; return this; }
        public Builder openedAt(Instant v) { openedAt = v; return this; }
        public Builder closedAt(Instant v) { closedAt = v; return this; }

        public Dispute build() {
            return new Dispute(id, orderId, customerId, merchantId, reason, description, paymentChannel,
                    productCategory, paidAmountFen, claimedAmountFen, approvedAmountFen, deliveredAt, status, outcome,
                    outcomeReason, merchantDecision, merchantOfferFen, merchantMessage, replacementCardKey,
                    escalationAllowed, merchantProofMissing, evidenceRequestedFrom, ruling, rulingReason, ruledBy,
                    platformFault, openedAt, closedAt);
        }
    }
}
