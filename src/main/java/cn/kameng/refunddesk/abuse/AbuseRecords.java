package cn.kameng.refunddesk.abuse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import cn.kameng.refunddesk.dispute.Dispute;

/** dispute_abuse_flag and dispute_card_key (V13), and the counts over dispute the flags are asked with. */
@Repository
class AbuseRecords {

    private static final String FLAG_COLUMNS = "id, dispute_id, flag, audience, sentence, facts, stage, customer_id,"
            + " merchant_id, raised_at";

    private final JdbcClient jdbc;

    AbuseRecords(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The customer's disputes opened in (from, to]. */
    long customerDisputes(String customerId, Instant from, Instant to) {
        return jdbc.sql("select count(*) from dispute where customer_id = ? and opened_at > ? and opened_at <= ?")
                .params(customerId, Timestamp.from(from), Timestamp.from(to)).query(Long.class).single();
    }

    /** What the customer claimed in the disputes opened in (from, to], in fen. */
    long customerClaimedFen(String customerId, Instant from, Instant to) {
        return jdbc.sql("""
                select coalesce(sum(claimed_amount_fen), 0) from dispute
                where customer_id = ? and opened_at > ? and opened_at <= ?""")
                .params(customerId, Timestamp.from(from), Timestamp.from(to)).query(Long.class).single();
    }

    /** The merchant's disputes opened in (from, to]. */
    long merchantDisputes(String merchantId, Instant from, Instant to) {
        return jdbc.sql("select count(*) from dispute where merchant_id = ? and opened_at > ? and opened_at <= ?")
                .params(merchantId, Timestamp.from(from), Timestamp.from(to)).query(Long.class).single();
    }

    /** Where a dispute's card key is known from. */
    enum KeySource { DELIVERED, REPORTED }

    /** Notes that the dispute concerns this card key (kept as its digest); a key noted before is left as it is. */
    void noteCardKey(Dispute d, String cardKey, KeySource source) {
        jdbc.sql("""
                insert into dispute_card_key (dispute_id, key_sha256, source, customer_id, opened_at)
                select id, ?, ?, customer_id, opened_at from dispute where id = ?
                  and not exists (select 1 from dispute_card_key where dispute_id = ? and key_sha256 = ?)""")
                .params(digest(cardKey), source.name(), d.id(), d.id(), digest(cardKey))
                .update();
    }

    /** Whether the key the dispute's order delivered was noted (on opening). */
    boolean hasDeliveredKey(String disputeId) {
        return jdbc.sql("select count(*) from dispute_card_key where dispute_id = ? and source = 'DELIVERED'")
                .param(disputeId).query(Long.class).single() > 0;
    }

    /** How many distinct customers disputed, in disputes opened in (from, to], any card key of this dispute. */
    long cardKeyCustomers(String disputeId, Instant from, Instant to) {
        return jdbc.sql("""
                select count(distinct other.customer_id) from dispute_card_key other
                where other.key_sha256 in (select mine.key_sha256 from dispute_card_key mine where mine.dispute_id = ?)
                  and other.opened_at > ? and other.opened_at <= ?""")
                .params(disputeId, Timestamp.from(from), Timestamp.from(to)).query(Long.class).single();
    }

    /** Raises the flag unless the dispute has it already; true when it was raised now. */
    boolean raise(Dispute d, AbuseFlag flag, Audience audience, String sentence, String facts, Stage stage,
            Instant at) {
        return jdbc.sql("""
                insert into dispute_abuse_flag (dispute_id, flag, audience, sentence, facts, stage, customer_id,
                  merchant_id, raised_at)
                select id, ?, ?, ?, ?, ?, customer_id, merchant_id, cast(? as timestamp with time zone)
                from dispute where id = ?
                  and not exists (select 1 from dispute_abuse_flag where dispute_id = ? and flag = ?)""")
                .params(flag.name(), audience.name(), sentence, facts, stage.name(), Timestamp.from(at), d.id(),
                        d.id(), flag.name())
                .update() == 1;
    }

    List<RaisedFlag> ofDispute(String disputeId) {
        return jdbc.sql("select " + FLAG_COLUMNS + " from dispute_abuse_flag where dispute_id = ? order by id")
                .param(disputeId).query(AbuseRecords::flag).list();
    }

    /** Flags raised at or after {@code since}, newest first. */
    List<RaisedFlag> since(Instant since, int page, int size) {
        return jdbc.sql("select " + FLAG_COLUMNS + " from dispute_abuse_flag where raised_at >= ?"
                + " order by raised_at desc, id desc limit ? offset ?")
                .params(Timestamp.from(since), size, (long) page * size).query(AbuseRecords::flag).list();
    }

    long countSince(Instant since) {
        return jdbc.sql("select count(*) from dispute_abuse_flag where raised_at >= ?").param(Timestamp.from(since))
                .query(Long.class).single();
    }

    private static RaisedFlag flag(ResultSet rs, int row) throws SQLException {
        AbuseFlag flag = AbuseFlag.valueOf(rs.getString("flag"));
        return new RaisedFlag(rs.getLong("id"), rs.getString("dispute_id"), flag, flag.label(),
                Audience.valueOf(rs.getString("audience")), rs.getString("sentence"), rs.getString("facts"),
                Stage.valueOf(rs.getString("stage")), rs.getString("customer_id"), rs.getString("merchant_id"),
                rs.getTimestamp("raised_at").toInstant());
    }

    /** SHA-256 of the trimmed, upper-case key: the same key however it was typed, and never the key itself. */
    static String digest(String cardKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(cardKey.trim().toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
