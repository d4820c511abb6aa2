package cn.kameng.refunddesk.platform;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.kameng.refunddesk.dispute.DomainException.Unavailable;
import cn.kameng.refunddesk.order.Order;
import cn.kameng.refunddesk.order.OrderDirectory;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;

/**
 * The platform's order system: {@code GET /orders/{orderId}}. 404 is "no such order"; no answer (timeout,
 * 5xx, refused signature, open breaker) is {@link Unavailable}: the caller is told to come back, and a dispute
 * is never opened on a guess.
 *
 * <p>Its counts, {@code GET /order-statistics} (a merchant's orders for the scorecards and the merchant-rate flag,
 * what a buyer paid for the claimed-against-bought flag), are best effort: a platform that does not offer them
 * (404), does not answer or answers outside the contract gives no number, logged, and the flag or the scorecard's
 * rate is left out rather than made up. Asked once (not retried: they are read while a dispute opens), behind their
 * own breaker, so they never hold up an order lookup.
 */
final class HttpOrderDirectory implements OrderDirectory {

    private static final Logger log = LoggerFactory.getLogger(HttpOrderDirectory.class);

    /** The contract's OrderStatistics schema. */
    record StatisticsBody(Long orderCount, Long paidFen) {
    }

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

    @Override
    public OptionalLong ordersOf(String merchantId, Instant from, Instant to) {
        return statistics("merchantId", merchantId, from, to, StatisticsBody::orderCount, "orderCount");
    }

    @Override
    public OptionalLong boughtBy(String buyerId, Instant from, Instant to) {
        return statistics("buyerId", buyerId, from, to, StatisticsBody::paidFen, "paidFen");
    }

    private OptionalLong statistics(String party, String id, Instant from, Instant to,
            Function<StatisticsBody, Long> figure, String field) {
        Optional<StatisticsBody> body;
        try {
            body = client.getOnce(PlatformSystem.ORDER_STATISTICS, StatisticsBody.class,
                    "/order-statistics?" + party + "={id}&from={from}&to={to}", id, from.toString(), to.toString());
        } catch (PlatformClient.Unreachable e) {
            log.warn("no order statistics for {} {} in [{}, {}): {}", party, id, from, to, e.getMessage());
            return OptionalLong.empty();
        }
        if (body.isEmpty()) {
            log.debug("the platform offers no order statistics (404) for {} {}", party, id);
            return OptionalLong.empty();
        }
        Long value = figure.apply(body.get());
        if (value == null || value < 0) {
            log.warn("the platform's order statistics for {} {} in [{}, {}) have {} {}, which the contract does not "
                    + "allow (a number from 0); left out", party, id, from, to, value == null ? "no" : "a negative",
                    field);
            return OptionalLong.empty();
        }
        return OptionalLong.of(value);
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
