package cn.kameng.refunddesk.workflow;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import cn.kameng.refunddesk.appeal.Appeals;
import cn.kameng.refunddesk.calendar.Deadlines;
import cn.kameng.refunddesk.complaint.ComplaintRecords;
import cn.kameng.refunddesk.complaint.ComplaintView;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.Timeline;
import cn.kameng.refunddesk.evidence.EvidenceRecords;
import cn.kameng.refunddesk.ledger.DepositLedger;
import cn.kameng.refunddesk.refund.RefundRecords;

/** Assembles the API's view of a dispute from the service's own tables. */
@Component
class DisputeViews {

    private final Deadlines deadlines;
    private final Timeline timeline;
    private final EvidenceRecords evidence;
    private final RefundRecords refunds;
    private final ComplaintRecords complaints;
    private final DepositLedger ledger;
    private final Appeals appeals;

    DisputeViews(Deadlines deadlines, Timeline timeline, EvidenceRecords evidence, RefundRecords refunds,
            ComplaintRecords complaints, DepositLedger ledger, Appeals appeals) {
        this.appeals = appeals;
        this.ledger = ledger;
        this.deadlines = deadlines;
        this.timeline = timeline;
        this.evidence = evidence;
        this.refunds = refunds;
        this.complaints = complaints;
    }

    @Transactional(readOnly = true)
    DisputeView of(Dispute d) {
        return new DisputeView(d.id(), d.orderId(), d.customerId(), d.merchantId(), d.reason(), d.description(),
                d.paymentChannel(), d.productCategory(), d.paidAmountFen(), d.claimedAmountFen(),
                d.approvedAmountFen(), d.status(), d.outcome(), d.outcomeReason(),
                d.merchantDecision() == null ? null : new DisputeView.MerchantAnswerView(d.merchantDecision(),
                        d.merchantOfferFen(), d.merchantMessage(), d.replacementCardKey()),
                deadlines.of(d.id()), deadlines.detailsOf(d.id()), d.openedAt(), d.closedAt(), timeline.of(d.id()),
                evidence.of(d.id()).stream().map(DisputeView.EvidenceView::of).toList(),
                refunds.of(d.id()).stream().map(DisputeView.RefundView::of).toList(),
                complaints.ofDispute(d.id()).stream().map(ComplaintView::of).toList(),
                ledger.ofDispute(d.id()).orElse(null), appeals.of(d.id()).orElse(null));
    }
}
