package cn.kameng.refunddesk.complaint;

import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import cn.kameng.refunddesk.calendar.Deadlines;
import cn.kameng.refunddesk.calendar.Sla;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeRepository;
import cn.kameng.refunddesk.dispute.DisputeService;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.DisputeSteps;
import cn.kameng.refunddesk.dispute.Journal;
import cn.kameng.refunddesk.dispute.Journal.Notify;
import cn.kameng.refunddesk.dispute.Outcome;
import cn.kameng.refunddesk.order.Order;
import cn.kameng.refunddesk.order.OrderDirectory;
import cn.kameng.refunddesk.process.DisputeProcess;
import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.refund.RefundService;
import cn.kameng.refunddesk.web.ApiProblem;

/**
 * Step 4: complaints from 12315, 黑猫投诉, Alipay and WeChat Pay. Each is linked to its order's dispute
 * (or opens one) and answered by the complaints group before the channel's deadline.
 */
@Service
public class ComplaintService {

    public record Received(Complaint complaint, boolean created) {
    }

    private final ComplaintRecords complaints;
    private final DisputeRepository disputes;
    private final DisputeService disputeService;
    private final OrderDirectory orders;
    private final Deadlines deadlines;
    private final Journal journal;
    private final RuntimeService runtime;
    private final TaskService tasks;
    private final DisputeProcess process;
    private final RefundService refunds;
    private final int overduePriorityBoost;

    ComplaintService(ComplaintRecords complaints, DisputeRepository disputes, DisputeService disputeService,
            OrderDirectory orders, Deadlines deadlines, Journal journal, RuntimeService runtime, TaskService tasks,
            DisputeProcess process, RefundService refunds, cn.kameng.refunddesk.dispute.DisputeRules rules) {
        this.complaints = complaints;
        this.disputes = disputes;
        this.disputeService = disputeService;
        this.orders = orders;
        this.deadlines = deadlines;
        this.journal = journal;
        this.runtime = runtime;
        this.tasks = tasks;
        this.process = process;
        this.refunds = refunds;
        this.overduePriorityBoost = rules.escalationPriorityBoost();
    }

    /** Idempotent per channel and external id: the same complaint twice is one complaint. */
    @Transactional
    public Received receive(ComplaintChannel channel, String externalId, String orderId, String summary) {
        var known = complaints.find(channel, externalId);
        if (known.isPresent()) {
            if (!known.get().orderId().equals(orderId)) {
                throw ApiProblem.conflict(channel + " complaint " + externalId + " was already received for order "
                        + known.get().orderId() + ", not " + orderId);
            }
            return new Received(known.get(), false);
        }
        Order order = orders.find(orderId)
                .orElseThrow(() -> ApiProblem.badField("orderId", "there is no order " + orderId));
        Dispute dispute = disputes.findOpenByOrder(orderId)
                .or(() -> disputes.findLatestByOrder(orderId))
                .orElseGet(() -> disputeService.openForComplaint(order, summary));
        Instant now = Deadlines.now();
        Sla answerWithin = deadlines.complaint(channel.name());
        Instant due = deadlines.after(now, answerWithin);
        Complaint complaint = new Complaint("CMP-" + UUID.randomUUID(), channel, externalId, orderId, dispute.id(),
                summary, "OPEN", null, null, null, due, now, null, deadlines.countedOn(now, due, answerWithin));
        try {
            complaints.insert(complaint);
        } catch (DuplicateKeyException e) {
            throw ApiProblem.conflict(channel + " complaint " + externalId + " is being received right now; retry");
        }
        journal.record(dispute, DisputeSteps.SYSTEM, "EXTERNAL_COMPLAINT", "收到" + channel.label() + "投诉（"
                + externalId + "），须在 " + due + " 前答复。", Notify.MERCHANT);
        runtime.startProcessInstanceByKey(ProcessIds.PROCESS_EXTERNAL_COMPLAINT, dispute.id(), Map.of(
                ProcessIds.Var.COMPLAINT_ID, complaint.id(),
                ProcessIds.Var.COMPLAINT_DUE_AT, Date.from(due)));
        return new Received(complaint, true);
    }

