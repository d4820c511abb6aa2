package cn.kameng.refunddesk.calendar;

import java.util.Map;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** Every deadline of the refund path, bound from {@code dispute.sla} in application.yaml. */
@Validated
@ConfigurationProperties(prefix = "dispute.sla")
public record SlaProperties(
        @NotNull Sla merchantReply,
        @NotNull Sla customerAction,
        @NotNull Sla reviewDue,
        @NotNull Sla reviewEscalation,
        @NotNull Sla merchantProof,
        @NotNull Sla arbitrationDue,
        @NotNull Sla additionalEvidence,
        @NotNull Sla autoCloseAfterRefund,
        @NotNull Sla refundExceptionDue,
        @NotNull Map<String, Sla> complaint,
        @NotNull Map<String, Sla> refundArrival,
        @NotNull String refundRetryCycle) {
}
