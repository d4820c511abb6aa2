package cn.kameng.refunddesk.evidence;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import cn.kameng.refunddesk.dispute.Party;

/** The last result of each verification check of a dispute (table evidence_check). */
@Repository
public class EvidenceChecks {

    /**
     * Each check, what staff call it, and whose claim it supports when it passes and when it fails
     * (null: neither side's).
     */
    public enum Name {
        ORDER_OF_CUSTOMER("订单归属", Party.CUSTOMER, Party.MERCHANT),
        PAYMENT_MATCHES("支付记录", Party.CUSTOMER, Party.MERCHANT),
        CARD_KEY_MATCHES("买家报告的卡密", Party.CUSTOMER, Party.MERCHANT),
        /** Passed: the key was good when delivered (the merchant's side); failed: used or expired before. */
        CARD_KEY_REDEMPTION("供货商卡密兑换记录", Party.MERCHANT, Party.CUSTOMER),
        CHAT_LOG_ATTACHED("平台聊天记录", null, null),
        CUSTOMER_REQUIRED_EVIDENCE("买家应提供的证据", Party.CUSTOMER, null);

        private final String label;
        private final Party whenPassed;
        private final Party whenFailed;

        Name(String label, Party whenPassed, Party whenFailed) {
            this.label = label;
            this.whenPassed = whenPassed;
            this.whenFailed = whenFailed;
        }

        public String label() {
            return label;
        }
    }

    /** CANNOT_RUN: the check could not be made (never counted as passed); NOT_APPLICABLE: nothing to check. */
    public enum Result {
        PASSED("相符"), FAILED("不符"), CANNOT_RUN("未能核验"), NOT_APPLICABLE("不适用");

        private final String label;

        Result(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public record Entry(Name name, Result result, String detail, Instant checkedAt) {

        /** Whose claim this result supports: the customer's, the merchant's, or nobody's (null). */
        public Party supports() {
            return switch (result) {
                case PASSED -> name.whenPassed;
                case FAILED -> name.whenFailed;
                case CANNOT_RUN, NOT_APPLICABLE -> null;
            };
        }

        /** One sentence for staff: what was checked, the result, what the records say, and whom it supports. */
        public String line() {
            Party side = supports();
            String verdict = switch (result) {
                case CANNOT_RUN -> "未能核验，不能作为任何一方的依据";
                case NOT_APPLICABLE -> "不适用";
                default -> side == null ? "不偏向任何一方" : "支持" + side.label() + "的主张";
            };
            return name.label() + "：" + result.label() + "——" + detail + "。→ " + verdict + "。";
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
