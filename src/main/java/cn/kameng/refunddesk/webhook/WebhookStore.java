package cn.kameng.refunddesk.webhook;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The webhook outbox's tables (V10): events, one delivery per subscriber, and the log of attempts. */
@Component
class WebhookStore {

    /** A delivery due to be sent, with what to send. */
    record Due(long id, String eventId, String subscriber, String disputeId, int sequence, int attempts,
            String type, String body) {
    }

    /** One try to deliver an event to a subscriber: the HTTP status, or the error when none came. */
    record Attempt(Instant at, Integer httpStatus, String error, long durationMs) {
    }

    /** A delivery as operations read it. */
    record Delivery(long id, String eventId, String type, String disputeId, int sequence, String subscriber,
            Instant occurredAt, Instant deliveredAt, int attempts, Instant nextAttemptAt, String lastError) {
    }

    private static final String DELIVERY_COLUMNS = """
            select d.id, d.event_id, e.type, d.dispute_id, d.sequence_no, d.subscriber, e.occurred_at, d.delivered_at,
              d.attempts, d.next_attempt_at, d.last_error
            from webhook_delivery d join webhook_event e on e.id = d.event_id""";

    private final JdbcClient jdbc;

    WebhookStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The dispute's next sequence number, 1 for its first event. The dispute's row stays locked until the
     * caller's transaction ends, so two changes of one dispute cannot take the same number (nor leave a gap:
     * a number is taken only by a transaction that commits its event).
     */
    int nextSequence(String disputeId) {
        jdbc.sql("select id from dispute where id = ? for update").param(disputeId).query(String.class).single();
        return jdbc.sql("select coalesce(max(sequence_no), 0) + 1 from webhook_event where dispute_id = ?")
                .param(disputeId).query(Integer.class).single();
    }

    void insertEvent(String id, String disputeId, int sequence, WebhookEventType type, Instant occurredAt,
            String body, String onceKey) {
        jdbc.sql("""
                insert into webhook_event (id, dispute_id, sequence_no, type, occurred_at, body, once_key)
                values (?, ?, ?, ?, ?, ?, ?)""")
                .params(id, disputeId, sequence, type.wireName(), Timestamp.from(occurredAt), body, onceKey).update();
    }

    boolean onceKeyTaken(String onceKey) {
        return jdbc.sql("select count(*) from webhook_event where once_key = ?").param(onceKey)
                .query(Integer.class).single() > 0;
    }

    void insertDelivery(String eventId, String subscriber, String disputeId, int sequence) {
        jdbc.sql("insert into webhook_delivery (event_id, subscriber, dispute_id, sequence_no) values (?, ?, ?, ?)")
                .params(eventId, subscriber, disputeId, sequence).update();
    }

    /**
     * Deliveries due now whose dispute has no earlier event still undelivered to the same subscriber,
     * oldest first: per subscriber and dispute, event n+1 waits until n was accepted.
     */
    List<Due> due(Instant now, int limit) {
        Timestamp at = Timestamp.from(now);
        return jdbc.sql("""
                select d.id, d.event_id, d.subscriber, d.dispute_id, d.sequence_no, d.attempts, e.type, e.body
                from webhook_delivery d join webhook_event e on e.id = d.event_id
                where d.delivered_at is null
                  and (d.next_attempt_at is null or d.next_attempt_at <= ?)
                  and (d.claimed_until is null or d.claimed_until <= ?)
                  and not exists (select 1 from webhook_delivery p where p.subscriber = d.subscriber
                      and p.dispute_id = d.dispute_id and p.sequence_no < d.sequence_no and p.delivered_at is null)
                order by d.id limit ?""")
                .params(at, at, limit)
                .query((rs, i) -> new Due(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getInt(5), rs.getInt(6), rs.getString(7), rs.getString(8)))
                .list();
    }

    /**
     * Takes the delivery for one relay until {@code until}; false when another relay (of any node) holds it
     * or it was delivered meanwhile. Committed at once (no transaction around the relay), before the send.
     */
    boolean claim(long id, Instant now, Instant until) {
        return jdbc.sql("""
                update webhook_delivery set claimed_until = ?
                where id = ? and delivered_at is null and (claimed_until is null or claimed_until <= ?)""")
                .params(Timestamp.from(until), id, Timestamp.from(now)).update() == 1;
    }

    void markDelivered(long id, Instant at) {
        jdbc.sql("update webhook_delivery set delivered_at = ?, attempts = attempts + 1, claimed_until = null, "
                + "last_error = null, next_attempt_at = null where id = ?")
                .params(Timestamp.from(at), id).update();
    }

    void markFailed(long id, String error, Instant nextAttemptAt) {
        jdbc.sql("update webhook_delivery set attempts = attempts + 1, last_error = ?, next_attempt_at = ?, "
                + "claimed_until = null where id = ?")
                .params(shorten(error), Timestamp.from(nextAttemptAt), id).update();
    }

    void logAttempt(long deliveryId, Attempt attempt) {
        jdbc.sql("""
                insert into webhook_attempt (delivery_id, attempted_at, http_status, error, duration_ms)
                values (?, ?, ?, ?, ?)""")
                .params(deliveryId, Timestamp.from(attempt.at()), attempt.httpStatus(), shorten(attempt.error()),
                        attempt.durationMs())
                .update();
    }

    /** Makes the event due again for the subscriber, now, with its id and body unchanged; false if never sent to it. */
    boolean redeliver(String eventId, String subscriber) {
        return jdbc.sql("""
                update webhook_delivery set delivered_at = null, next_attempt_at = null, claimed_until = null
                where event_id = ? and subscriber = ?""")
                .params(eventId, subscriber).update() == 1;
    }

    boolean eventExists(String eventId) {
        return jdbc.sql("select count(*) from webhook_event where id = ?").param(eventId).query(Integer.class)
                .single() > 0;
    }

    List<Delivery> ofDispute(String disputeId) {
        return jdbc.sql(DELIVERY_COLUMNS + " where d.dispute_id = ? order by d.subscriber, d.sequence_no")
                .param(disputeId).query(WebhookStore::delivery).list();
    }

    /** Undelivered deliveries that failed at least once, oldest first. */
    List<Delivery> failing(int limit) {
        return jdbc.sql(DELIVERY_COLUMNS + " where d.delivered_at is null and d.attempts > 0 order by d.id limit ?")
                .param(limit).query(WebhookStore::delivery).list();
    }

    Optional<Delivery> delivery(String eventId, String subscriber) {
        return jdbc.sql(DELIVERY_COLUMNS + " where d.event_id = ? and d.subscriber = ?").params(eventId, subscriber)
                .query(WebhookStore::delivery).optional();
    }

    List<Attempt> attempts(long deliveryId) {
        return jdbc.sql("""
                select attempted_at, http_status, error, duration_ms from webhook_attempt
                where delivery_id = ? order by id""")
                .param(deliveryId)
                .query((rs, i) -> new Attempt(rs.getTimestamp(1).toInstant(), (Integer) rs.getObject(2, Integer.class),
                        rs.getString(3), rs.getLong(4)))
                .list();
    }

    private static Delivery delivery(ResultSet rs, int i) throws SQLException {
        return new Delivery(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                rs.getString(6), instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8)), rs.getInt(9),
                instant(rs.getTimestamp(10)), rs.getString(11));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String shorten(String error) {
        return error == null ? null : error.length() > 500 ? error.substring(0, 500) : error;
    }
}
