package cn.kameng.refunddesk.engine;

import java.time.Instant;
import java.util.Date;

import org.camunda.bpm.engine.impl.calendar.BusinessCalendar;
import org.camunda.bpm.engine.impl.calendar.CycleBusinessCalendar;
import org.camunda.bpm.engine.impl.calendar.DueDateBusinessCalendar;
import org.camunda.bpm.engine.impl.calendar.DurationBusinessCalendar;
import org.camunda.bpm.engine.impl.calendar.MapBusinessCalendarManager;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.task.Task;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.calendar.Deadlines;
import cn.kameng.refunddesk.calendar.Sla;
import cn.kameng.refunddesk.calendar.WorkingDays;
import cn.kameng.refunddesk.dispute.ServiceClock;

/**
 * Teaches the engine's own business calendars working days: anywhere the Modeler takes a timer
 * (date or duration) or a user task due/follow-up date, {@code 3WD} means three working days on the
 * official calendar from now, next to the ISO-8601 values ({@code PT48H}, {@code P7D}, a date) that
 * keep their usual meaning in calendar time. The dispute process's own deadlines go through
 * {@link Deadlines}, which counts on the same {@link WorkingDays}.
 */
@Component
class WorkingDayBusinessCalendar extends AbstractProcessEnginePlugin {

    private final WorkingDays workingDays;

    WorkingDayBusinessCalendar(WorkingDays workingDays) {
        this.workingDays = workingDays;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        MapBusinessCalendarManager calendars = new MapBusinessCalendarManager();
        calendars.addBusinessCalendar(DurationBusinessCalendar.NAME, new Calendar(new DurationBusinessCalendar()));
        calendars.addBusinessCalendar(DueDateBusinessCalendar.NAME, new Calendar(new DueDateBusinessCalendar()));
        calendars.addBusinessCalendar(CycleBusinessCalendar.NAME, new CycleBusinessCalendar());
        configuration.setBusinessCalendarManager(calendars);
    }

    /** Working days first, the engine's own reading of ISO-8601 otherwise. */
    private final class Calendar implements BusinessCalendar {
        private final BusinessCalendar iso;

        Calendar(BusinessCalendar iso) {
            this.iso = iso;
        }

        @Override
        public Date resolveDuedate(String description) {
            return resolveDuedate(description, (Date) null);
        }

        @Override
        public Date resolveDuedate(String description, Task task) {
            return resolveDuedate(description, (Date) null);
        }

        @Override
        public Date resolveDuedate(String description, Date startDate) {
            if (description != null && description.strip().toUpperCase(java.util.Locale.ROOT).endsWith("WD")) {
                Sla sla = Sla.valueOf(description);
                Instant start = startDate != null ? startDate.toInstant() : ServiceClock.now();
                return Date.from(workingDays.plusWorkingDays(start, sla.workingDays()));
            }
            return startDate == null ? iso.resolveDuedate(description) : iso.resolveDuedate(description, startDate);
        }
    }
}
