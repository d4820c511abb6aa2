package cn.kameng.refunddesk.order;

import java.time.Instant;

/**
 * An order as the platform's order directory knows it. {@code paymentReference}: the payment's own ID at
 * the payment channel, where a refund needs it (UnionPay: the consumption's {@code queryId}); may be null.
 */
public record Order(
        String orderId,
        String buyerId,
        String merchantId,
        long amountFen,
        PaymentChannel paymentChannel,
        ProductCategory productCategory,
        Instant deliveredAt,
        String deliveredCardKey,
        String paymentReference) {

    public Order(String orderId, String buyerId, String merchantId, long amountFen, PaymentChannel paymentChannel,
            ProductCategory productCategory, Instant deliveredAt, String deliveredCardKey) {
        this(orderId, buyerId, merchantId, amountFen, paymentChannel, productCategory, deliveredAt, deliveredCardKey,
                null);
    }
}
