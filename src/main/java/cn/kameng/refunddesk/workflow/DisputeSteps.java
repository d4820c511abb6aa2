package cn.kameng.refunddesk.workflow;

import java.util.Set;

import org.springframework.stereotype.Service;

import cn.kameng.refunddesk.abuse.AbuseFlags;
import cn.kameng.refunddesk.calendar.DeadlineKind;
import cn.kameng.refunddesk.calendar.Deadlines;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeMetrics;
import cn.kameng.refunddesk.dispute.DisputeRepository;
import cn.kameng.refunddesk.dispute.DisputeRules;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.Journal.Notify;
import cn.kameng.refunddesk.dispute.Journal;
import cn.kameng.refunddesk.dispute.MerchantReply;
import cn.kameng.refunddesk.dispute.Money;
import cn.kameng.refunddesk.dispute.Outcome;
import cn.kameng.refunddesk.dispute.Party;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.evidence.EvidenceRecords;
import cn.kameng.refunddesk.evidence.EvidenceVerifier;
import cn.kameng.refunddesk.evidence.RequiredEvidence;
import cn.kameng.refunddesk.ledger.DepositLedger;
import cn.kameng.refunddesk.process.DisputeProcess;
import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.restriction.Restrictions;

/**
 * What each step of the refund path does to a dispute. The BPMN calls these through thin delegates;
 * every transition updates the dispute's status, writes a timeline entry and notifies the parties.
 */
@Service
public class DisputeSteps {

    private static final String SYSTEM = Journal.SYSTEM;

    private final DisputeRepository disputes;
    private final Journal journal;
    private final DisputeMetrics metrics;
    private final Eligibility eligibility;
    private final Deadlines deadlines;
    private final EvidenceVerifier evidenceVerifier;
    private final DisputeProcess process;
    private final EvidenceRecords evidence;
    private final Restrictions restrictions;
    private final DepositLedger ledger;
    private final Set<Reason> merchantBurdenReasons;
    private final int escalationPriorityBoost;
    private final RequiredEvidence requiredEvidence;
    private final AbuseFlags abuseFlags;

    DisputeSteps(DisputeRepository disputes, Journal journal, Eligibility eligibility, Deadlines deadlines,
            EvidenceVerifier evidenceVerifier, DisputeProcess process, EvidenceRecords evidence, DisputeRules rules,
            RequiredEvidence requiredEvidence, Restrictions restrictions, DepositLedger ledger,
            DisputeMetrics metrics, AbuseFlags abuseFlags) {
        this.abuseFlags = abuseFlags;
        this.metrics = metrics;
        this.restrictions = restrictions;
        this.ledger = ledger;
        this.requiredEvidence = requiredEvidence;
        this.disputes = disputes;
        this.journal = journal;
        this.eligibility = eligibility;
        this.deadlines = deadlines;
        this.evidenceVerifier = evidenceVerifier;
        this.process = process;
        this.evidence = evidence;
        this.merchantBurdenReasons = rules.merchantBurdenReasons();
        this.escalationPriorityBoost = rules.escalationPriorityBoost();
    }

    /** Step 0: returns the verdict of the eligibility decision (PROCEED, REFUSE, PLATFORM_REFUND, INTERVENTION). */
    public Eligibility.Verdict assessEligibility(String id) {
        Dispute d = disputes.get(id);
        Eligibility.Result result = eligibility.assess(d, ServiceClock.now());
        switch (result.verdict()) {
            case REFUSE -> disputes.setOutcomeReason(id, result.explanation());
            case PLATFORM_REFUND -> {
                disputes.setApprovedAmount(id, d.claimedAmountFen());
                disputes.setPlatformFault(id);
                journal.record(d, SYSTEM, "PLATFORM_FAULT", "平台责任，平台直接退款：" + result.explanation(), Notify.BOTH);
            }
            case INTERVENTION -> journal.record(d, SYSTEM, "MERCHANT_UNREACHABLE",
                    "商家无法联系，平台直接介入：" + result.explanation(), Notify.CUSTOMER);
            case PROCEED -> { }
        }
        return result.verdict();
    }

