package cn.kameng.refunddesk.calendar;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.springframework.stereotype.Component;

/**
 * The one place that knows what a working day is. For now Monday to Friday in Beijing time; the
 * official calendar (holidays and make-up days) replaces {@link #isWorkingDay(LocalDate)}.
 */
@Component
public class WorkingDays {

    public static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

    public boolean isWorkingDay(LocalDate day) {
        DayOfWeek dow = day.getDayOfWeek();
        return dow != DayOfWeek.SATURDAY && dow != DayOfWeek.SUNDAY;
    }

    /**
     * The instant N working days after {@code start}: the same time of day on the Nth working day.
     * A start on a non-working day counts from the start of the next working day.
     */
    public Instant plusWorkingDays(Instant start, int days) {
        ZonedDateTime at = start.atZone(BEIJING);
        if (!isWorkingDay(at.toLocalDate())) {
            LocalDate next = at.toLocalDate().plusDays(1);
            while (!isWorkingDay(next)) {
                next = next.plusDays(1);
            }
            at = next.atStartOfDay(BEIJING);
        }
        LocalDate day = at.toLocalDate();
        int counted = 0;
        while (counted < days) {
            day = day.plusDays(1);
            if (isWorkingDay(day)) {
                counted++;
            }
        }
        return ZonedDateTime.of(day, at.toLocalTime(), BEIJING).toInstant();
    }
}
