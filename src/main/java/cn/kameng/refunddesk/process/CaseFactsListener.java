package cn.kameng.refunddesk.process;

import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.calendar.WorkingDays;
import cn.kameng.refunddesk.complaint.Complaint;
import cn.kameng.refunddesk.complaint.ComplaintRecords;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeRepository;
import cn.kameng.refunddesk.dispute.Money;
import cn.kameng.refunddesk.dispute.Timeline;
import cn.kameng.refunddesk.evidence.Evidence;
import cn.kameng.refunddesk.evidence.EvidenceChecks;
import cn.kameng.refunddesk.evidence.EvidenceRecords;
import cn.kameng.refunddesk.evidence.RequiredEvidence;
import cn.kameng.refunddesk.process.ProcessIds.Task;
import cn.kameng.refunddesk.process.ProcessIds.Var;
import cn.kameng.refunddesk.refund.RefundService;

/**
 * When a staff task is created, puts the case's facts on it as task-local variables, so the form
 * shows them read-only without filling the process instance with copies of the dispute; and gives
 * the task its name, follow-up date and priority ({@link TaskPresentation}).
 */
@Component("caseFactsListener")
class CaseFactsListener implements TaskListener {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(WorkingDays.BEIJING);

    private final DisputeRepository disputes;
    private final EvidenceRecords evidence;
    private final Timeline timeline;
    private final RefundService refunds;
    private final ComplaintRecords complaints;
    private final EvidenceChecks evidenceChecks;
    private final RequiredEvidence requiredEvidence;

    CaseFactsListener(DisputeRepository disputes, EvidenceRecords evidence, Timeline timeline, RefundService refunds,
            ComplaintRecords complaints, EvidenceChecks evidenceChecks, RequiredEvidence requiredEvidence) {
        this.evidenceChecks = evidenceChecks;
        this.requiredEvidence = requiredEvidence;
        this.disputes = disputes;
        this.evidence = evidence;
        this.timeline = timeline;
        this.refunds = refunds;
        this.complaints = complaints;
    }

    @Override
    public void notify(DelegateTask task) {
        Dispute d = disputes.get(task.getExecution().getProcessBusinessKey());
        Map<String, Object> facts = new HashMap<>();
        facts.put("disputeId", d.id());
        facts.put("orderId", d.orderId());
        facts.put("customerId", d.customerId());
        facts.put("merchantId", d.merchantId());
        facts.put("reasonLabel", d.reason().label() + " (" + d.reason() + ")");
        facts.put("description", d.description());
        facts.put("paymentChannel", d.paymentChannel().name());
        facts.put("productCategory", d.productCategory().name());
        facts.put("paidAmountFen", d.paidAmountFen());
        facts.put("paidAmountYuan", Money.yuan(d.paidAmountFen()));
        facts.put("claimedAmountYuan", Money.yuan(d.claimedAmountFen()));
        facts.put("merchantAnswer", merchantAnswer(d));
        facts.put("evidenceSummary", evidenceSummary(evidence.of(d.id())));
        facts.put("evidenceChecks", evidenceChecks.of(d.id()).stream().map(c -> c.line())
                .collect(Collectors.joining("\n")));
        facts.put("missingEvidence", missingEvidence(d));
        facts.put("timelineSummary", timeline.of(d.id()).stream()
                .map(e -> TIME.format(e.at()) + "  " + e.message()).collect(Collectors.joining("\n")));
        facts.put("deadlineText", task.getDueDate() == null ? "-" : TIME.format(task.getDueDate().toInstant()) + "（北京时间）");
        switch (task.getTaskDefinitionKey()) {
            case Task.ARBITRATE_DISPUTE -> facts.put("burdenOfProofNote", d.merchantProofMissing()
                    ? "商家举证不能：商家未提供发货或商品有效的证明，按规则应裁决支持买家。" : "");
            case Task.APPROVE_RULING -> {
                facts.put("arbiterId", d.ruledBy());
                // From the dispute, not the arbiter's form variable: an earlier round's amount may linger there.
                facts.put("rulingAmountText", d.approvedAmountFen() == null ? null
                        : Money.yuan(d.approvedAmountFen()) + "（" + d.approvedAmountFen() + " 分）");
            }
            case Task.RESOLVE_REFUND_EXCEPTION -> refunds.live(d.id()).ifPresent(r -> {
                facts.put("refundStatus", r.status().name());
                facts.put("refundFailureReason", r.failureReason() == null ? reasonFor(r) : r.failureReason());
                facts.put("refundAmountFen", r.amountFen());
                facts.put("refundIdempotencyKey", r.idempotencyKey());
            });
            case Task.HANDLE_EXTERNAL_COMPLAINT -> complaints.find((String) task.getVariable(Var.COMPLAINT_ID))
                    .ifPresent(c -> putComplaint(facts, c));
            default -> { }
        }
        task.setVariablesLocal(facts);
        Long atStake = Task.APPROVE_RULING.equals(task.getTaskDefinitionKey()) && d.approvedAmountFen() != null
                ? d.approvedAmountFen() : Long.valueOf(d.claimedAmountFen());
        TaskPresentation.apply(task, d, atStake, (String) facts.get("complaintChannel"));
    }