    public void closeIneligible(String id) {
        Dispute d = disputes.get(id);
        close(d, Outcome.INELIGIBLE, d.outcomeReason(), "不符合退款条件：" + d.outcomeReason());
    }

    /** Step 1: the merchant is told through the platform's own channel. */
    public void notifyMerchant(String id) {
        Dispute d = disputes.get(id);
        disputes.setStatus(id, DisputeStatus.AWAITING_MERCHANT);
        journal.record(d, SYSTEM, "MERCHANT_NOTIFIED", "已通知商家，商家须在规定时限内答复：退款、换货或说明理由拒绝。", Notify.BOTH);
    }

    public void recordMerchantSilence(String id) {
        Dispute d = disputes.get(id);
        disputes.recordMerchantAnswer(id, MerchantReply.NO_ANSWER, null, null, null);
        journal.record(d, SYSTEM, "MERCHANT_SILENT", "商家逾期未答复，争议进入下一步。", Notify.BOTH);
    }

    public void presentPartialOffer(String id) {
        Dispute d = disputes.get(id);
        deadlines.clear(id, DeadlineKind.MERCHANT_REPLY);
        disputes.setStatus(id, DisputeStatus.AWAITING_OFFER_RESPONSE);
        journal.record(d, SYSTEM, "PARTIAL_OFFER", "商家提出部分退款 " + Money.yuan(d.merchantOfferFen())
                + "，请买家接受或拒绝。", Notify.CUSTOMER);
    }

    public void awaitReplacementConfirmation(String id) {
        Dispute d = disputes.get(id);
        deadlines.clear(id, DeadlineKind.MERCHANT_REPLY);
        disputes.setStatus(id, DisputeStatus.AWAITING_REPLACEMENT_CONFIRMATION);
        journal.record(d, SYSTEM, "REPLACEMENT_SENT", "商家已补发商品，请买家确认是否可用。", Notify.CUSTOMER);
    }

    public void closeReplaced(String id) {
        close(disputes.get(id), Outcome.REPLACED, "商家已换货", "商家换货，争议结束。");
    }

    public void recordMerchantRefusal(String id) {
        Dispute d = disputes.get(id);
        deadlines.clear(id, DeadlineKind.MERCHANT_REPLY);
        disputes.setStatus(id, DisputeStatus.MERCHANT_REFUSED);
        journal.record(d, SYSTEM, "CUSTOMER_MAY_FILE",
                "与商家协商未果：买家可提交正式退款申请或申请平台介入，逾期不处理争议将关闭。", Notify.CUSTOMER);
    }

    public void closeAbandoned(String id) {
        close(disputes.get(id), Outcome.ABANDONED, "买家逾期未处理", "买家逾期未进行下一步，争议关闭。");
    }

    /** Step 2: the formal request's evidence is checked and the request goes to review. */
    public void checkEvidence(String id) {
        Dispute d = disputes.get(id);
        deadlines.clear(id, DeadlineKind.CUSTOMER_ACTION);
        disputes.setStatus(id, DisputeStatus.UNDER_REVIEW);
        EvidenceVerifier.Check check = evidenceVerifier.check(d);
        journal.record(d, SYSTEM, "EVIDENCE_CHECKED", "证据检查：" + check.summary(), Notify.NOBODY);
        journal.record(d, SYSTEM, "UNDER_REVIEW", "正式退款申请已受理，平台将在1-3个工作日内审核。", Notify.BOTH);
    }

    /** Three working days without a decision: priority up, a supervisor told, the customer may escalate. */
    public void escalateReview(String id) {
        Dispute d = disputes.get(id);
        disputes.setEscalationAllowed(id);
        deadlines.clear(id, DeadlineKind.REVIEW_ESCALATION);
        process.raisePriority(id, ProcessIds.Task.REVIEW_REFUND_REQUEST, escalationPriorityBoost);
        journal.record(d, SYSTEM, "REVIEW_OVERDUE", "审核超过时限未处理，已升级给主管。", Notify.SUPERVISOR);
        journal.record(d, SYSTEM, "ESCALATION_AVAILABLE", "审核超时，买家可申请升级处理（平台介入）。", Notify.CUSTOMER);
    }

