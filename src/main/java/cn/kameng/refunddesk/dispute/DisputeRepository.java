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

    public void insert(Dispute d, String idempotencyKey) {
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

    public Optional<Dispute> findByIdempotencyKey(String customerId, String key) {
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

    public List<Dispute> list(String customerId, String merchantId, DisputeStatus status, int page, int size) {
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

    public void recordMerchantAnswer(String id, MerchantReply decision, Long offerFen, String message, String replacementCardKey) {
        jdbc.sql("""
                update dispute set merchant_decision = ?, merchant_offer_fen = ?, merchant_message = ?,
                  replacement_card_key = ? where id = ?""")
                .params(decision.name(), offerFen, message, replacementCardKey, id).update();
    }

    public void setApprovedAmount(String id, long amountFen) {
        jdbc.sql("update dispute set approved_amount_fen = ? where id = ?").params(amountFen, id).update();
    }

    /** A ruling that refunds nothing, or one sent back, leaves no amount a later refund could pick up. */
    public void clearApprovedAmount(String id) {
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

    /** The party the arbiter asked for more evidence, or null once that request is over. */
    public void setEvidenceRequestedFrom(String id, Party party) {
        jdbc.sql("update dispute set evidence_requested_from = ? where id = ?")
                .params(party == null ? null : party.name(), id).update();
    }

    public void recordReviewNote(String id, String note) {
        jdbc.sql("update dispute set review_note = ? where id = ?").params(note, id).update();
    }

    public Optional<String> reviewNote(String id) {
        return jdbc.sql("select review_note from dispute where id = ?").param(id).query(String.class).optional();
    }

    public void recordRuling(String id, Ruling ruling, String reason, String arbiter) {
        jdbc.sql("update dispute set ruling = ?, ruling_reason = ?, ruled_by = ?, ruled_at = ? where id = ?")
                .params(ruling.name(), reason, arbiter, ts(ServiceClock.now()), id).update();
    }

    /** When the dispute's (latest) ruling was recorded; empty before its first ruling. */
    public Optional<Instant> ruledAt(String id) {
        return jdbc.sql("select ruled_at from dispute where id = ?").param(id)
                .query((rs, i) -> Optional.ofNullable(instant(rs, "ruled_at"))).optional().flatMap(x -> x);
    }

    /** The eligibility decision found the platform at fault: the platform bears the refund (refund-bearer.dmn). */
    public void setPlatformFault(String id) {
        jdbc.sql("update dispute set platform_fault = true where id = ?").param(id).update();
    }

    /** Why the dispute will close as it does, before it closes (the eligibility decision's explanation). */
    public void setOutcomeReason(String id, String reason) {
        jdbc.sql("update dispute set outcome_reason = ? where id = ?").params(reason, id).update();
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
        return Dispute.builder()
                .id(rs.getString("id"))
                .orderId(rs.getString("order_id"))
                .customerId(rs.getString("customer_id"))
                .merchantId(rs.getString("merchant_id"))
                .reason(Reason.valueOf(rs.getString("reason")))
                .description(rs.getString("description"))
                .paymentChannel(PaymentChannel.valueOf(rs.getString("payment_channel")))
                .productCategory(ProductCategory.valueOf(rs.getString("product_category")))
                .paidAmountFen(rs.getLong("paid_amount_fen"))
                .claimedAmountFen(rs.getLong("claimed_amount_fen"))
                .approvedAmountFen(nullableLong(rs, "approved_amount_fen"))
                .deliveredAt(instant(rs, "delivered_at"))
                .status(DisputeStatus.valueOf(rs.getString("status")))
                .outcome(nullableEnum(Outcome.class, rs.getString("outcome")))
                .outcomeReason(rs.getString("outcome_reason"))
                .merchantDecision(nullableEnum(MerchantReply.class, rs.getString("merchant_decision")))
                .merchantOfferFen(nullableLong(rs, "merchant_offer_fen"))
                .merchantMessage(rs.getString("merchant_message"))
                .replacementCardKey(rs.getString("replacement_card_key"))
                .escalationAllowed(rs.getBoolean("escalation_allowed"))
                .merchantProofMissing(rs.getBoolean("merchant_proof_missing"))
                .evidenceRequestedFrom(nullableEnum(Party.class, rs.getString("evidence_requested_from")))
                .ruling(nullableEnum(Ruling.class, rs.getString("ruling")))
                .rulingReason(rs.getString("ruling_reason"))
                .ruledBy(rs.getString("ruled_by"))
                .platformFault(rs.getBoolean("platform_fault"))
                .openedAt(instant(rs, "opened_at"))
                .closedAt(instant(rs, "closed_at"))
                .build();
    }

    private static <E extends Enum<E>> E nullableEnum(Class<E> type, String name) {
        return name == null ? null : Enum.valueOf(type, name);
    }
}