    private static String reasonFor(cn.kameng.refunddesk.refund.Refund r) {
        if (r.receivedAmountFen() != null && r.receivedAmountFen() < r.amountFen()) {
            return "买家反馈到账 " + Money.yuan(r.receivedAmountFen()) + "，少于应退 " + Money.yuan(r.amountFen());
        }
        if (r.settledAmountFen() != null && r.settledAmountFen() < r.amountFen()) {
            return "渠道退款 " + Money.yuan(r.settledAmountFen()) + "，少于应退 " + Money.yuan(r.amountFen());
        }
        return "退款未在到账时限内确认（" + r.status() + "）";
    }

    private static void putComplaint(Map<String, Object> facts, Complaint c) {
        facts.put("complaintChannel", c.channel().label() + " (" + c.channel() + ")");
        facts.put("complaintExternalId", c.externalId());
        facts.put("complaintSummary", c.summary());
        facts.put("complaintDueText", TIME.format(c.dueAt()) + "（北京时间）");
    }

    private static String merchantAnswer(Dispute d) {
        if (d.merchantDecision() == null) {
            return "商家尚未答复";
        }
        return switch (d.merchantDecision()) {
            case "ACCEPT" -> "同意全额退款";
            case "ACCEPT_PARTIAL" -> "提出部分退款 " + Money.yuan(d.merchantOfferFen());
            case "REPLACE" -> "已补发商品";
            case "REFUSE" -> "拒绝：" + d.merchantMessage();
            case "NO_ANSWER" -> "48小时内未答复";
            default -> d.merchantDecision();
        };
    }

    /** What each side still lacks of what processes/required-evidence.dmn asks for the reason. */
    private String missingEvidence(Dispute d) {
        var customer = requiredEvidence.missing(d, RequiredEvidence.CUSTOMER);
        var merchant = requiredEvidence.missing(d, RequiredEvidence.MERCHANT);
        if (customer.isEmpty() && merchant.isEmpty()) {
            return "双方已提供该原因要求的证据";
        }
        return (customer.isEmpty() ? "" : "买家缺少：" + customer + "\n") + (merchant.isEmpty() ? "" : "商家缺少：" + merchant);
    }

    private static String evidenceSummary(List<Evidence> items) {
        if (items.isEmpty()) {
            return "（无证据）";
        }
        return items.stream().map(e -> e.partyLabel() + " " + e.uploadedBy() + " · " + e.kind() + " · " + e.fileName()
                + " · " + e.contentType() + " · " + TIME.format(e.uploadedAt())
                + (e.capturedAt() == null ? "" : " · 拍摄 " + e.capturedAt())
                + " · sha256 " + e.sha256().substring(0, 12)
                + (e.tamperedAt() == null ? "" : " · 文件与指纹不符，已停止提供")
                + "\n    /api/v1/disputes/" + e.disputeId() + "/evidence/" + e.id())
                .collect(Collectors.joining("\n"));
    }
}
