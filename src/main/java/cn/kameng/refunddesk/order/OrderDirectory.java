package cn.kameng.refunddesk.order;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/** Port to the platform's order records. The sandbox adapter serves the embedded default. */
public interface OrderDirectory {
    Optional<Order> find(String orderId);

    /**
     * How many orders the merchant took in [from, to), when the order records can say; empty when they
     * cannot (then a scorecard shows no disputes-per-1,000-orders rather than a made-up 0).
     */
    default OptionalLong ordersOf(String merchantId, Instant from, Instant to) {
        return OptionalLong.empty();
    }

    /**
     * What the buyer paid, in fen, for the orders they made in [from, to) at any merchant, when the order records
     * can say; empty when they cannot (then the claimed-against-bought abuse flag is not evaluated).
     */
    default OptionalLong boughtBy(String buyerId, Instant from, Instant to) {
        return OptionalLong.empty();
    }
}
