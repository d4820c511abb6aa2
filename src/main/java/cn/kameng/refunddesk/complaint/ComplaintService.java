package cn.kameng.refunddesk.complaint;

import java.time.Instant;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import cn.kameng.refunddesk.calendar.Deadlines;
import cn.kameng.refunddesk.calendar.Deadlines.CountedOn;
import cn.kameng.refunddesk.calendar.SlaOutcomes;
import cn.kameng.refunddesk.calendar.Sla;
import cn.kameng.refunddesk.dispute.ComplaintChannel;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeMetrics;
import cn.kameng.refunddesk.dispute.DisputeRepository;
import cn.kameng.refunddesk.dispute.DisputeRules;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.DomainException.WrongState;
import cn.kameng.refunddesk.dispute.Journal.Notify;
import cn.kameng.refunddesk.dispute.Journal;
import cn.kameng.refunddesk.dispute.Outcome;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.ledger.DepositLedger;
import cn.kameng.refunddesk.order.Order;
import cn.kameng.refunddesk.order.OrderDirectory;
import cn.kameng.refunddesk.process.DisputeProcess;
import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.refund.RefundService;

/**
 * Step 4: complaints from 12315, 黑猫投诉, Alipay and WeChat Pay. Each is linked to its order's dispute
 * (or opens one) and answered by the complaints group before the channel's deadline.
 */
@Service
public class ComplaintService {

