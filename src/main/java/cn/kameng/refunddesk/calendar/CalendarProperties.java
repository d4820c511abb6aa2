package cn.kameng.refunddesk.calendar;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where the official calendar comes from, bound from {@code dispute.calendar}: the years built into the
 * service, plus {@code cn-official-calendar-<year>.csv} files that operations drop into {@code directory}
 * (read at start and again every {@code rescan-interval}, no rebuild or restart needed). From
 * {@code warn-before-end} before the last published year ends, health shows the calendar as degraded.
 */
@Validated
@ConfigurationProperties(prefix = "dispute.calendar")
public record CalendarProperties(@NotNull Path directory, @NotNull Duration rescanInterval,
        @NotNull Duration warnBeforeEnd) {
}
