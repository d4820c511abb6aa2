package cn.kameng.refunddesk.calendar;

import java.time.LocalDate;
import java.util.Optional;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.ServiceClock;

/**
 * {@code /actuator/health} component {@code officialCalendar}: UP while the published years run well
 * ahead; DEGRADED from {@code dispute.calendar.warn-before-end} before the last published year ends (the
 * State Council publishes the next year each November: time to drop its file in), and when a dropped file
 * was refused. DEGRADED answers HTTP 200: the service works, deadlines past the known years are counted
 * Monday to Friday and marked so.
 */
@Component("officialCalendar")
class CalendarHealth implements HealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED");

    private final WorkingDays workingDays;
    private final CalendarProperties properties;

    CalendarHealth(WorkingDays workingDays, CalendarProperties properties) {
        this.workingDays = workingDays;
        this.properties = properties;
    }

    @Override
    public Health health() {
        OfficialCalendar calendar = workingDays.calendar();
        LocalDate today = ServiceClock.now().atZone(WorkingDays.BEIJING).toLocalDate();
        Optional<LocalDate> lastKnown = calendar.lastKnownDay();
        Health.Builder health = new Health.Builder(Status.UP)
                .withDetail("years", calendar.years().keySet())
                .withDetail("directory", properties.directory().toAbsolutePath().toString());
        lastKnown.ifPresent(day -> health.withDetail("lastKnownDay", day.toString()));
        if (lastKnown.isEmpty()) {
            return health.status(DEGRADED).withDetail("problem", "no official calendar is loaded: every working day is counted "
                    + "Monday to Friday").build();
        }
        LocalDate warnFrom = lastKnown.get().plusDays(1).minusDays(properties.warnBeforeEnd().toDays());
        if (!today.isBefore(warnFrom)) {
            int next = lastKnown.get().getYear() + 1;
            health.status(DEGRADED).withDetail("problem", "the official calendar ends on " + lastKnown.get()
                    + "; deadlines in " + next + " will be counted Monday to Friday until cn-official-calendar-" + next
                    + ".csv is added to " + properties.directory().toAbsolutePath());
        }
        if (!calendar.rejectedFiles().isEmpty()) {
            health.status(DEGRADED).withDetail("rejectedFiles", calendar.rejectedFiles());
        }
        return health.build();
    }
}
