package cn.kameng.refunddesk.evidence;

import java.util.Set;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/** Upload rules, bound from {@code dispute.evidence} in application.yaml. */
@Validated
@ConfigurationProperties(prefix = "dispute.evidence")
record EvidenceProperties(
        /** The largest evidence file; larger is 413. */
        @NotNull DataSize maxFileSize,
        /** Media types accepted, as detected from the bytes (never the name or the declared type). */
        @NotEmpty Set<String> allowedTypes) {
}
