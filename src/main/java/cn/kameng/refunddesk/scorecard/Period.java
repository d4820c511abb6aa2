package cn.kameng.refunddesk.scorecard;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

import cn.kameng.refunddesk.dispute.DomainException.BadInput;

/**
 * The days a scorecard covers: [from, to) in Beijing dates, from 00:00 Beijing time on {@code from} to 00:00
 * on {@code to}. A scorecard is one row for the whole range (not one per month).
 */
public record Period(LocalDate from, LocalDate to) {

    /** Scorecards count in the platform's days, whatever the server's time zone. */
    public static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

    /** The period a request asks for, or a 400 naming the field at fault. */
    static Period parse(String from, String to, int maxDays) {
        LocalDate start = date("from", from);
        LocalDate end = date("to", to);
        if (!end.isAfter(start)) {
            throw BadInput.field("to", "must be a later date than from (" + start + "): the range is [from, to)");
        }
        if (ChronoUnit.DAYS.between(start, end) > maxDays) {
            throw BadInput.field("to", "may be at most " + maxDays + " days after from (" + start + ")");
        }
        return new Period(start, end);
    }

    private static LocalDate date(String field, String value) {
        if (value == null || value.isBlank()) {
            throw BadInput.field(field, "is required, a date such as 2026-11-01 (Beijing)");
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw BadInput.field(field, "'" + value + "' is not a date such as 2026-11-01");
        }
    }

    Instant start() {
        return from.atStartOfDay(BEIJING).toInstant();
    }

    Instant end() {
        return to.atStartOfDay(BEIJING).toInstant();
    }
}
