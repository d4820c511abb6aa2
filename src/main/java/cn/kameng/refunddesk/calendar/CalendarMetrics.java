package cn.kameng.refunddesk.calendar;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.ServiceClock;

/**
 * The official calendar's runway: {@code kameng_calendar_days_left} until its last published day (negative once
 * past it, -1 with no calendar at all) and {@code kameng_calendar_rejected_files}. The alert "calendar degraded"
 * fires on these as health's {@code officialCalendar} turns DEGRADED.
 */
@Component
class CalendarMetrics implements MeterBinder {

    private final WorkingDays workingDays;

    CalendarMetrics(WorkingDays workingDays) {
        this.workingDays = workingDays;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("kameng.calendar.days.left", workingDays, w -> w.calendar().lastKnownDay()
                        .map(last -> (double) ChronoUnit.DAYS.between(today(), last)).orElse(-1.0))
                .description("Days until the last day of the loaded official calendar").register(registry);
        Gauge.builder("kameng.calendar.rejected.files", workingDays, w -> w.calendar().rejectedFiles().size())
                .description("Calendar files refused at load").register(registry);
    }

    private static LocalDate today() {
        return ServiceClock.now().atZone(WorkingDays.BEIJING).toLocalDate();
    }
}
