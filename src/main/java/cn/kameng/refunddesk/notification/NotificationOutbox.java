package cn.kameng.refunddesk.notification;

import java.sql.Timestamp;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.calendar.Deadlines;

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
                .params(disputeId, recipient, event, message, Timestamp.from(Deadlines.now())).update();
    }

    public List<Notification> undelivered(int limit) {
        return jdbc.sql("""
                select id, dispute_id, recipient, event, message, created_at from notification_outbox
                where delivered_at is null order by id limit ?""")
                .param(limit)
                .query((rs, i) -> new Notification(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getTimestamp(6).toInstant()))
                .list();
    }

    public List<Notification> forDispute(String disputeId) {
        return jdbc.sql("""
                select id, dispute_id, recipient, event, message, created_at from notification_outbox
                where dispute_id = ? order by id""")
                .param(disputeId)
                .query((rs, i) -> new Notification(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getTimestamp(6).toInstant()))
                .list();
    }

    void markDelivered(long id) {
        jdbc.sql("update notification_outbox set delivered_at = ? where id = ?")
                .params(Timestamp.from(Deadlines.now()), id).update();
    }
}
