package cn.kameng.refunddesk.dispute;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import cn.kameng.refunddesk.calendar.Deadlines;
import cn.kameng.refunddesk.complaint.ComplaintRecords;
import cn.kameng.refunddesk.evidence.EvidenceRecords;
import cn.kameng.refunddesk.refund.RefundRecords;

/** Assembles the API's view of a dispute from the service's own tables. */
@Component
class DisputeViews {

    private final Deadlines deadlines;
    private final Timeline timeline;
    private final EvidenceRecords evidence;
    private final RefundRecords refunds;
    private final ComplaintRecords complaints;

    DisputeViews(Deadlines deadlines, Timeline timeline, EvidenceRecords evidence, RefundRecords refunds,
            ComplaintRecords complaints) {
        this.deadlines = deadlines;
        this.timeline = timeline;
        this.evidence = evidence;
        this.refunds = refunds;
        this.complaints = complaints;
    }

    @Transactional(readOnly = true)
    DisputeView of(Dispute d) {
        return new DisputeView(d.id(), d.orderId(), d.customerId(), d.merchantId(), d.reason().name(), d.description(),
                d.paymentChannel().name(), d.productCategory().name(), d.paidAmountFen(), d.claimedAmountFen(),
                d.approvedAmountFen(), d.status().name(), d.outcome() == null ? null : d.outcome().name(),
                d.outcomeReason(),
                d.merchantDecision() == null ? null : new DisputeView.MerchantAnswerView(d.merchantDecision(),
                        d.merchantOfferFen(), d.merchantMessage(), d.replacementCardKey()),
                deadlines.of(d.id()), deadlines.detailsOf(d.id()), d.openedAt(), d.closedAt(), timeline.of(d.id()),
                evidence.of(d.id()).stream().map(DisputeView.EvidenceView::of).toList(),
                refunds.of(d.id()).stream().map(DisputeView.RefundView::of).toList(),
                complaints.ofDispute(d.id()).stream().map(DisputeView.ComplaintView::of).toList());
    }
}
