package cn.kameng.refunddesk.complaint;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import cn.kameng.refunddesk.calendar.Deadlines.CountedOn;
import cn.kameng.refunddesk.dispute.ComplaintChannel;
import cn.kameng.refunddesk.dispute.ServiceClock;

@Repository
public class ComplaintRecords {

    private static final RowMapper<Complaint> MAPPER = (rs, i) -> {
        Timestamp answered = rs.getTimestamp("answered_at");
        return new Complaint(rs.getString("id"), ComplaintChannel.valueOf(rs.getString("channel")),
                rs.getString("external_id"), rs.getString("order_id"), rs.getString("dispute_id"),
                rs.getString("summary"), ComplaintStatus.valueOf(rs.getString("status")),
                rs.getString("outcome") == null ? null : ComplaintOutcome.valueOf(rs.getString("outcome")), rs.getString("response"),
                rs.getString("handled_by"), rs.getTimestamp("due_at").toInstant(),
                rs.getTimestamp("received_at").toInstant(), answered == null ? null : answered.toInstant(),
                CountedOn.valueOf(rs.getString("counted_on")));
    };

    private final JdbcClient jdbc;

    ComplaintRecords(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Complaint c) {
        jdbc.sql("""
                insert into external_complaint (id, channel, external_id, order_id, dispute_id, summary, status,
                  due_at, received_at, counted_on) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(c.id(), c.channel().name(), c.externalId(), c.orderId(), c.disputeId(), c.summary(),
                        c.status().name(), Timestamp.from(c.dueAt()), Timestamp.from(c.receivedAt()), c.countedOn().name())
                .update();
    }

    /** Open complaints whose deadline was counted Monday to Friday for want of the year's official calendar. */
    List<Complaint> openCountedMondayToFriday() {
        return jdbc.sql("select * from external_complaint where status = 'OPEN' and counted_on = ?")
                .param(CountedOn.MONDAY_TO_FRIDAY.name()).query(MAPPER).list();
    }

    /** Sets the recounted deadline if the complaint still has the one it was recounted from; false otherwise. */
    boolean recount(Complaint c, Instant dueAt, CountedOn countedOn) {
        return jdbc.sql("""
                update external_complaint set due_at = ?, counted_on = ?
                 where id = ? and status = 'OPEN' and due_at = ? and counted_on = ?""")
                .params(Timestamp.from(dueAt), countedOn.name(), c.id(), Timestamp.from(c.dueAt()),
                        CountedOn.MONDAY_TO_FRIDAY.name())
                .update() == 1;
    }

    Optional<Complaint> find(ComplaintChannel channel, String externalId) {
        return jdbc.sql("select * from external_complaint where channel = ? and external_id = ?")
                .params(channel.name(), externalId).query(MAPPER).optional();
    }

    public Optional<Complaint> find(String id) {
        return jdbc.sql("select * from external_complaint where id = ?").param(id).query(MAPPER).optional();
    }

    public List<Complaint> ofDispute(String disputeId) {
        return jdbc.sql("select * from external_complaint where dispute_id = ? order by received_at").param(disputeId)
                .query(MAPPER).list();
    }

    void answer(String id, ComplaintOutcome outcome, String response, String handledBy) {
        jdbc.sql("""
                update external_complaint set status = 'ANSWERED', outcome = ?, response = ?, handled_by = ?,
                  answered_at = ? where id = ?""")
                .params(outcome.name(), response, handledBy, Timestamp.from(ServiceClock.now()), id).update();
    }

    /**
     * The channel closed the complaint: recorded as closed at the channel by {@code closedBy} (the source), with the
     * channel's status as its response. False when it was no longer open (answered, or closed already).
     */
    boolean closeAtChannel(String id, String closedBy, String channelStatus) {
        return jdbc.sql("""
                update external_complaint set status = ?, outcome = ?, response = ?, handled_by = ?, answered_at = ?
                 where id = ? and status = 'OPEN'""")
                .params(ComplaintStatus.CLOSED_AT_CHANNEL.name(), ComplaintOutcome.CLOSED_AT_CHANNEL.name(),
                        "渠道状态：" + channelStatus, closedBy, Timestamp.from(ServiceClock.now()), id)
                .update() == 1;
    }
}
