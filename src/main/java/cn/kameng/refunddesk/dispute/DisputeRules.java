package cn.kameng.refunddesk.dispute;

import java.util.Set;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** Thresholds and lists process owners tune, bound from {@code dispute.rules} in application.yaml. */
@Validated
@ConfigurationProperties(prefix = "dispute.rules")
public record DisputeRules(
        @Min(1) long fourEyesThresholdFen,
        @NotNull Set<Reason> merchantBurdenReasons,
        @Min(0) int escalationPriorityBoost,
        @Min(1) int maxEvidencePerDispute) {
}
