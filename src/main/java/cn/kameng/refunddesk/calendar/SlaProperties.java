package cn.kameng.refunddesk.calendar;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import cn.kameng.refunddesk.dispute.ComplaintChannel;
import cn.kameng.refunddesk.order.PaymentChannel;

/**
 * Every deadline of the refund path, bound from {@code dispute.sla} in application.yaml. A mistake
 * there (a channel missing or misspelt, a retry cycle Camunda cannot read) stops the start-up with a
 * sentence naming the key, rather than failing a dispute weeks later when that channel first occurs.
 */
@Validated
@ConfigurationProperties(prefix = "dispute.sla")
public record SlaProperties(
        @NotNull Sla merchantReply,
        @NotNull Sla customerAction,
        @NotNull Sla reviewDue,
        @NotNull Sla reviewEscalation,
        @NotNull Sla merchantProof,
        @NotNull Sla arbitrationDue,
        @NotNull Sla rulingApprovalDue,
        @NotNull Sla additionalEvidence,
        @NotNull Sla autoCloseAfterRefund,
        @NotNull Sla refundExceptionDue,
        @NotNull Sla restrictionReviewDue,
        @NotNull Sla receivableRecoveryDue,
        @NotNull Sla appealWindow,
        @NotNull Sla appealDecision,
        @NotNull Map<String, Sla> complaint,
        @NotNull Map<String, Sla> refundArrival,
        @NotNull String refundRetryCycle) {

    /** Camunda's failed-job retry cycle: {@code R5/PT1M}, or a list of waits {@code PT1M,PT10M,PT1H}. */
    private static final Pattern REPEATED = Pattern.compile("R(\\d{1,3})/(.+)");

    public SlaProperties {
        requireOnePerChannel("dispute.sla.complaint", complaint, ComplaintChannel.values());
        requireOnePerChannel("dispute.sla.refund-arrival", refundArrival, PaymentChannel.values());
        requireRetryCycle(refundRetryCycle);
    }

    private static void requireOnePerChannel(String key, Map<String, Sla> entries, Enum<?>[] channels) {
        if (entries == null) {
            return; // @NotNull says so
        }
        List<String> expected = Arrays.stream(channels).map(Enum::name).toList();
        TreeSet<String> missing = new TreeSet<>(expected);
        missing.removeAll(entries.keySet());
        TreeSet<String> unknown = new TreeSet<>(entries.keySet());
        unknown.removeAll(expected);
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            throw new IllegalArgumentException(key + " needs exactly one entry for each of " + expected
                    + (missing.isEmpty() ? "" : "; missing: " + missing)
                    + (unknown.isEmpty() ? "" : "; unknown: " + unknown));
        }
    }

    private static void requireRetryCycle(String cycle) {
        if (cycle == null) {
            return; // @NotNull says so
        }
        String problem = "dispute.sla.refund-retry-cycle '" + cycle + "' is not a Camunda retry cycle such as"
                + " R5/PT1M (5 attempts, 1 minute apart) or PT1M,PT10M,PT1H (a wait before each retry)";
        Matcher repeated = REPEATED.matcher(cycle.trim());
        List<String> waits = repeated.matches() ? List.of(repeated.group(2)) : Arrays.asList(cycle.split(","));
        if (repeated.matches() && Integer.parseInt(repeated.group(1)) < 1) {
            throw new IllegalArgumentException(problem);
        }
        for (String wait : waits) {
            try {
                if (Duration.parse(wait.trim()).isNegative()) {
                    throw new IllegalArgumentException(problem);
                }
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(problem);
            }
        }
    }
}
