package cn.kameng.refunddesk.abuse;

import java.time.Instant;

/**
 * One flag on one dispute, as staff read it: the DMN rule's sentence and the facts it saw, in words.
 * {@code label} is the flag's name for staff.
 */
public record RaisedFlag(long id, String disputeId, AbuseFlag flag, String label, Audience audience, String sentence,
        String facts, Stage stage, String customerId, String merchantId, Instant raisedAt) {

    /** One line of a staff form (Markdown). */
    public String line() {
        return "- **" + label + "**（" + audience.label() + "）：" + sentence + " 统计：" + facts;
    }
}
