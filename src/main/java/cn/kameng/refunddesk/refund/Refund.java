package cn.kameng.refunddesk.refund;

import java.time.Instant;

import cn.kameng.refunddesk.order.PaymentChannel;

public record Refund(String id, String disputeId, String idempotencyKey, boolean live, PaymentChannel channel,
        long amountFen, RefundState status, String gatewayReference, String failureReason, Long settledAmountFen,
        Long receivedAmountFen, Instant requestedAt, Instant settledAt, String arrivalNote) {

    public Refund(String id, String disputeId, String idempotencyKey, boolean live, PaymentChannel channel,
            long amountFen, RefundState status, String gatewayReference, String failureReason, Long settledAmountFen,
            Long receivedAmountFen, Instant requestedAt, Instant settledAt) {
        this(id, disputeId, idempotencyKey, live, channel, amountFen, status, gatewayReference, failureReason,
                settledAmountFen, receivedAmountFen, requestedAt, settledAt, null);
    }
}
