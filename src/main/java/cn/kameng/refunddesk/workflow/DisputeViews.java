package cn.kameng.refunddesk.workflow;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import cn.kameng.refunddesk.abuse.AbuseFlags;
import cn.kameng.refunddesk.appeal.Appeals;
import cn.kameng.refunddesk.calendar.Deadlines;
import cn.kameng.refunddesk.complaint.ComplaintRecords;
import cn.kameng.refunddesk.complaint.ComplaintView;
import cn.kameng.refunddesk.dispute.Caller;
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
    private final AbuseFlags abuseFlags;

    DisputeViews(Deadlines deadlines, Timeline timeline, EvidenceRecords evidence, RefundRecords refunds,
            ComplaintRecords complaints, DepositLedger ledger, Appeals appeals, AbuseFlags abuseFlags) {
        this.abuseFlags = abuseFlags;
        this.appeals = appeals;
        this.ledger = ledger;
        this.deadlines = deadlines;
        this.timeline = timeline;
        this.evidence = evidence;
        this.refunds = refunds;
        this.complaints = complaints;
    }

    /** The view as {@code caller} may read it: staff with the dispute's abuse flags, a party without. */
    @Transactional(readOnly = true)
    DisputeView of(Dispute d, Caller caller) {
        DisputeView view = of(d);
        if (!caller.isStaff()) {
            return view;
        }
        return new DisputeView(view.id(), view.orderId(), view.customerId(), view.merchantId(), view.reason(),
                view.description(), view.paymentChannel(), view.productCategory(), view.paidAmountFen(),
                view.claimedAmountFen(), view.approvedAmountFen(), view.status(), view.outcome(), view.outcomeReason(),
                view.merchantAnswer(), view.deadlines(), view.deadlineDetails(), view.openedAt(), view.closedAt(),
                view.timeline(), view.evidence(), view.refunds(), view.complaints(), view.deposit(), view.appeal(),
                abuseFlags.of(d.id()));
    }

    /** The view without abuse flags: what a party may read. */
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
                ledger.ofDispute(d.id()).orElse(null), appeals.of(d.id()).orElse(null), null);
    }
}
