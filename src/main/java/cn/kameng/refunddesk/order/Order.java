package cn.kameng.refunddesk.order;

import java.time.Instant;

/** An order as the platform's order directory knows it. */
public record Order(
        String orderId,
        String buyerId,
        String merchantId,
        long amountFen,
        PaymentChannel paymentChannel,
        ProductCategory productCategory,
        Instant deliveredAt,
        String deliveredCardKey) {
}
