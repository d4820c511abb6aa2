package cn.kameng.refunddesk.restriction;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The table account_restriction: written when a ruling finds forged evidence, read whenever a dispute opens. */
@Repository
class RestrictionRecords {

    private final JdbcClient jdbc;

    RestrictionRecords(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(String customerId, String disputeId, String reason, Instant at) {
        jdbc.sql("insert into account_restriction (customer_id, dispute_id, reason, created_at, status) values (?, ?, ?, ?, ?)")
                .params(customerId, disputeId, reason, Timestamp.from(at), RestrictionStatus.ACTIVE.name()).update();
    }

    /** The customer's restrictions that still hold, oldest first. */
    List<Restriction> holding(String customerId) {
        return jdbc.sql("select * from account_restriction where customer_id = ? and status <> ? order by created_at, id")
                .params(customerId, RestrictionStatus.LIFTED.name()).query(RestrictionRecords::map).list();
    }

    List<Restriction> ofCustomer(String customerId) {
        return jdbc.sql("select * from account_restriction where customer_id = ? order by created_at, id")
                .param(customerId).query(RestrictionRecords::map).list();
    }

    Optional<Restriction> lockOfDispute(String disputeId) {
        return jdbc.sql("select * from account_restriction where dispute_id = ? for update").param(disputeId)
                .query(RestrictionRecords::map).optional();
    }

    Optional<Restriction> lock(long id) {
        return jdbc.sql("select * from account_restriction where id = ? for update").param(id)
                .query(RestrictionRecords::map).optional();
    }

    void contest(long id, String statement, Instant at) {
        jdbc.sql("update account_restriction set status = ?, contest_statement = ?, contested_at = ? where id = ?")
                .params(RestrictionStatus.CONTESTED.name(), statement, Timestamp.from(at), id).update();
    }

    void decide(long id, RestrictionStatus status, String by, String note, Instant at) {
        jdbc.sql("update account_restriction set status = ?, decided_by = ?, decision_note = ?, decided_at = ? where id = ?")
                .params(status.name(), by, note, Timestamp.from(at), id).update();
    }

    private static Restriction map(ResultSet rs, int row) throws SQLException {
        return new Restriction(rs.getLong("id"), rs.getString("customer_id"), rs.getString("dispute_id"),
                rs.getString("reason"), instant(rs, "created_at"), RestrictionStatus.valueOf(rs.getString("status")),
                rs.getString("contest_statement"), instant(rs, "contested_at"), rs.getString("decided_by"),
                instant(rs, "decided_at"), rs.getString("decision_note"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
