package cn.kameng.refunddesk.engine;

import org.camunda.bpm.engine.delegate.DelegateTask;
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
    }
}
