package cn.kameng.refunddesk.sandbox;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.order.Order;
import cn.kameng.refunddesk.order.OrderDirectory;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;

/** Orders made through the sandbox API stand in for the platform's order records. */
@Component
@Profile("default")
class SandboxOrderDirectory implements OrderDirectory {

    private final JdbcClient jdbc;

    SandboxOrderDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Order> find(String orderId) {
        return jdbc.sql("select * from sandbox_order where order_id = ?").param(orderId)
                .query((rs, i) -> {
                    Timestamp delivered = rs.getTimestamp("delivered_at");
                    return new Order(rs.getString("order_id"), rs.getString("buyer_id"), rs.getString("merchant_id"),
                            rs.getLong("amount_fen"), PaymentChannel.valueOf(rs.getString("payment_channel")),
                            ProductCategory.valueOf(rs.getString("product_category")),
                            delivered == null ? null : delivered.toInstant(), rs.getString("delivered_card_key"),
                            rs.getString("payment_reference"));
                }).optional();
    }

    /** The sandbox knows every order it made: those of the merchant created in [from, to). */
    @Override
    public OptionalLong ordersOf(String merchantId, Instant from, Instant to) {
        return OptionalLong.of(jdbc.sql("""
                select count(*) from sandbox_order where merchant_id = ? and created_at >= ? and created_at < ?""")
                .params(merchantId, Timestamp.from(from), Timestamp.from(to)).query(Long.class).single());
    }

    /** What the buyer paid for the sandbox orders made in [from, to). */
    @Override
    public OptionalLong boughtBy(String buyerId, Instant from, Instant to) {
        return OptionalLong.of(jdbc.sql("""
                select coalesce(sum(amount_fen), 0) from sandbox_order
                where buyer_id = ? and created_at >= ? and created_at < ?""")
                .params(buyerId, Timestamp.from(from), Timestamp.from(to)).query(Long.class).single());
    }

    void create(Order order, GatewayBehaviour behaviour) {
        jdbc.sql("""
                insert into sandbox_order (order_id, buyer_id, merchant_id, amount_fen, payment_channel,
                  product_category, delivered_at, delivered_card_key, gateway_behaviour, created_at, payment_reference)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(order.orderId(), order.buyerId(), order.merchantId(), order.amountFen(),
                        order.paymentChannel().name(), order.productCategory().name(),
                        order.deliveredAt() == null ? null : Timestamp.from(order.deliveredAt()),
                        order.deliveredCardKey(), behaviour.name(),
                        Timestamp.from(ServiceClock.now()), order.paymentReference())
                .update();
    }

    boolean setBehaviour(String orderId, GatewayBehaviour behaviour) {
        return jdbc.sql("update sandbox_order set gateway_behaviour = ? where order_id = ?")
                .params(behaviour.name(), orderId).update() == 1;
    }

    GatewayBehaviour behaviour(String orderId) {
        return jdbc.sql("select gateway_behaviour from sandbox_order where order_id = ?").param(orderId)
                .query(String.class).optional().map(GatewayBehaviour::valueOf).orElse(GatewayBehaviour.SUCCEED);
    }
}
