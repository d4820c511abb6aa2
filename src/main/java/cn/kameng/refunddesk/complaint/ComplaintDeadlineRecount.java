package cn.kameng.refunddesk.complaint;

import java.time.Instant;
import java.util.Date;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import cn.kameng.refunddesk.calendar.Deadlines;
import cn.kameng.refunddesk.calendar.Deadlines.CountedOn;
import cn.kameng.refunddesk.calendar.Sla;
import cn.kameng.refunddesk.calendar.WorkingDays;
import cn.kameng.refunddesk.process.ProcessIds;

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
    private final RuntimeService runtime;
    private final ManagementService management;
    private final TaskService tasks;
    private final TransactionTemplate transaction;

    ComplaintDeadlineRecount(ComplaintRecords complaints, Deadlines deadlines, WorkingDays workingDays,
            RuntimeService runtime, ManagementService management, TaskService tasks, TransactionTemplate transaction) {
        this.complaints = complaints;
        this.deadlines = deadlines;
        this.runtime = runtime;
        this.management = management;
        this.tasks = tasks;
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
        Sla answerWithin = deadlines.complaint(complaint.channel().name());
        Instant due = deadlines.after(complaint.receivedAt(), answerWithin);
        CountedOn counted = deadlines.countedOn(complaint.receivedAt(), due, answerWithin);
        if (counted == CountedOn.MONDAY_TO_FRIDAY && due.equals(complaint.dueAt())) {
            return false;
        }
        if (!complaints.recount(complaint, due, counted) || due.equals(complaint.dueAt())) {
            return false;
        }
        ProcessInstance instance = runtime.createProcessInstanceQuery()
                .processDefinitionKey(ProcessIds.PROCESS_EXTERNAL_COMPLAINT)
                .variableValueEquals(ProcessIds.Var.COMPLAINT_ID, complaint.id()).singleResult();
        if (instance != null) {
            for (Job timer : management.createJobQuery().processInstanceId(instance.getId()).timers()
                    .activityId(ProcessIds.Element.TIMER_COMPLAINT_OVERDUE).list()) {
                management.setJobDuedate(timer.getId(), Date.from(due));
            }
            for (Task task : tasks.createTaskQuery().processInstanceId(instance.getId())
                    .taskDefinitionKey(ProcessIds.Task.HANDLE_EXTERNAL_COMPLAINT).list()) {
                task.setDueDate(Date.from(due));
                tasks.saveTask(task);
            }
            runtime.setVariable(instance.getId(), ProcessIds.Var.COMPLAINT_DUE_AT, Date.from(due));
        }
        log.info("Complaint {} ({}): the answer deadline ({}) moved from {} to {} on the official calendar",
                complaint.id(), complaint.channel(), answerWithin, complaint.dueAt(), due);
        return true;
    }
}