    private static final java.time.format.DateTimeFormatter BEIJING_TIME = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm").withZone(cn.kameng.refunddesk.calendar.WorkingDays.BEIJING);

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ComplaintService.class);

    public record Received(Complaint complaint, boolean created) {
    }

    private final ComplaintRecords complaints;
    private final DisputeRepository disputes;
    private final OrderDirectory orders;
    private final Deadlines deadlines;
    private final Journal journal;
    private final DisputeMetrics metrics;
    private final SlaOutcomes slaOutcomes;
    private final DisputeProcess process;
    private final RefundService refunds;
    private final int overduePriorityBoost;
    private final DepositLedger ledger;
    private final ChannelAnswers channelAnswers;

    ComplaintService(ComplaintRecords complaints, DisputeRepository disputes, OrderDirectory orders, Deadlines deadlines,
            Journal journal, DisputeProcess process, RefundService refunds, DisputeRules rules, DepositLedger ledger,
            DisputeMetrics metrics, SlaOutcomes slaOutcomes, ChannelAnswers channelAnswers) {
        this.channelAnswers = channelAnswers;
        this.slaOutcomes = slaOutcomes;
        this.metrics = metrics;
        this.ledger = ledger;
        this.complaints = complaints;
        this.disputes = disputes;
        this.orders = orders;
        this.deadlines = deadlines;
        this.journal = journal;
        this.process = process;
        this.refunds = refunds;
        this.overduePriorityBoost = rules.escalationPriorityBoost();
    }

    /** Idempotent per channel and external id: the same complaint twice is one complaint. */
    @Transactional
    public Received receive(ComplaintChannel channel, String externalId, String orderId, String summary) {
        return receive(channel, externalId, orderId, summary, Reason.OTHER, null);
    }

    /**
     * The channel's own deadline, when it set one: {@code channelDue} drives the task's due date and its timer
     * instead of {@code dispute.sla.complaint}; {@code reason} is the reason of a dispute the complaint opens.
     */
    public record ChannelDue(java.time.Instant dueAt, CountedOn countedOn) {
    }

    /** As {@link #receive(ComplaintChannel, String, String, String)}, in the channel's own terms. */
    @Transactional
    public Received receive(ComplaintChannel channel, String externalId, String orderId, String summary, Reason reason,
            ChannelDue channelDue) {
        var known = complaints.find(channel, externalId);
        if (known.isPresent()) {
            if (!known.get().orderId().equals(orderId)) {
                throw new WrongState(channel + " complaint " + externalId + " was already received for order "
                        + known.get().orderId() + ", not " + orderId);
            }
            return new Received(known.get(), false);
        }
        Order order = orders.find(orderId)
                .orElseThrow(() -> BadInput.field("orderId", "there is no order " + orderId));
        Dispute dispute = disputes.findOpenByOrder(orderId)
                .or(() -> disputes.findLatestByOrder(orderId))
                .orElseGet(() -> openForComplaint(order, summary, reason));
        Instant now = ServiceClock.now();
        Instant due;
        CountedOn countedOn;
        if (channelDue != null && channelDue.dueAt() != null) {
            due = channelDue.dueAt();
            countedOn = channelDue.countedOn() == null ? CountedOn.CALENDAR_TIME : channelDue.countedOn();
        } else {
            Sla answerWithin = deadlines.complaint(channel);
            due = deadlines.after(now, answerWithin);
            countedOn = deadlines.countedOn(now, due, answerWithin);
        }
        Complaint complaint = new Complaint("CMP-" + UUID.randomUUID(), channel, externalId, orderId, dispute.id(),
                summary, ComplaintStatus.OPEN, null, null, null, due, now, null, countedOn);
        try {
            complaints.insert(complaint);
        } catch (DuplicateKeyException e) {
            throw new WrongState(channel + " complaint " + externalId + " is being received right now; retry");
        }
        journal.record(dispute, Journal.SYSTEM, "EXTERNAL_COMPLAINT", "收到外部投诉：" + channel.label() + "（"
                + externalId + "），须在 " + BEIJING_TIME.format(due) + "（北京时间）前答复。", Notify.MERCHANT);
        process.startComplaint(dispute.id(), complaint.id(), due);
        return new Received(complaint, true);
    }

    /** A complaint about an order nobody disputed yet opens a dispute on the buyer's behalf. */
    private Dispute openForComplaint(Order order, String summary, Reason reason) {
        Dispute dispute = Dispute.open(order, reason, summary, order.amountFen(), ServiceClock.now());
        try {
            disputes.insert(dispute, null);
        } catch (DuplicateKeyException e) {
            throw new WrongState("order " + order.orderId() + " is being disputed right now by another request; retry");
        }
        ledger.hold(dispute);
        journal.record(dispute, Journal.SYSTEM, "OPENED_BY_COMPLAINT", "因外部投诉代买家发起退款争议。", Notify.BOTH);
        metrics.opened(dispute, DisputeMetrics.Via.COMPLAINT);
        process.start(dispute.id());
        return disputes.get(dispute.id());
    }

    /** Completion of handleExternalComplaint: the answer is recorded before the process moves on. */
    public void recordAnswer(String complaintId, ComplaintOutcome outcome, String response, String handledBy) {
        recordAnswer(complaintId, outcome, response, java.util.List.of(), handledBy);
    }

    /**
     * ... with the images (evidence ids of the dispute) the complaints group picked to go with the reply to the
     * channel (ADR 0071); an id that is no evidence of the dispute is refused (IllegalArgumentException).
     */
    public void recordAnswer(String complaintId, ComplaintOutcome outcome, String response,
            java.util.List<String> imageEvidence, String handledBy) {
        Complaint c = complaints.find(complaintId)
                .orElseThrow(() -> new IllegalStateException("complaint " + complaintId + " does not exist"));
        channelAnswers.answered(c, response, imageEvidence); // refuses a wrong image before anything is written
        complaints.answer(complaintId, outcome, response, handledBy);
        slaOutcomes.complaintAnswered(c.channel(), c.dueAt(), ServiceClock.now());
        journal.record(disputes.get(c.disputeId()), handledBy, "COMPLAINT_ANSWERED", "外部投诉（" + c.channel().label() + "）已答复（"
                + outcome.label() + "）：" + response, Notify.BOTH);
    }

    /**
     * The channel closed the complaint (WeChat Pay PROCESSED, Alipay finished, the buyer withdrew) while it was still
     * open here: recorded as closed at the channel by {@code closedBy} (the source), counted as the channel closing it,
     * nothing written to the answer outbox, and its handleExternalComplaint task ended. The dispute carries on.
     * Idempotent: false when the complaint was no longer open (answered, or closed already by an earlier push or poll).
     * Call inside the transaction that records the channel's change.
     */
    public boolean closeAtChannel(String complaintId, String closedBy, String channelStatus) {
        Complaint c = complaints.find(complaintId)
                .orElseThrow(() -> new IllegalStateException("complaint " + complaintId + " does not exist"));
        if (!complaints.closeAtChannel(complaintId, closedBy, channelStatus)) {
            return false;
        }
        slaOutcomes.complaintClosedByChannel(c.channel());
        journal.record(disputes.get(c.disputeId()), Journal.SYSTEM, "COMPLAINT_CLOSED_AT_CHANNEL", "外部投诉："
                + c.channel().label() + "（" + c.externalId() + "）已在渠道结案（渠道状态 " + channelStatus
                + "），无需再答复，处理任务已结束。", Notify.NOBODY);
        if (!process.closeComplaintAtChannel(complaintId)) {
            // the task was being completed at this moment: its answer stands, the row says closed at the channel
            log.warn(
                    "complaint {} closed at the channel but its process was no longer at handleExternalComplaint",
                    complaintId);
        }
        return true;
    }

    public void flagOverdue(String complaintId) {
        Complaint c = complaints.find(complaintId).orElseThrow();
        process.raiseComplaintPriority(complaintId, overduePriorityBoost);
        journal.record(disputes.get(c.disputeId()), Journal.SYSTEM, "COMPLAINT_OVERDUE",
                "外部投诉：" + c.channel().label() + "（" + c.externalId() + "）已到答复期限，尚未处理。", Notify.SUPERVISOR);
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
            journal.record(d, Journal.SYSTEM, "COMPLAINT_REFUND_ALREADY", "投诉要求退款：该订单的退款已发起或已完成"
                    + done.map(r -> "（争议 " + r.disputeId() + "）").orElse("") + "，不重复退款。", Notify.NOBODY);
            return;
        }
        long amount = d.approvedAmountFen() != null ? d.approvedAmountFen() : d.claimedAmountFen();
        disputes.setApprovedAmount(d.id(), amount);
        if (d.status() != DisputeStatus.CLOSED && process.waitsFor(d.id(), ProcessIds.Message.COMPLAINT_REFUND_ORDERED)) {
            if (!process.correlate(d.id(), ProcessIds.Message.COMPLAINT_REFUND_ORDERED)) {
                throw new IllegalStateException("dispute " + d.id() + " stopped waiting for the complaint's refund");
            }
        } else if (d.status() == DisputeStatus.CLOSED) {
            disputes.reopenForRefund(d.id());
            journal.record(d, Journal.SYSTEM, "REOPENED_FOR_REFUND", "因外部投诉重新打开争议并退款。", Notify.BOTH);
            process.startRefundAfterClose(d.id());
        } else {
            throw new IllegalStateException("dispute " + d.id() + " is " + d.status() + " and cannot take a refund now");
        }
    }
}