    /** Completion of handleExternalComplaint: the answer is recorded before the process moves on. */
    public void recordAnswer(String complaintId, String outcome, String response, String handledBy) {
        Complaint c = complaints.find(complaintId)
                .orElseThrow(() -> new IllegalStateException("complaint " + complaintId + " does not exist"));
        complaints.answer(complaintId, outcome, response, handledBy);
        journal.record(disputes.get(c.disputeId()), handledBy, "COMPLAINT_ANSWERED", c.channel().label() + "投诉已答复（"
                + ("REFUND".equals(outcome) ? "退款" : "维持原处理") + "）：" + response, Notify.BOTH);
    }

    public void flagOverdue(String complaintId) {
        Complaint c = complaints.find(complaintId).orElseThrow();
        for (Task task : tasks.createTaskQuery().processVariableValueEquals(ProcessIds.Var.COMPLAINT_ID, complaintId)
                .taskDefinitionKey(ProcessIds.Task.HANDLE_EXTERNAL_COMPLAINT).list()) {
            tasks.setPriority(task.getId(), task.getPriority() + overduePriorityBoost);
        }
        journal.record(disputes.get(c.disputeId()), DisputeSteps.SYSTEM, "COMPLAINT_OVERDUE",
                c.channel().label() + "投诉（" + c.externalId() + "）已到答复期限，尚未处理。", Notify.SUPERVISOR);
    }

    /**
     * The complaint's answer is a refund. An order is refunded at most once: if a refund of any of its
     * disputes is already under way or done, this only notes it. Otherwise the refund goes to the order's
     * open dispute (the one linked, or one opened since), which jumps to its refund; a closed one reopens.
     */
    public void orderRefund(String complaintId) {
        Complaint c = complaints.find(complaintId).orElseThrow();
        String target = disputes.findOpenByOrder(c.orderId()).map(Dispute::id).orElse(c.disputeId());
        Dispute d = disputes.lock(target).orElseThrow();
        var done = refunds.liveForOrder(c.orderId());
        if (done.isPresent() || d.outcome() == Outcome.REFUNDED || d.outcome() == Outcome.PARTIALLY_REFUNDED) {
            journal.record(d, DisputeSteps.SYSTEM, "COMPLAINT_REFUND_ALREADY", "投诉要求退款：该订单的退款已发起或已完成"
                    + done.map(r -> "（争议 " + r.disputeId() + "）").orElse("") + "，不重复退款。", Notify.NOBODY);
            return;
        }
        long amount = d.approvedAmountFen() != null ? d.approvedAmountFen() : d.claimedAmountFen();
        disputes.setApprovedAmount(d.id(), amount);
        if (d.status() != DisputeStatus.CLOSED && process.waitsFor(d.id(), ProcessIds.Message.COMPLAINT_REFUND_ORDERED)) {
            runtime.createMessageCorrelation(ProcessIds.Message.COMPLAINT_REFUND_ORDERED)
                    .processInstanceBusinessKey(d.id()).correlateWithResult();
        } else if (d.status() == DisputeStatus.CLOSED) {
            disputes.reopenForRefund(d.id());
            journal.record(d, DisputeSteps.SYSTEM, "REOPENED_FOR_REFUND", "因外部投诉重新打开争议并退款。", Notify.BOTH);
            runtime.createMessageCorrelation(ProcessIds.Message.REFUND_ORDERED_AFTER_CLOSE)
                    .processInstanceBusinessKey(d.id()).correlateStartMessage();
        } else {
            throw new IllegalStateException("dispute " + d.id() + " is " + d.status() + " and cannot take a refund now");
        }
    }
}
