package cn.kameng.refunddesk.dispute;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The dispute's history as the parties and staff read it: one entry per transition. */
@Component
public class Timeline {

    public record Entry(Instant at, String actor, String event, String message) {
    }

    private final JdbcClient jdbc;

    Timeline(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void record(String disputeId, String actor, String event, String message) {
        jdbc.sql("insert into timeline_entry (dispute_id, at, actor, event, message) values (?, ?, ?, ?, ?)")
                .params(disputeId, Timestamp.from(ServiceClock.now()), actor, event, message).update();
    }

    public List<Entry> of(String disputeId) {
        return jdbc.sql("select at, actor, event, message from timeline_entry where dispute_id = ? order by id")
                .param(disputeId)
                .query((rs, i) -> new Entry(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                        rs.getString(4)))
                .list();
    }
}