    public void recordReviewRejection(String id) {
        Dispute d = disputes.get(id);
        deadlines.clear(id, DeadlineKind.REVIEW, DeadlineKind.REVIEW_ESCALATION);
        disputes.setStatus(id, DisputeStatus.REVIEW_REJECTED);
        journal.record(d, SYSTEM, "REVIEW_REJECTED", "正式退款申请被驳回；买家可申请平台介入。", Notify.BOTH);
    }

    /** The customer let the reviewer's rejection stand: closes with the reviewer's reason. */
    public void closeRejectedAfterReview(String id) {
        String reason = disputes.reviewNote(id).orElse(null);
        close(disputes.get(id), Outcome.REJECTED, reason, "退款请求被驳回：" + reason);
    }

    /** The arbiter rejected the claim: closes with the ruling's reason. */
    public void closeRejectedByRuling(String id) {
        Dispute d = disputes.get(id);
        close(d, Outcome.REJECTED, d.rulingReason(), "退款请求被驳回：" + d.rulingReason());
    }

    /** Step 3: the platform takes over; the merchant must prove delivery and validity. */
    public void openIntervention(String id) {
        Dispute d = disputes.get(id);
        deadlines.clear(id, DeadlineKind.REVIEW, DeadlineKind.REVIEW_ESCALATION, DeadlineKind.CUSTOMER_ACTION,
                DeadlineKind.MERCHANT_REPLY);
        disputes.setStatus(id, DisputeStatus.IN_ARBITRATION);
        journal.record(d, SYSTEM, "INTERVENTION_OPENED",
                "平台介入：商家须在举证期限内上传发货及商品有效的证明并确认举证完毕。", Notify.BOTH);
        // the arbiter rules on the evidence: checked against the platform's records again, now
        journal.record(d, SYSTEM, "EVIDENCE_CHECKED", "证据核验：" + evidenceVerifier.check(d).summary(), Notify.NOBODY);
        // the arbiters' flags (card key, merchant's rate) counted again now, for their forms only
        abuseFlags.evaluateAtArbitration(d);
    }

    /** Shows the arbiter where the merchant failed to carry its burden of proof (商家举证不能). */
    public void assessBurdenOfProof(String id) {
        Dispute d = disputes.get(id);
        deadlines.clear(id, DeadlineKind.MERCHANT_PROOF);
        boolean missing = merchantProofMissing(d);
        disputes.setMerchantProofMissing(id, missing);
        metrics.burdenOfProofAssessed(missing);
        if (missing) {
            var lacking = requiredEvidence.missing(d, Party.MERCHANT);
            journal.record(d, SYSTEM, "MERCHANT_PROOF_MISSING", "商家未提供发货或商品有效的证明（商家举证不能），应支持买家。"
                    + (lacking.isEmpty() ? "" : "缺少：" + lacking), Notify.NOBODY);
        }
    }

    public void requestAdditionalEvidence(String id, Party party) {
        Dispute d = disputes.get(id);
        disputes.setEvidenceRequestedFrom(id, party);
        Notify who = party == Party.MERCHANT ? Notify.MERCHANT : Notify.CUSTOMER;
        journal.record(d, SYSTEM, "EVIDENCE_REQUESTED", "仲裁员要求" + party.label()
                + "在期限内补充证据。", who);
    }

    /** Back to the arbiter; proof the merchant brought now lifts the 商家举证不能 note from the next task. */
    public void additionalEvidenceClosed(String id) {
        Dispute d = disputes.get(id);
        deadlines.clear(id, DeadlineKind.ADDITIONAL_EVIDENCE);
        disputes.setEvidenceRequestedFrom(id, null);
        if (d.merchantProofMissing() && !merchantProofMissing(d)) {
            disputes.setMerchantProofMissing(id, false);
            journal.record(d, SYSTEM, "MERCHANT_PROOF_RECEIVED", "商家已补充证明，仲裁员按证据重新裁决。", Notify.NOBODY);
        }
    }

