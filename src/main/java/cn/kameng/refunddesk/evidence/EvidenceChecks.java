package cn.kameng.refunddesk.evidence;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The last result of each verification check of a dispute (table evidence_check). */
@Repository
public class EvidenceChecks {

    public enum Name { ORDER_OF_CUSTOMER, PAYMENT_MATCHES, CARD_KEY_MATCHES, CARD_KEY_REDEMPTION, CHAT_LOG_ATTACHED,
        CUSTOMER_REQUIRED_EVIDENCE }

    /** CANNOT_RUN: the check could not be made (never counted as passed); NOT_APPLICABLE: nothing to check. */
    public enum Result { PASSED, FAILED, CANNOT_RUN, NOT_APPLICABLE }

    public record Entry(Name name, Result result, String detail, Instant checkedAt) {
        public String line() {
            return name + " " + result + "：" + detail;
        }
    }

    private final JdbcClient jdbc;

    EvidenceChecks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void save(String disputeId, List<Entry> entries) {
        for (Entry e : entries) {
            jdbc.sql("delete from evidence_check where dispute_id = ? and check_name = ?").params(disputeId,
                    e.name().name()).update();
            jdbc.sql("insert into evidence_check (dispute_id, check_name, result, detail, checked_at) values (?, ?, ?, ?, ?)")
                    .params(disputeId, e.name().name(), e.result().name(), e.detail(), Timestamp.from(e.checkedAt()))
                    .update();
        }
    }

    public List<Entry> of(String disputeId) {
        return jdbc.sql("select * from evidence_check where dispute_id = ?").param(disputeId)
                .query((rs, i) -> new Entry(Name.valueOf(rs.getString("check_name")),
                        Result.valueOf(rs.getString("result")), rs.getString("detail"),
                        rs.getTimestamp("checked_at").toInstant()))
                .list().stream().sorted(java.util.Comparator.comparing(Entry::name)).toList();
    }
}
