package cn.kameng.refunddesk.workflow;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.process.DecisionTables;
import cn.kameng.refunddesk.process.ProcessIds;

/** Asks the eligibility decision (processes/dispute-eligibility.dmn) what to do with a claim. */
@Component
class Eligibility {

    public enum Verdict { PROCEED, REFUSE, PLATFORM_REFUND, INTERVENTION }

    record Result(Verdict verdict, String explanation) {
    }

    private final DecisionTables decisions;

    Eligibility(DecisionTables decisions) {
        this.decisions = decisions;
    }

    Result assess(Dispute dispute, Instant now) {
        Long days = dispute.deliveredAt() == null ? null : startedDays(Duration.between(dispute.deliveredAt(), now));
        Map<String, Object> input = new java.util.HashMap<>();
        input.put("reason", dispute.reason().name());
        input.put("productCategory", dispute.productCategory().name());
        input.put("daysSinceDelivery", days);
        Map<String, Object> result = decisions.single(ProcessIds.DECISION_ELIGIBILITY, input)
                .orElseThrow(() -> new IllegalStateException("the eligibility decision gave no answer for " + input));
        return new Result(Verdict.valueOf((String) result.get("verdict")), (String) result.get("explanation"));
    }

    /**
     * "Within 7 days of delivery" is 7 × 24 hours: a claim 7 days and 1 minute after delivery is on its
     * 8th day, so a started day counts as a day (7 days 23 hours is 8, exactly 7 days is 7).
     */
    static long startedDays(Duration sinceDelivery) {
        long days = sinceDelivery.toDays();
        return sinceDelivery.minusDays(days).toNanos() > 0 ? days + 1 : days;
    }
}