    /**
     * On a burden-of-proof reason the merchant must bring what processes/required-evidence.dmn lists for
     * it; a reason the table lists nothing for needs some merchant evidence.
     */
    private boolean merchantProofMissing(Dispute d) {
        if (!merchantBurdenReasons.contains(d.reason())) {
            return false;
        }
        if (!requiredEvidence.of(d.reason(), Party.MERCHANT).isEmpty()) {
            return !requiredEvidence.missing(d, Party.MERCHANT).isEmpty();
        }
        return evidence.countOf(d.id(), Party.MERCHANT) == 0;
    }

    /** Forged evidence: the claim is rejected and the customer's account restricted. */
    public void restrictCustomer(String id) {
        Dispute d = disputes.get(id);
        String reason = d.rulingReason();
        restrictions.impose(d.customerId(), id, reason);
        journal.record(d, SYSTEM, "ACCOUNT_RESTRICTED", "买家提交伪造证据，账号已被限制。", Notify.CUSTOMER);
        close(d, Outcome.REJECTED, reason, "因伪造证据驳回：" + reason);
    }

    /** All roads to a refund pass here, whoever decided it. */
    public void approveRefund(String id) {
        Dispute d = disputes.get(id);
        if (d.approvedAmountFen() == null) {
            throw new IllegalStateException("dispute " + id + " reached refund approval without an approved amount");
        }
        journal.record(d, SYSTEM, "REFUND_APPROVED", "同意退款 " + Money.yuan(d.approvedAmountFen()) + "。", Notify.BOTH);
    }

    public void closeWithdrawn(String id) {
        close(disputes.get(id), Outcome.WITHDRAWN, "买家撤回", "买家已撤回争议。");
    }

    /** Step 5: the gateway confirmed the refund; the customer is asked to confirm it arrived. */
    public void awaitArrivalConfirmation(String id) {
        Dispute d = disputes.get(id);
        deadlines.clear(id, DeadlineKind.REFUND_ARRIVAL);
        disputes.setStatus(id, DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);
        journal.record(d, SYSTEM, "REFUND_SUCCEEDED", "退款 " + Money.yuan(d.approvedAmountFen())
                + " 已原路退回，请确认到账。", Notify.CUSTOMER);
        metrics.refunded(d);
    }

    public void openRefundException(String id) {
        Dispute d = disputes.get(id);
        deadlines.clear(id, DeadlineKind.REFUND_ARRIVAL, DeadlineKind.AUTO_CLOSE);
        disputes.setStatus(id, DisputeStatus.REFUND_EXCEPTION);
        journal.record(d, SYSTEM, "REFUND_EXCEPTION", "退款未能按时足额到账，财务正在处理。", Notify.CUSTOMER);
    }

    public void closeRefunded(String id) {
        Dispute d = disputes.get(id);
        deadlines.clear(id, DeadlineKind.AUTO_CLOSE, DeadlineKind.REFUND_ARRIVAL);
        boolean full = d.approvedAmountFen() != null && d.approvedAmountFen() >= d.claimedAmountFen();
        close(d, full ? Outcome.REFUNDED : Outcome.PARTIALLY_REFUNDED, "退款已到账",
                "退款 " + Money.yuan(d.approvedAmountFen()) + " 已完成，争议关闭。");
    }

    private void close(Dispute d, Outcome outcome, String reason, String message) {
        disputes.close(d.id(), outcome, reason, ServiceClock.now());
        long receivable = 0;
        if (outcome == Outcome.REFUNDED || outcome == Outcome.PARTIALLY_REFUNDED) {
            DepositLedger.Settled settled = ledger.settle(disputes.get(d.id()), d.approvedAmountFen());
            message = message + settled.message();
            receivable = settled.receivableFen();
        } else {
            ledger.release(d.id());
        }
        deadlines.clearAll(d.id());
        if (receivable > 0) {
            journal.record(d, SYSTEM, "RECEIVABLE_RECORDED", "保证金不足以承担本争议退款，平台已先行赔付 "
                    + Money.yuan(receivable) + "，记为商家应付款。请尽快向平台归还该款项，平台财务将与您联系追偿。",
                    Notify.MERCHANT);
        }
        journal.record(d, SYSTEM, "CLOSED_" + outcome.name(), message, Notify.BOTH);
        if (receivable > 0) {
            // after clearAll: the task's due date is a deadline of the dispute, recorded as the task is created
            process.startReceivableRecovery(d.id());
        }
    }
}
