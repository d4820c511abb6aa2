package cn.kameng.refunddesk.unionpay;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import cn.kameng.refunddesk.calendar.WorkingDays;

/**
 * The UnionPay orderId and txnTime of each refund key ({@code unionpay_refund_order}). Written in a
 * transaction of its own before the first request, so a job that rolls back after a timeout still
 * queries and re-sends the very transaction UnionPay may hold.
 */
@Component
@ConditionalOnProperty(name = "payment.unionpay.enabled", havingValue = "true")
class UnionPayOrders {

    static final DateTimeFormatter TXN_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(WorkingDays.BEIJING);

    record Sent(String idempotencyKey, String orderId, String txnTime) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate ownTransaction;

    UnionPayOrders(JdbcClient jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** UnionPay's orderId for a key: letters and digits only, 8 to 32 of them. */
    static String orderId(String idempotencyKey) {
        String id = idempotencyKey.replaceAll("[^A-Za-z0-9]", "");
        if (id.length() < 8 || id.length() > 32) {
            throw new IllegalStateException("refund key " + idempotencyKey + " makes no UnionPay orderId "
                    + "(8-32 letters and digits)");
        }
        return id;
    }

    /** The orderId and txnTime this key was (or is now, first) sent under. */
    Sent forRequest(String idempotencyKey, Instant now) {
        return ownTransaction.execute(tx -> find(idempotencyKey).orElseGet(() -> {
            Sent sent = new Sent(idempotencyKey, orderId(idempotencyKey), TXN_TIME.format(now));
            jdbc.sql("""
                    insert into unionpay_refund_order (idempotency_key, union_order_id, txn_time, created_at)
                    values (?, ?, ?, ?)""")
                    .params(sent.idempotencyKey(), sent.orderId(), sent.txnTime(), Timestamp.from(now)).update();
            return sent;
        }));
    }

    Optional<Sent> find(String idempotencyKey) {
        return jdbc.sql("select idempotency_key, union_order_id, txn_time from unionpay_refund_order where idempotency_key = ?")
                .param(idempotencyKey).query((rs, i) -> new Sent(rs.getString(1), rs.getString(2), rs.getString(3)))
                .optional();
    }

    Optional<String> keyOf(String unionOrderId) {
        return jdbc.sql("select idempotency_key from unionpay_refund_order where union_order_id = ?")
                .param(unionOrderId).query(String.class).optional();
    }
}
