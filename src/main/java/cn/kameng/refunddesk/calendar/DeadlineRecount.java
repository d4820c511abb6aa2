package cn.kameng.refunddesk.calendar;

import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import cn.kameng.refunddesk.calendar.Deadlines.CountedOn;
import cn.kameng.refunddesk.process.DisputeProcess;

/**
 * A deadline counted Monday to Friday (its year's calendar was not published yet, or it was made
 * before this service knew the official calendar) is recounted on the official calendar as soon as
 * the calendar has that year: at start and after every reload. The dispute's deadline, the timer
 * that waits for it and the Tasklist due date move together, in one transaction per deadline.
 */
@Component
class DeadlineRecount {

    private static final Logger log = LoggerFactory.getLogger(DeadlineRecount.class);

    private final JdbcClient jdbc;
    private final WorkingDays workingDays;
    private final Deadlines deadlines;
    private final DisputeProcess process;
    private final TransactionTemplate transaction;

    DeadlineRecount(JdbcClient jdbc, WorkingDays workingDays, Deadlines deadlines, DisputeProcess process,
            TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.workingDays = workingDays;
        this.deadlines = deadlines;
        this.process = process;
        this.transaction = transaction;
        workingDays.onReload(calendar -> recount());
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStart() {
        recount();
    }

    private record Counted(String disputeId, String kind, Instant dueAt, String basis, Instant startedAt) {
    }

    /** Recounts every deadline counted Monday to Friday; returns how many moved. */
    int recount() {
        List<Counted> provisional = jdbc.sql("select dispute_id, kind, due_at, basis, started_at from dispute_deadline"
                + " where counted_on = ?").param(CountedOn.MONDAY_TO_FRIDAY.name())
                .query((rs, i) -> new Counted(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        rs.getString(4), rs.getTimestamp(5) == null ? null : rs.getTimestamp(5).toInstant()))
                .list();
        int moved = 0;
        for (Counted deadline : provisional) {
            try {
                Boolean changed = transaction.execute(status -> recount(deadline));
                if (Boolean.TRUE.equals(changed)) {
                    moved++;
                }
            } catch (RuntimeException e) {
                log.error("Could not recount the {} deadline of dispute {}: {}", deadline.kind(), deadline.disputeId(),
                        e.getMessage(), e);
            }
        }
        return moved;
    }

    private boolean recount(Counted deadline) {
        Sla basis = Sla.valueOf(deadline.basis());
        Instant start = deadline.startedAt() != null ? deadline.startedAt()
                : mondayToFridayBefore(deadline.dueAt(), basis.workingDays());
        Instant due = deadlines.after(start, basis);
        CountedOn counted = deadlines.countedOn(start, due, basis);
        if (counted == CountedOn.MONDAY_TO_FRIDAY && due.equals(deadline.dueAt())) {
            return false;
        }
        int updated = jdbc.sql("update dispute_deadline set due_at = ?, started_at = ?, counted_on = ?"
                + " where dispute_id = ? and kind = ? and due_at = ? and counted_on = ?")
                .params(Timestamp.from(due), Timestamp.from(start), counted.name(), deadline.disputeId(), deadline.kind(),
                        Timestamp.from(deadline.dueAt()), CountedOn.MONDAY_TO_FRIDAY.name())
                .update();
        if (updated == 0 || due.equals(deadline.dueAt())) {
            return false;
        }
        process.moveDueDates(deadline.disputeId(), deadline.dueAt(), due);
        log.info("Dispute {}: the {} deadline ({}) moved from {} to {} on the official calendar", deadline.disputeId(),
                deadline.kind(), basis, deadline.dueAt(), due);
        return true;
    }

    /** Deadlines stored before they kept their start: N weekdays back from the due instant, as they were counted. */
    private static Instant mondayToFridayBefore(Instant due, int days) {
        ZonedDateTime at = due.atZone(WorkingDays.BEIJING);
        for (int counted = 0; counted < days; ) {
            at = at.minusDays(1);
            if (at.getDayOfWeek() != DayOfWeek.SATURDAY && at.getDayOfWeek() != DayOfWeek.SUNDAY) {
                counted++;
            }
        }
        return at.toInstant();
    }
}
