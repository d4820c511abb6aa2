package cn.kameng.refunddesk.evidence;

import java.util.Set;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/** Upload rules, bound from {@code dispute.evidence} in application.yaml. */
@Validated
@ConfigurationProperties(prefix = "dispute.evidence")
record EvidenceProperties(
        /** The largest evidence file; larger is 413. */
        @NotNull DataSize maxFileSize,
        /** Media types accepted, as detected from the bytes (never the name or the declared type). */
        @NotEmpty Set<String> allowedTypes,
        /** The most pixels (width × height, as its header declares) a PNG, JPEG or GIF may have; more is 415. */
        @DefaultValue("100000000") @Positive long maxImagePixels) {
}
