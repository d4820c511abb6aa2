package cn.kameng.refunddesk.complaint;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import cn.kameng.refunddesk.calendar.Deadlines.CountedOn;
import cn.kameng.refunddesk.calendar.Deadlines;
import cn.kameng.refunddesk.calendar.Sla;
import cn.kameng.refunddesk.calendar.WorkingDays;
import cn.kameng.refunddesk.process.DisputeProcess;

/**
 * An open complaint whose answer deadline was counted Monday to Friday (12315's 7 working days reaching into
 * a year whose calendar was not published yet) is recounted from its receipt when the calendar has that year:
 * at start and after every calendar reload. The complaint's deadline, its overdue timer, the Tasklist due date
 * and the process variable move together, in one transaction per complaint.
 */
@Component
class ComplaintDeadlineRecount {

    private static final Logger log = LoggerFactory.getLogger(ComplaintDeadlineRecount.class);

    private final ComplaintRecords complaints;
    private final Deadlines deadlines;
    private final DisputeProcess process;
    private final TransactionTemplate transaction;

    ComplaintDeadlineRecount(ComplaintRecords complaints, Deadlines deadlines, WorkingDays workingDays,
            DisputeProcess process, TransactionTemplate transaction) {
        this.complaints = complaints;
        this.deadlines = deadlines;
        this.process = process;
        this.transaction = transaction;
        workingDays.afterReload(this::recount);
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStart() {
        recount();
    }

    /** Recounts every open complaint counted Monday to Friday; returns how many deadlines moved. */
    int recount() {
        int moved = 0;
        for (Complaint complaint : complaints.openCountedMondayToFriday()) {
            try {
                if (Boolean.TRUE.equals(transaction.execute(status -> recount(complaint)))) {
                    moved++;
                }
            } catch (RuntimeException e) {
                log.error("Could not recount the answer deadline of complaint {}: {}", complaint.id(), e.getMessage(), e);
            }
        }
        return moved;
    }

    private boolean recount(Complaint complaint) {
        Sla answerWithin = deadlines.complaint(complaint.channel());
        Instant due = deadlines.after(complaint.receivedAt(), answerWithin);
        CountedOn counted = deadlines.countedOn(complaint.receivedAt(), due, answerWithin);
        if (counted == CountedOn.MONDAY_TO_FRIDAY && due.equals(complaint.dueAt())) {
            return false;
        }
        if (!complaints.recount(complaint, due, counted) || due.equals(complaint.dueAt())) {
            return false;
        }
        process.moveComplaintDeadline(complaint.id(), due);
        log.info("Complaint {} ({}): the answer deadline ({}) moved from {} to {} on the official calendar",
                complaint.id(), complaint.channel(), answerWithin, complaint.dueAt(), due);
        return true;
    }
}
