package cn.kameng.refunddesk.refund;

import cn.kameng.refunddesk.dispute.DomainException.NotAuthentic;
import cn.kameng.refunddesk.order.PaymentChannel;

/**
 * Port to a payment channel's refund API. Every call is idempotent on {@code idempotencyKey}
 * (Alipay out_request_no, WeChat Pay out_refund_no): the same key is one refund, however often sent.
 */
public interface PaymentGateway {

    record RefundRequest(String idempotencyKey, String orderId, long amountFen, PaymentChannel channel, String reason) {
    }

    /**
     * {@code arrivalNote}: where the money went after the gateway moved it, in words, if the gateway says
     * (a bank card's expected arrival, or money sent to the buyer's balance because the card refused it).
     */
    record RefundAnswer(RefundState state, Long settledAmountFen, String gatewayReference, String failureReason,
            String arrivalNote) {
        public RefundAnswer(RefundState state, Long settledAmountFen, String gatewayReference, String failureReason) {
            this(state, settledAmountFen, gatewayReference, failureReason, null);
        }
    }

    /** A verified notification from the gateway about one refund. */
    record RefundNotification(String idempotencyKey, RefundState state, Long settledAmountFen, String gatewayReference,
            String failureReason, String arrivalNote) {
        public RefundNotification(String idempotencyKey, RefundState state, Long settledAmountFen,
                String gatewayReference, String failureReason) {
            this(idempotencyKey, state, settledAmountFen, gatewayReference, failureReason, null);
        }
    }

    /** The name in {@code /payment-notifications/{gateway}}. */
    String name();

    boolean serves(PaymentChannel channel);

    /** Throws {@link GatewayUnavailableException} when the answer is unknown (timeout, 5xx): retried with the same key. */
    RefundAnswer requestRefund(RefundRequest request);

    RefundAnswer queryRefund(String idempotencyKey, String orderId);

    /** Verifies and reads a notification; throws {@link NotAuthentic} if it is not the gateway's. */
    RefundNotification parseNotification(java.util.Map<String, String> headers, String body);

    /**
     * The plain-text body this gateway expects when a notification was taken (Alipay: {@code success}, else it
     * notifies again for a day); null for the JSON acknowledgement.
     */
    default String acknowledgement() {
        return null;
    }
}
