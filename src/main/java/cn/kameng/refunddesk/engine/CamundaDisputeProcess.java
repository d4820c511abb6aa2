package cn.kameng.refunddesk.engine;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.process.DisputeProcess;
import cn.kameng.refunddesk.process.ProcessIds;

/** {@link DisputeProcess} on Camunda's runtime, task and management services. */
@Component
class CamundaDisputeProcess implements DisputeProcess {

    private final RuntimeService runtime;
    private final TaskService tasks;
    private final ManagementService management;

    CamundaDisputeProcess(RuntimeService runtime, TaskService tasks, ManagementService management) {
        this.runtime = runtime;
        this.tasks = tasks;
        this.management = management;
    }

    @Override
    public void start(String disputeId) {
        runtime.startProcessInstanceByKey(ProcessIds.PROCESS_REFUND_DISPUTE, disputeId,
                Map.of(ProcessIds.Var.REFUND_APPROVED, false));
    }

    @Override
    public void startComplaint(String disputeId, String complaintId, Instant answerDueAt) {
        runtime.startProcessInstanceByKey(ProcessIds.PROCESS_EXTERNAL_COMPLAINT, disputeId, Map.of(
                ProcessIds.Var.COMPLAINT_ID, complaintId,
                ProcessIds.Var.COMPLAINT_DUE_AT, Date.from(answerDueAt)));
    }

    @Override
    public boolean correlate(String disputeId, String message) {
        return correlate(disputeId, message, Map.of());
    }

    @Override
    public boolean correlate(String disputeId, String message, Map<String, Object> variables) {
        try {
            runtime.createMessageCorrelation(message).processInstanceBusinessKey(disputeId).setVariables(variables)
                    .correlateWithResult();
            return true;
        } catch (MismatchingMessageCorrelationException e) {
            return false;
        }
    }

    @Override
    public boolean correlateIfWaiting(String disputeId, String message) {
        return correlateWhereWaiting(runtime.createProcessInstanceQuery().processInstanceBusinessKey(disputeId).list(),
                message);
    }

    /**
     * Delivers {@code message} to the first of {@code instances} subscribed to it. Asked first rather than caught: a
     * correlation that finds no subscription fails its command, and a failed command marks the caller's Spring
     * transaction rollback-only, so the change that asked (a recovery, a complaint's close) would be lost with it.
     */
    private boolean correlateWhereWaiting(List<ProcessInstance> instances, String message) {
        for (ProcessInstance instance : instances) {
            if (runtime.createEventSubscriptionQuery().processInstanceId(instance.getId()).eventType("message")
                    .eventName(message).count() > 0) {
                runtime.createMessageCorrelation(message).processInstanceId(instance.getId()).correlateWithResult();
                return true;
            }
        }
        return false;
    }

    @Override
    public void startRefundAfterClose(String disputeId) {
        runtime.createMessageCorrelation(ProcessIds.Message.REFUND_ORDERED_AFTER_CLOSE)
                .processInstanceBusinessKey(disputeId).correlateStartMessage();
    }

    @Override
    public void startRestrictionReview(String disputeId) {
        runtime.startProcessInstanceByKey(ProcessIds.PROCESS_RESTRICTION_REVIEW, disputeId);
    }

    @Override
    public void startAppeal(String disputeId) {
        runtime.startProcessInstanceByKey(ProcessIds.PROCESS_APPEAL, disputeId);
    }

    @Override
    public void startReceivableRecovery(String disputeId) {
        runtime.startProcessInstanceByKey(ProcessIds.PROCESS_RECEIVABLE_RECOVERY, disputeId);
    }

    @Override
    public boolean waitsFor(String disputeId, String message) {
        ProcessInstance instance = runtime.createProcessInstanceQuery().processInstanceBusinessKey(disputeId)
                .processDefinitionKey(ProcessIds.PROCESS_REFUND_DISPUTE).singleResult();
        return instance != null
                && runtime.createEventSubscriptionQuery().processInstanceId(instance.getId()).eventName(message).count() > 0;
    }

    @Override
    public void raisePriority(String disputeId, String taskKey, int boost) {
        for (Task task : tasks.createTaskQuery().processInstanceBusinessKey(disputeId).taskDefinitionKey(taskKey).list()) {
            tasks.setPriority(task.getId(), task.getPriority() + boost);
        }
    }

