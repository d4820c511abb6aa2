package cn.kameng.refunddesk.workflow;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import cn.kameng.refunddesk.abuse.AbuseFlags;
import cn.kameng.refunddesk.appeal.Appeals;
import cn.kameng.refunddesk.calendar.Deadlines;
import cn.kameng.refunddesk.complaint.Complaint;
import cn.kameng.refunddesk.complaint.ComplaintRecords;
import cn.kameng.refunddesk.complaint.ComplaintStatus;
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
        List<Complaint> all = complaints.ofDispute(d.id());
        List<Complaint> open = all.stream().filter(c -> c.status() == ComplaintStatus.OPEN && c.dueAt() != null).toList();
        return new DisputeView(d.id(), d.orderId(), d.customerId(), d.merchantId(), d.reason(), d.description(),
                d.paymentChannel(), d.productCategory(), d.paidAmountFen(), d.claimedAmountFen(),
                d.approvedAmountFen(), d.status(), d.outcome(), d.outcomeReason(),
                d.merchantDecision() == null ? null : new DisputeView.MerchantAnswerView(d.merchantDecision(),
                        d.merchantOfferFen(), d.merchantMessage(), d.replacementCardKey()),
                deadlinesOf(d, open), deadlineDetailsOf(d, open), d.openedAt(), d.closedAt(), timeline.of(d.id()),
                evidence.of(d.id()).stream().map(DisputeView.EvidenceView::of).toList(),
                refunds.of(d.id()).stream().map(DisputeView.RefundView::of).toList(),
                all.stream().map(ComplaintView::of).toList(),
                ledger.ofDispute(d.id()).orElse(null), appeals.of(d.id()).orElse(null), null);
    }

    /**
     * The dispute's running deadlines and, for each complaint still to be answered, the channel's: keyed
     * COMPLAINT_&lt;channel&gt; (the earliest when one channel complains twice), all in the order they fall due.
     */
    private Map<String, Instant> deadlinesOf(Dispute d, List<Complaint> open) {
        Map<String, Instant> all = new LinkedHashMap<>(deadlines.of(d.id()));
        open.forEach(c -> all.merge(complaintKey(c), c.dueAt(), (a, b) -> a.isBefore(b) ? a : b));
        return sortedByDue(all, due -> due);
    }

    private Map<String, Deadlines.Detail> deadlineDetailsOf(Dispute d, List<Complaint> open) {
        Map<String, Deadlines.Detail> all = new LinkedHashMap<>(deadlines.detailsOf(d.id()));
        open.forEach(c -> all.merge(complaintKey(c), new Deadlines.Detail(c.dueAt(), "the answer to "
                + c.channel().label() + " (complaint " + c.externalId() + ")", c.countedOn(), null),
                (a, b) -> a.dueAt().isBefore(b.dueAt()) ? a : b));
        return sortedByDue(all, Deadlines.Detail::dueAt);
    }

    private static String complaintKey(Complaint c) {
        return "COMPLAINT_" + c.channel().name();
    }

    private static <V> Map<String, V> sortedByDue(Map<String, V> all, java.util.function.Function<V, Instant> due) {
        Map<String, V> sorted = new LinkedHashMap<>();
        all.entrySet().stream().sorted(Map.Entry.comparingByValue(java.util.Comparator.comparing(due)))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }
}
