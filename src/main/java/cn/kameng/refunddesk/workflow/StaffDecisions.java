package cn.kameng.refunddesk.workflow;

import org.springframework.stereotype.Service;

import cn.kameng.refunddesk.calendar.DeadlineKind;
import cn.kameng.refunddesk.calendar.Deadlines;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeMetrics;
import cn.kameng.refunddesk.dispute.DisputeRepository;
import cn.kameng.refunddesk.dispute.DisputeRules;
import cn.kameng.refunddesk.dispute.Journal.Notify;
import cn.kameng.refunddesk.dispute.Journal;
import cn.kameng.refunddesk.dispute.Money;
import cn.kameng.refunddesk.dispute.Party;
import cn.kameng.refunddesk.dispute.Ruling;
import cn.kameng.refunddesk.refund.RefundService;

/**
 * The decisions staff take in Tasklist, checked and recorded when the task is completed. A decision
 * that breaks a rule throws {@link IllegalArgumentException} with the sentence Tasklist shows; the
 * task then stays open and nothing is recorded.
 */
@Service
public class StaffDecisions {

    private final DisputeRepository disputes;
    private final Journal journal;
    private final DisputeMetrics metrics;
    private final RefundService refunds;
    private final Deadlines deadlines;
    private final long fourEyesThresholdFen;

    StaffDecisions(DisputeRepository disputes, Journal journal, RefundService refunds, Deadlines deadlines,
            DisputeRules rules, DisputeMetrics metrics) {
        this.metrics = metrics;
        this.disputes = disputes;
        this.deadlines = deadlines;
        this.journal = journal;
        this.refunds = refunds;
        this.fourEyesThresholdFen = rules.fourEyesThresholdFen();
    }

    public void review(String id, ReviewDecision decision, Long approvedAmountFen, String note, String reviewer) {
        Dispute d = disputes.lock(id).orElseThrow();
        switch (required(decision, "reviewDecision")) {
            case APPROVE -> {
                long amount = amountWithin(approvedAmountFen, d);
                disputes.setApprovedAmount(id, amount);
                journal.record(d, reviewer, "REVIEW_APPROVED", "审核通过，同意退款 " + Money.yuan(amount)
                        + (blank(note) ? "。" : "：" + note), Notify.BOTH);
            }
            case REJECT -> {
                if (blank(note)) {
                    throw new IllegalArgumentException("驳回必须填写理由 (reviewNote is required to reject)");
                }
                disputes.recordReviewNote(id, note);
                journal.record(d, reviewer, "REVIEW_REJECTED_BY", "审核驳回：" + note, Notify.NOBODY);
            }
        }
    }

    /** Records the arbiter's ruling; returns whether it needs a second, senior pair of eyes. */
    public boolean arbitrate(String id, Ruling ruling, Long approvedAmountFen, String reason, Party evidenceFrom,
            String arbiter) {
        Dispute d = disputes.lock(id).orElseThrow();
        required(ruling, "ruling");
        if (blank(reason)) {
            throw new IllegalArgumentException("裁决必须说明理由 (rulingReason is required)");
        }
        if (arbiter == null) {
            throw new IllegalArgumentException("the arbiter must be signed in to rule");
        }
        long atStake = d.claimedAmountFen();
        switch (ruling) {
            case REFUND_FULL -> disputes.setApprovedAmount(id, d.claimedAmountFen());
            case REFUND_PARTIAL -> {
                atStake = amountWithin(approvedAmountFen, d);
                disputes.setApprovedAmount(id, atStake);
            }
            case REQUEST_EVIDENCE -> {
                if (evidenceFrom != Party.CUSTOMER && evidenceFrom != Party.MERCHANT) {
                    throw new IllegalArgumentException("evidenceFrom must name CUSTOMER or MERCHANT");
                }
                disputes.clearApprovedAmount(id);
            }
            case REJECT, FRAUDULENT_EVIDENCE -> disputes.clearApprovedAmount(id);
        }
        disputes.recordRuling(id, ruling, reason, arbiter);
        deadlines.clear(id, DeadlineKind.ARBITRATION);
        journal.record(d, arbiter, "RULING_" + ruling, "仲裁结果：" + ruling.label() + "，理由：" + reason, Notify.NOBODY);
        metrics.ruled(ruling);
        return ruling != Ruling.REQUEST_EVIDENCE && atStake >= fourEyesThresholdFen;
    }

