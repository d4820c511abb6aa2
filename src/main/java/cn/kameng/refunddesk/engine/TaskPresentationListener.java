package cn.kameng.refunddesk.engine;

import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.authorization.TaskPermissions;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.complaint.ComplaintRecords;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeRepository;
import cn.kameng.refunddesk.process.ProcessIds.Task;
import cn.kameng.refunddesk.process.ProcessIds.Var;

/**
 * When a staff task is created, gives it its name, follow-up date and priority from the dispute
 * ({@link TaskPresentation}). It puts no variables on the task: the form reads the case's facts when
 * it is opened ({@link CaseFacts}).
 */
@Component("taskPresentationListener")
class TaskPresentationListener implements TaskListener {

    private final DisputeRepository disputes;
    private final ComplaintRecords complaints;

    TaskPresentationListener(DisputeRepository disputes, ComplaintRecords complaints) {
        this.disputes = disputes;
        this.complaints = complaints;
    }

    @Override
    public void notify(DelegateTask task) {
        Dispute d = disputes.get(task.getExecution().getProcessBusinessKey());
        Long atStake = Task.APPROVE_RULING.equals(task.getTaskDefinitionKey()) && d.approvedAmountFen() != null
                ? d.approvedAmountFen() : Long.valueOf(d.claimedAmountFen());
        String complaintChannel = !Task.HANDLE_EXTERNAL_COMPLAINT.equals(task.getTaskDefinitionKey()) ? null
                : complaints.find((String) task.getVariable(Var.COMPLAINT_ID))
                        .map(c -> c.channel().label() + " (" + c.channel() + ")").orElse(null);
        TaskPresentation.apply(task, d, atStake, complaintChannel);
        boolean ownRuling = Task.APPROVE_RULING.equals(task.getTaskDefinitionKey())
                || Task.DECIDE_APPEAL.equals(task.getTaskDefinitionKey());
        if (ownRuling && d.ruledBy() != null) {
            hideFrom(task, d.ruledBy());
        }
    }

    /**
     * Four eyes: the arbiter who ruled may be a senior arbiter too, and would see the approval of their own
     * ruling in 四眼审批 and 已逾期 though the server refuses them its claim and completion (StaffDecisions).
     * A user-level revoke on this one task outweighs their group's grant, so the engine leaves it out of every
     * list and query of theirs; Camunda deletes the task's authorizations with the task.
     */
    private static void hideFrom(DelegateTask task, String userId) {
        var authorizations = task.getProcessEngineServices().getAuthorizationService();
        Context.getCommandContext().runWithoutAuthorization(() -> {
            Authorization revoke = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_REVOKE);
            revoke.setUserId(userId);
            revoke.setResource(Resources.TASK);
            revoke.setResourceId(task.getId());
            revoke.removePermission(Permissions.READ);
            revoke.removePermission(TaskPermissions.TASK_WORK);
            revoke.removePermission(TaskPermissions.TASK_ASSIGN);
            revoke.removePermission(Permissions.UPDATE);
            return authorizations.saveAuthorization(revoke);
        });
    }
}
