package cn.kameng.refunddesk.appeal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import cn.kameng.refunddesk.dispute.Party;
import cn.kameng.refunddesk.dispute.Ruling;

/** The table dispute_appeal: one appeal per dispute at most (its primary key). */
@Repository
class AppealRecords {

    private final JdbcClient jdbc;

    AppealRecords(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Appeal a) {
        jdbc.sql("""
                insert into dispute_appeal (dispute_id, party, appellant, ruling, ruled_by, statement, filed_at, status)
                values (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(a.disputeId(), a.party().name(), a.appellant(), a.ruling().name(), a.ruledBy(), a.statement(),
                        Timestamp.from(a.filedAt()), a.status().name())
                .update();
    }

    Optional<Appeal> find(String disputeId) {
        return jdbc.sql("select * from dispute_appeal where dispute_id = ?").param(disputeId)
                .query(AppealRecords::map).optional();
    }

    Optional<Appeal> lock(String disputeId) {
        return jdbc.sql("select * from dispute_appeal where dispute_id = ? for update").param(disputeId)
                .query(AppealRecords::map).optional();
    }

    void decide(String disputeId, AppealStatus status, String by, String note, Instant at) {
        jdbc.sql("update dispute_appeal set status = ?, decided_by = ?, decision_note = ?, decided_at = ? where dispute_id = ?")
                .params(status.name(), by, note, Timestamp.from(at), disputeId).update();
    }

    private static Appeal map(ResultSet rs, int row) throws SQLException {
        return new Appeal(rs.getString("dispute_id"), Party.valueOf(rs.getString("party")), rs.getString("appellant"),
                Ruling.valueOf(rs.getString("ruling")), rs.getString("ruled_by"), rs.getString("statement"),
                instant(rs, "filed_at"), AppealStatus.valueOf(rs.getString("status")), rs.getString("decided_by"),
                rs.getString("decision_note"), instant(rs, "decided_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
