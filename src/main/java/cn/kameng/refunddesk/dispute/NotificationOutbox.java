package cn.kameng.refunddesk.dispute;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Notifications are written to an outbox table in the same transaction as the transition that
 * causes them, so none is sent for a change that rolled back and none is lost for one that committed.
 */
@Component
public class NotificationOutbox {

    private final JdbcClient jdbc;

    NotificationOutbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void add(String disputeId, String recipient, String event, String message) {
        jdbc.sql("""
                insert into notification_outbox (dispute_id, recipient, event, message, created_at)
                values (?, ?, ?, ?, ?)""")
                .params(disputeId, recipient, event, message, Timestamp.from(ServiceClock.now())).update();
    }

    /** Undelivered notifications whose next attempt is due, oldest first. */
    public List<Notification> undelivered(int limit) {
        return jdbc.sql("""
                select id, dispute_id, recipient, event, message, created_at, attempts from notification_outbox
                where delivered_at is null and (next_attempt_at is null or next_attempt_at <= ?)
                order by id limit ?""")
                .params(Timestamp.from(ServiceClock.now()), limit)
                .query((rs, i) -> new Notification(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getInt(7)))
                .list();
    }

    public List<Notification> forDispute(String disputeId) {
        return jdbc.sql("""
                select id, dispute_id, recipient, event, message, created_at, attempts from notification_outbox
                where dispute_id = ? order by id""")
                .param(disputeId)
                .query((rs, i) -> new Notification(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getInt(7)))
                .list();
    }

    /** How many notifications wait, and since when the oldest of them (null when none waits). */
    public record Backlog(long waiting, Instant oldestCreatedAt) {
    }

    public Backlog backlog() {
        return jdbc.sql("select count(*), min(created_at) from notification_outbox where delivered_at is null")
                .query((rs, i) -> new Backlog(rs.getLong(1),
                        rs.getTimestamp(2) == null ? null : rs.getTimestamp(2).toInstant()))
                .single();
    }

    /** One more failed attempt: its error, and when to try again. */
    public void markFailed(long id, String error, Instant nextAttemptAt) {
        String shortError = error == null ? "" : error.length() > 500 ? error.substring(0, 500) : error;
        jdbc.sql("update notification_outbox set attempts = attempts + 1, last_error = ?, next_attempt_at = ? where id = ?")
                .params(shortError, Timestamp.from(nextAttemptAt), id).update();
    }

    public void markDelivered(long id) {
        jdbc.sql("update notification_outbox set delivered_at = ? where id = ?")
                .params(Timestamp.from(ServiceClock.now()), id).update();
    }
}
