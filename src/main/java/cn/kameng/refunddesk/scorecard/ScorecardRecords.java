package cn.kameng.refunddesk.scorecard;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.ComplaintChannel;
import cn.kameng.refunddesk.dispute.MerchantReply;
import cn.kameng.refunddesk.dispute.Ruling;
import cn.kameng.refunddesk.refund.RefundState;

/**
 * The scorecard's questions to the service's own tables (plain SQL that H2 and PostgreSQL read alike; the
 * median is taken in Java). Every dispute question is about the cohort: the merchant's disputes opened in
 * [start, end).
 */
@Component
class ScorecardRecords {

    /** The merchant's answers as the timeline records them ("MERCHANT_" + the reply; silence is not one). */
    private static final List<String> ANSWER_EVENTS = List.of(MerchantReply.ACCEPT, MerchantReply.ACCEPT_PARTIAL,
            MerchantReply.REPLACE, MerchantReply.REFUSE).stream().map(r -> "MERCHANT_" + r.name()).toList();
    /** The timeline entry of step 3: the platform took the dispute over. */
    private static final String INTERVENTION_OPENED = "INTERVENTION_OPENED";

    record Refunds(long count, long amountFen) {
    }

    record Arbitration(long reached, long proofMissing) {
    }

    record ComplaintRow(ComplaintChannel channel, String orderId, String buyerId) {
    }

    private static final String COHORT = "d.merchant_id = :merchant and d.opened_at >= :start and d.opened_at < :end";

    private final JdbcClient jdbc;

    ScorecardRecords(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long disputesOpened(String merchant, Instant start, Instant end) {
        return cohort("select count(*) from dispute d where " + COHORT, merchant, start, end).query(Long.class).single();
    }

    Refunds settledRefunds(String merchant, Instant start, Instant end) {
        return cohort("""
                select count(*), coalesce(sum(coalesce(r.settled_amount_fen, r.amount_fen)), 0)
                from refund r join dispute d on d.id = r.dispute_id
                where r.status = :settled """ + " and " + COHORT, merchant, start, end)
                .param("settled", RefundState.SUCCEEDED.name())
                .query((rs, i) -> new Refunds(rs.getLong(1), rs.getLong(2))).single();
    }

    long rulingsLost(String merchant, Instant start, Instant end) {
        return cohort("select count(*) from dispute d where d.ruling in (:lost) and " + COHORT, merchant, start, end)
                .param("lost", List.of(Ruling.REFUND_FULL.name(), Ruling.REFUND_PARTIAL.name()))
                .query(Long.class).single();
    }

    Arbitration arbitration(String merchant, Instant start, Instant end) {
        return cohort("""
                select count(*), coalesce(sum(case when d.merchant_proof_missing then 1 else 0 end), 0)
                from dispute d
                where exists (select 1 from timeline_entry t where t.dispute_id = d.id and t.event = :intervention)
                """ + " and " + COHORT, merchant, start, end)
                .param("intervention", INTERVENTION_OPENED)
                .query((rs, i) -> new Arbitration(rs.getLong(1), rs.getLong(2))).single();
    }

    /** Opening to the merchant's first answer, one per answered dispute of the cohort. */
    List<Duration> answerTimes(String merchant, Instant start, Instant end) {
        return cohort("""
                select d.opened_at, min(t.at) from dispute d join timeline_entry t on t.dispute_id = d.id
                where t.event in (:answers) """ + " and " + COHORT + " group by d.id, d.opened_at", merchant, start, end)
                .param("answers", ANSWER_EVENTS)
                .query((rs, i) -> Duration.between(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant()))
                .list();
    }

    /** Outside complaints about the merchant's disputes received in [start, end), in the order received. */
    List<ComplaintRow> complaints(String merchant, Instant start, Instant end) {
        return jdbc.sql("""
                select c.channel, c.order_id, d.customer_id from external_complaint c
                join dispute d on d.id = c.dispute_id
                where d.merchant_id = :merchant and c.received_at >= :start and c.received_at < :end
                order by c.received_at, c.id""")
                .param("merchant", merchant).param("start", Timestamp.from(start)).param("end", Timestamp.from(end))
                .query((rs, i) -> new ComplaintRow(ComplaintChannel.valueOf(rs.getString(1)), rs.getString(2),
                        rs.getString(3)))
                .list();
    }

    /** Every merchant with a dispute opened in [start, end), by id. */
    List<String> merchantsWithDisputes(Instant start, Instant end) {
        return jdbc.sql("""
                select distinct d.merchant_id from dispute d where d.opened_at >= :start and d.opened_at < :end
                order by d.merchant_id""")
                .param("start", Timestamp.from(start)).param("end", Timestamp.from(end))
                .query(String.class).list();
    }

    private JdbcClient.StatementSpec cohort(String sql, String merchant, Instant start, Instant end) {
        return jdbc.sql(sql).param("merchant", merchant).param("start", Timestamp.from(start))
                .param("end", Timestamp.from(end));
    }
}