    @Override
    public void raiseComplaintPriority(String complaintId, int boost) {
        for (Task task : tasks.createTaskQuery().processVariableValueEquals(ProcessIds.Var.COMPLAINT_ID, complaintId)
                .taskDefinitionKey(ProcessIds.Task.HANDLE_EXTERNAL_COMPLAINT).list()) {
            tasks.setPriority(task.getId(), task.getPriority() + boost);
        }
    }

    @Override
    public void moveDueDates(String disputeId, Instant from, Instant to) {
        for (ProcessInstance instance : runtime.createProcessInstanceQuery().processInstanceBusinessKey(disputeId).list()) {
            for (Job job : management.createJobQuery().processInstanceId(instance.getId()).timers().list()) {
                if (sameInstant(job.getDuedate(), from)) {
                    management.setJobDuedate(job.getId(), Date.from(to));
                }
            }
            for (Task task : tasks.createTaskQuery().processInstanceId(instance.getId()).list()) {
                if (sameInstant(task.getDueDate(), from)) {
                    task.setDueDate(Date.from(to));
                    tasks.saveTask(task);
                }
            }
        }
    }

    @Override
    public void moveComplaintDeadline(String complaintId, Instant to) {
        ProcessInstance instance = runtime.createProcessInstanceQuery()
                .processDefinitionKey(ProcessIds.PROCESS_EXTERNAL_COMPLAINT)
                .variableValueEquals(ProcessIds.Var.COMPLAINT_ID, complaintId).singleResult();
        if (instance == null) {
            return;
        }
        for (Job timer : management.createJobQuery().processInstanceId(instance.getId()).timers()
                .activityId(ProcessIds.Element.TIMER_COMPLAINT_OVERDUE).list()) {
            management.setJobDuedate(timer.getId(), Date.from(to));
        }
        for (Task task : tasks.createTaskQuery().processInstanceId(instance.getId())
                .taskDefinitionKey(ProcessIds.Task.HANDLE_EXTERNAL_COMPLAINT).list()) {
            task.setDueDate(Date.from(to));
            tasks.saveTask(task);
        }
        runtime.setVariable(instance.getId(), ProcessIds.Var.COMPLAINT_DUE_AT, Date.from(to));
    }

    @Override
    public boolean closeComplaintAtChannel(String complaintId) {
        return correlateWhereWaiting(runtime.createProcessInstanceQuery()
                .processDefinitionKey(ProcessIds.PROCESS_EXTERNAL_COMPLAINT)
                .variableValueEquals(ProcessIds.Var.COMPLAINT_ID, complaintId).list(),
                ProcessIds.Message.COMPLAINT_CLOSED_AT_CHANNEL);
    }

    @Override
    public void startUntiedChannelComplaint(String channelComplaintId, Instant dueAt, String facts, String buyerWords) {
        Map<String, Object> variables = new java.util.HashMap<>();
        variables.put(ProcessIds.Var.CHANNEL_COMPLAINT_ID, channelComplaintId);
        variables.put(ProcessIds.Var.CHANNEL_COMPLAINT_DUE_AT, dueAt == null ? null : Date.from(dueAt));
        variables.put(ProcessIds.Var.UNTIED_FACTS, facts);
        variables.put(ProcessIds.Var.UNTIED_BUYER_WORDS, buyerWords);
        runtime.startProcessInstanceByKey(ProcessIds.PROCESS_UNTIED_CHANNEL_COMPLAINT, channelComplaintId, variables);
    }

    @Override
    public boolean settleUntiedChannelComplaint(String channelComplaintId) {
        return correlateWhereWaiting(runtime.createProcessInstanceQuery()
                .processDefinitionKey(ProcessIds.PROCESS_UNTIED_CHANNEL_COMPLAINT)
                .processInstanceBusinessKey(channelComplaintId).list(), ProcessIds.Message.CHANNEL_COMPLAINT_SETTLED);
    }

    private static boolean sameInstant(Date date, Instant instant) {
        return date != null && Math.abs(date.getTime() - instant.toEpochMilli()) < 1000;
    }
}