    /** Four eyes: the arbiter who ruled may not take the ruling's approval, whoever assigns it. */
    public void checkApprover(String id, String approver) {
        checkFourEyes(disputes.get(id), approver);
    }

    private static void checkFourEyes(Dispute d, String approver) {
        if (approver != null && approver.equals(d.ruledBy())) {
            throw new IllegalArgumentException("四眼原则：裁决须由另一位高级仲裁员审批，" + approver
                    + " 不能审批自己的裁决 (four-eyes: the arbiter who ruled cannot approve the ruling)");
        }
    }

    public void approveRuling(String id, Boolean approved, String note, String approver) {
        Dispute d = disputes.lock(id).orElseThrow();
        if (approver == null) {
            throw new IllegalArgumentException("the approver must be signed in");
        }
        checkFourEyes(d, approver);
        if (approved == null) {
            throw new IllegalArgumentException("rulingApproved must be true or false");
        }
        if (!approved && blank(note)) {
            throw new IllegalArgumentException("退回重审必须填写理由 (approvalNote is required to send the ruling back)");
        }
        if (!approved) {
            disputes.clearApprovedAmount(id);
        }
        deadlines.clear(id, DeadlineKind.RULING_APPROVAL);
        journal.record(d, approver, approved ? "RULING_APPROVED" : "RULING_SENT_BACK",
                approved ? "高级仲裁员批准裁决" + (blank(note) ? "。" : "：" + note) : "高级仲裁员退回重审：" + note,
                approved ? Notify.BOTH : Notify.NOBODY);
    }

    public void resolveRefundException(String id, ExceptionResolution resolution, String note, String user) {
        Dispute d = disputes.lock(id).orElseThrow();
        required(resolution, "exceptionResolution");
        if (blank(note)) {
            throw new IllegalArgumentException("请填写处理说明 (financeNote is required)");
        }
        boolean stillMoving = refunds.stillAtTheGateway(id);
        switch (resolution) {
            // The gateway has not answered for good: following the same refund again (same key, a new arrival
            // window) is safe; a second refund or closing the case by hand could pay twice or never.
            case RETRY -> {
                if (!stillMoving) {
                    releaseFailed(id);
                }
            }
            case REFUND_TO_BALANCE -> releaseFailed(id);
            case RESOLVED_MANUALLY -> {
                if (stillMoving) {
                    throw new IllegalArgumentException("退款仍在渠道处理中，尚无最终结果：请选择 RETRY 继续跟踪，渠道给出结果后再线下处理"
                            + " (the refund is still at the gateway; RESOLVED_MANUALLY once it has a final answer)");
                }
            }
        }
        journal.record(d, user == null ? "finance" : user, "REFUND_EXCEPTION_" + resolution, "财务处理退款异常："
                + resolution.label() + (stillMoving ? "（原退款仍在处理中，继续跟踪）" : "") + "，" + note, Notify.NOBODY);
    }

    private void releaseFailed(String id) {
        try {
            refunds.releaseFailed(id);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("不能重新退款：" + e.getMessage()
                    + "; choose RESOLVED_MANUALLY once the difference is settled");
        }
    }

    private static long amountWithin(Long amount, Dispute d) {
        if (amount == null || amount <= 0 || amount > d.paidAmountFen()) {
            throw new IllegalArgumentException("退款金额须在 1 至 " + d.paidAmountFen()
                    + " 分之间 (approvedAmountFen must be between 1 and the amount paid)");
        }
        return amount;
    }

    private static <T> T required(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
