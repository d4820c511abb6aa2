package cn.kameng.refunddesk.platform;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import cn.kameng.refunddesk.dispute.DomainException.Unavailable;
import cn.kameng.refunddesk.order.Order;
import cn.kameng.refunddesk.order.OrderDirectory;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;

/**
 * The platform's order system: {@code GET /orders/{orderId}}. 404 is "no such order"; no answer (timeout,
 * 5xx, refused signature, open breaker) is {@link Unavailable}: the caller is told to come back, and a dispute
 * is never opened on a guess.
 */
final class HttpOrderDirectory implements OrderDirectory {

    /** The contract's Order schema. */
    record OrderBody(String orderId, String buyerId, String merchantId, Long amountFen, PaymentChannel paymentChannel,
            ProductCategory productCategory, Instant deliveredAt, String deliveredCardKey, String paymentReference) {
    }

    private final PlatformClient client;
    private final Duration retryAfter;

    HttpOrderDirectory(PlatformClient client, Duration retryAfter) {
        this.client = client;
        this.retryAfter = retryAfter;
    }

    @Override
    public Optional<Order> find(String orderId) {
        Optional<OrderBody> body;
        try {
            body = client.get(PlatformSystem.ORDERS, OrderBody.class, "/orders/{orderId}", orderId);
        } catch (PlatformClient.Unreachable e) {
            throw unavailable(e);
        }
        return body.map(b -> order(orderId, b));
    }

    private Order order(String asked, OrderBody b) {
        List<String> missing = new ArrayList<>();
        if (b.orderId() == null) {
            missing.add("orderId");
        }
        if (b.buyerId() == null) {
            missing.add("buyerId");
        }
        if (b.merchantId() == null) {
            missing.add("merchantId");
        }
        if (b.amountFen() == null) {
            missing.add("amountFen");
        }
        if (b.paymentChannel() == null) {
            missing.add("paymentChannel");
        }
        if (b.productCategory() == null) {
            missing.add("productCategory");
        }
        if (!missing.isEmpty() || !asked.equals(b.orderId()) || b.amountFen() < 0) {
            throw unavailable(new PlatformClient.Unreachable(PlatformSystem.ORDERS, PlatformClient.Failure.BAD_ANSWER,
                    200, "the platform's order system answered order " + asked + " with "
                            + (missing.isEmpty() ? (asked.equals(b.orderId()) ? "a negative amount"
                                    : "another order, " + b.orderId())
                                    : "no " + String.join(", ", missing)), null));
        }
        return new Order(b.orderId(), b.buyerId(), b.merchantId(), b.amountFen(), b.paymentChannel(),
                b.productCategory(), b.deliveredAt(), b.deliveredCardKey(), b.paymentReference());
    }

    private Unavailable unavailable(PlatformClient.Unreachable e) {
        long seconds = Math.max(1, retryAfter.toSeconds());
        return new Unavailable("the platform's order system cannot be reached just now, so the order cannot be "
                + "looked up and nothing was done; try again in " + seconds + " seconds (" + e.getMessage() + ")",
                seconds);
    }
}
