package cn.kameng.refunddesk.dispute;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;

@Repository
public class DisputeRepository {

    private final JdbcClient jdbc;

    DisputeRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Dispute d, String idempotencyKey) {
        jdbc.sql("""
                insert into dispute (id, order_id, open_order_id, customer_id, merchant_id, reason, description,
                  payment_channel, product_category, paid_amount_fen, claimed_amount_fen, delivered_at, status,
                  customer_idempotency_key, opened_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(d.id(), d.orderId(), d.orderId(), d.customerId(), d.merchantId(), d.reason().name(),
                        d.description(), d.paymentChannel().name(), d.productCategory().name(), d.paidAmountFen(),
                        d.claimedAmountFen(), ts(d.deliveredAt()), d.status().name(), idempotencyKey, ts(d.openedAt()))
                .update();
    }

    public Optional<Dispute> find(String id) {
        return jdbc.sql("select * from dispute where id = ?").param(id).query(DisputeRepository::map).optional();
    }

    /** Reads the dispute and holds its row until the transaction ends: one action at a time. */
    public Optional<Dispute> lock(String id) {
        return jdbc.sql("select * from dispute where id = ? for update").param(id).query(DisputeRepository::map).optional();
    }

    public Dispute get(String id) {
        return find(id).orElseThrow(() -> new IllegalStateException("dispute " + id + " does not exist"));
    }

    Optional<Dispute> findByIdempotencyKey(String customerId, String key) {
        return jdbc.sql("select * from dispute where customer_id = ? and customer_idempotency_key = ?")
                .params(customerId, key).query(DisputeRepository::map).optional();
    }

    public Optional<Dispute> findOpenByOrder(String orderId) {
        return jdbc.sql("select * from dispute where open_order_id = ?").param(orderId)
                .query(DisputeRepository::map).optional();
    }

    public Optional<Dispute> findLatestByOrder(String orderId) {
        return jdbc.sql("select * from dispute where order_id = ? order by opened_at desc").param(orderId)
                .query(DisputeRepository::map).list().stream().findFirst();
    }

    List<Dispute> list(String customerId, String merchantId, DisputeStatus status, int page, int size) {
        StringBuilder sql = new StringBuilder("select * from dispute where 1 = 1");
        List<Object> params = new java.util.ArrayList<>();
        if (customerId != null) {
            sql.append(" and customer_id = ?");
            params.add(customerId);
        }
        if (merchantId != null) {
            sql.append(" and merchant_id = ?");
            params.add(merchantId);
        }
        if (status != null) {
            sql.append(" and status = ?");
            params.add(status.name());
        }
        sql.append(" order by opened_at desc, id desc limit ? offset ?");
        params.add(size);
        params.add((long) page * size);
        return jdbc.sql(sql.toString()).params(params).query(DisputeRepository::map).list();
    }

    public void setStatus(String id, DisputeStatus status) {
        jdbc.sql("update dispute set status = ? where id = ?").params(status.name(), id).update();
    }

    /** Closes the dispute; the order may be disputed again afterwards. */
    public void close(String id, Outcome outcome, String reason, Instant at) {
        jdbc.sql("""
                update dispute set status = 'CLOSED', outcome = ?, outcome_reason = ?, closed_at = ?, open_order_id = null
                where id = ?""").params(outcome.name(), reason, ts(at), id).update();
    }

    /** A refund ordered after the dispute closed (an external complaint) opens it again. */
    public void reopenForRefund(String id) {
        jdbc.sql("""
                update dispute set status = 'REFUNDING', outcome = null, outcome_reason = null, closed_at = null,
                  open_order_id = order_id
                where id = ?""").param(id).update();
    }

    void recordMerchantAnswer(String id, String decision, Long offerFen, String message, String replacementCardKey) {
        jdbc.sql("""
                update dispute set merchant_decision = ?, merchant_offer_fen = ?, merchant_message = ?,
                  replacement_card_key = ? where id = ?""")
                .params(decision, offerFen, message, replacementCardKey, id).update();
    }

    public void setApprovedAmount(String id, long amountFen) {
        jdbc.sql("update dispute set approved_amount_fen = ? where id = ?").params(amountFen, id).update();
    }

    /** A ruling that refunds nothing, or one sent back, leaves no amount a later refund could pick up. */
    void clearApprovedAmount(String id) {
        jdbc.sql("update dispute set approved_amount_fen = null where id = ?").param(id).update();
    }

    public void setEscalationAllowed(String id) {
        jdbc.sql("update dispute set escalation_allowed = true where id = ?").param(id).update();
    }

    public void setMerchantProofMissing(String id, boolean missing) {
        jdbc.sql("update dispute set merchant_proof_missing = ? where id = ?").params(missing, id).update();
    }

    /** The card key the customer says they received, checked against the order's delivered key. */
    public void setReportedCardKey(String id, String cardKey) {
        jdbc.sql("update dispute set reported_card_key = ? where id = ?").params(cardKey, id).update();
    }

    public java.util.Optional<String> reportedCardKey(String id) {
        return jdbc.sql("select reported_card_key from dispute where id = ?").param(id).query(String.class).optional();
    }

    public void setEvidenceRequestedFrom(String id, String party) {
        jdbc.sql("update dispute set evidence_requested_from = ? where id = ?").params(party, id).update();
    }

    public void recordReviewNote(String id, String note) {
        jdbc.sql("update dispute set review_note = ? where id = ?").params(note, id).update();
    }

    public Optional<String> reviewNote(String id) {
        return jdbc.sql("select review_note from dispute where id = ?").param(id).query(String.class).optional();
    }

    public void recordRuling(String id, String ruling, String reason, String arbiter) {
        jdbc.sql("update dispute set ruling = ?, ruling_reason = ?, ruled_by = ? where id = ?")
                .params(ruling, reason, arbiter, id).update();
    }

    static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static Dispute map(ResultSet rs, int row) throws SQLException {
        String outcome = rs.getString("outcome");
        return new Dispute(
                rs.getString("id"),
                rs.getString("order_id"),
                rs.getString("customer_id"),
                rs.getString("merchant_id"),
                Reason.valueOf(rs.getString("reason")),
                rs.getString("description"),
                PaymentChannel.valueOf(rs.getString("payment_channel")),
                ProductCategory.valueOf(rs.getString("product_category")),
                rs.getLong("paid_amount_fen"),
                rs.getLong("claimed_amount_fen"),
                nullableLong(rs, "approved_amount_fen"),
                instant(rs, "delivered_at"),
                DisputeStatus.valueOf(rs.getString("status")),
                outcome == null ? null : Outcome.valueOf(outcome),
                rs.getString("outcome_reason"),
                rs.getString("merchant_decision"),
                nullableLong(rs, "merchant_offer_fen"),
                rs.getString("merchant_message"),
                rs.getString("replacement_card_key"),
                rs.getBoolean("escalation_allowed"),
                rs.getBoolean("merchant_proof_missing"),
                rs.getString("evidence_requested_from"),
                rs.getString("ruling"),
                rs.getString("ruling_reason"),
                rs.getString("ruled_by"),
                instant(rs, "opened_at"),
                instant(rs, "closed_at"));
    }
}
