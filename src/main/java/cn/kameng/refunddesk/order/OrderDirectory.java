package cn.kameng.refunddesk.order;

import java.util.Optional;

/** Port to the platform's order records. The sandbox adapter serves the embedded default. */
public interface OrderDirectory {
    Optional<Order> find(String orderId);
}
