package cn.kameng.refunddesk.refund;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.order.PaymentChannel;

@Repository
public class RefundRecords {

    private final JdbcClient jdbc;

    /** Attempts commit on their own, whatever becomes of the request's transaction. */
    private final TransactionTemplate ownTransaction;

    RefundRecords(JdbcClient jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Notes, committed before the gateway is called, that a request with this key may reach the gateway. */
    void recordAttempt(String key) {
        ownTransaction.executeWithoutResult(tx -> jdbc.sql(
                "insert into refund_request_attempt (idempotency_key, attempted_at) values (?, ?)")
                .params(key, Timestamp.from(ServiceClock.now())).update());
    }

    /** Whether a request with this key was ever sent (and so may be at the gateway). */
    boolean attempted(String key) {
        return attempts(key) > 0;
    }

    /** How often a request with this key was sent to the gateway. */
    public int attempts(String key) {
        return jdbc.sql("select count(*) from refund_request_attempt where idempotency_key = ?").param(key)
                .query(Integer.class).single();
    }

    void recordArrivalNote(String id, String note) {
        jdbc.sql("update refund set arrival_note = ? where id = ?").params(note, id).update();
    }

    /**
     * Fails with DuplicateKeyException if the dispute or its order already has a live refund, or the key
     * was used.
     */
    void insert(Refund r, String orderId) {
        jdbc.sql("""
                insert into refund (id, dispute_id, idempotency_key, live_dispute_id, live_order_id, channel,
                  amount_fen, status, requested_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(r.id(), r.disputeId(), r.idempotencyKey(), r.disputeId(), orderId, r.channel().name(),
                        r.amountFen(), r.status().name(), Timestamp.from(r.requestedAt()))
                .update();
    }

    /** The refund of any dispute on this order that has moved or may move money. */
    public Optional<Refund> liveForOrder(String orderId) {
        return jdbc.sql("select * from refund where live_order_id = ?").param(orderId)
                .query(RefundRecords::map).optional();
    }

    public Optional<Refund> live(String disputeId) {
        return jdbc.sql("select * from refund where live_dispute_id = ?").param(disputeId)
                .query(RefundRecords::map).optional();
    }

    Optional<Refund> lockLive(String disputeId) {
        return jdbc.sql("select * from refund where live_dispute_id = ? for update").param(disputeId)
                .query(RefundRecords::map).optional();
    }

    Optional<Refund> lockByKey(String key) {
        return jdbc.sql("select * from refund where idempotency_key = ? for update").param(key)
                .query(RefundRecords::map).optional();
    }

    public List<Refund> of(String disputeId) {
        return jdbc.sql("""
                select * from refund where dispute_id = ?
                order by requested_at, length(idempotency_key), idempotency_key""").param(disputeId)
                .query(RefundRecords::map).list();
    }

    int count(String disputeId) {
        return jdbc.sql("select count(*) from refund where dispute_id = ?").param(disputeId)
                .query(Integer.class).single();
    }

    void update(String id, RefundState state, String gatewayReference, String failureReason, Long settledAmountFen) {
        jdbc.sql("""
                update refund set status = ?, gateway_reference = coalesce(?, gateway_reference),
                  failure_reason = ?, settled_amount_fen = coalesce(?, settled_amount_fen),
                  settled_at = case when ? then ? else settled_at end
                where id = ?""")
                .params(state.name(), gatewayReference, failureReason, settledAmountFen, state.final_(),
                        Timestamp.from(ServiceClock.now()), id)
                .update();
    }

    void release(String id) {
        jdbc.sql("update refund set live_dispute_id = null, live_order_id = null where id = ?").param(id).update();
    }

    void recordReceived(String id, long receivedFen) {
        jdbc.sql("update refund set received_amount_fen = ? where id = ?").params(receivedFen, id).update();
    }

    static Refund map(ResultSet rs, int row) throws SQLException {
        Timestamp settled = rs.getTimestamp("settled_at");
        long settledAmount = rs.getLong("settled_amount_fen");
        Long settledFen = rs.wasNull() ? null : settledAmount;
        long received = rs.getLong("received_amount_fen");
        Long receivedFen = rs.wasNull() ? null : received;
        return new Refund(rs.getString("id"), rs.getString("dispute_id"), rs.getString("idempotency_key"),
                rs.getString("live_dispute_id") != null, PaymentChannel.valueOf(rs.getString("channel")),
                rs.getLong("amount_fen"), RefundState.valueOf(rs.getString("status")),
                rs.getString("gateway_reference"), rs.getString("failure_reason"), settledFen, receivedFen,
                rs.getTimestamp("requested_at").toInstant(), settled == null ? null : settled.toInstant(),
                rs.getString("arrival_note"));
    }
}
