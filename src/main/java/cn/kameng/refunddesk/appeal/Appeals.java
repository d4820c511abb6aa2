package cn.kameng.refunddesk.appeal;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import cn.kameng.refunddesk.calendar.DeadlineKind;
import cn.kameng.refunddesk.calendar.Deadlines;
import cn.kameng.refunddesk.dispute.Caller;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeAccess;
import cn.kameng.refunddesk.dispute.DisputeRepository;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.DomainException.NotYours;
import cn.kameng.refunddesk.dispute.DomainException.WrongState;
import cn.kameng.refunddesk.dispute.Journal;
import cn.kameng.refunddesk.dispute.Journal.Notify;
import cn.kameng.refunddesk.dispute.Outcome;
import cn.kameng.refunddesk.dispute.Party;
import cn.kameng.refunddesk.dispute.Ruling;
import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.ledger.DepositLedger;
import cn.kameng.refunddesk.process.DisputeProcess;
import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.refund.RefundService;

/**
 * The appeal of a ruling (docs/adr/0065-appeal.md). The party the ruling went against (the merchant when it refunded
 * the buyer, the buyer when it rejected the claim) may appeal once, within dispute.sla.appeal-window of the ruling,
 * with a statement. An arbiter other than the one who ruled decides it in Tasklist (appeal.bpmn, decideAppeal): the
 * ruling is upheld, or overturned. A merchant's appeal never holds the buyer's refund back: overturned, the fund
 * bears the refund and the deposit is credited back. A buyer's appeal overturned refunds the claim as a ruling for
 * the buyer does (the exactly-once refund path, a new instance at its refund). Every step is on the timeline.
 */
@Service
public class Appeals {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ServiceClock.BEIJING);

    /** The merchant's refund may be under way or done; the ruling has been carried out (not awaiting approval). */
    private static final Set<DisputeStatus> REFUND_RULED = EnumSet.of(DisputeStatus.REFUNDING, DisputeStatus.REFUND_EXCEPTION,
            DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION, DisputeStatus.CLOSED);

    /** An open dispute past its resolution, its refund requested or about to be: the order's refund is under way. */
    private static final Set<DisputeStatus> REFUND_UNDER_WAY = EnumSet.of(DisputeStatus.REFUNDING,
            DisputeStatus.REFUND_EXCEPTION, DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);

    private final AppealRecords records;
    private final DisputeRepository disputes;
    private final DisputeAccess access;
    private final Journal journal;
    private final DisputeProcess process;
    private final Deadlines deadlines;
    private final DepositLedger ledger;
    private final RefundService refunds;

    Appeals(AppealRecords records, DisputeRepository disputes, DisputeAccess access, Journal journal,
            DisputeProcess process, Deadlines deadlines, DepositLedger ledger, RefundService refunds) {
        this.records = records;
        this.disputes = disputes;
        this.access = access;
        this.journal = journal;
        this.process = process;
        this.deadlines = deadlines;
        this.ledger = ledger;
        this.refunds = refunds;
    }

    /** The party a final ruling went against, if any: who may appeal it. */
    static Optional<Party> loser(Dispute d) {
        if (d.ruling() == null) {
            return Optional.empty();
        }
        return switch (d.ruling()) {
            case REFUND_FULL, REFUND_PARTIAL -> REFUND_RULED.contains(d.status())
                    && (d.status() != DisputeStatus.CLOSED || d.outcome() == Outcome.REFUNDED
                            || d.outcome() == Outcome.PARTIALLY_REFUNDED) ? Optional.of(Party.MERCHANT) : Optional.empty();
            case REJECT -> d.status() == DisputeStatus.CLOSED && d.outcome() == Outcome.REJECTED
                    ? Optional.of(Party.CUSTOMER) : Optional.empty();
            default -> Optional.empty();
        };
    }

    /** The losing party appeals the ruling once, in its window; an arbiter other than the first gets the task. */
    @Transactional
    public Appeal file(Caller caller, String disputeId, String statement) {
        Dispute d = access.lockVisible(caller, disputeId);
        if (!d.isParty(caller.userId())) {
            throw new NotYours("only the customer or the merchant of dispute " + disputeId + " may appeal its ruling");
        }
        Party party = d.partyOf(caller.userId());
        if (records.find(disputeId).isPresent()) {
            throw new WrongState("the ruling of dispute " + disputeId + " was appealed already; a ruling is appealed once");
        }
        Party loser = loser(d).orElseThrow(() -> new WrongState("dispute " + disputeId + " has no ruling against a party"
                + " to appeal (a ruling that refunds the buyer, which the merchant may appeal, or one that rejects the"
                + " claim, which the buyer may appeal)"));
        if (party != loser) {
            throw new WrongState("the ruling of dispute " + disputeId + " (" + d.ruling().label() + ") went against the "
                    + loser.name().toLowerCase() + "; only they may appeal it");
        }
        Instant ruledAt = disputes.ruledAt(disputeId).orElse(d.closedAt() == null ? ServiceClock.now() : d.closedAt());
        Instant closes = deadlines.after(ruledAt, deadlines.appealWindow());
        Instant now = ServiceClock.now();
        if (now.isAfter(closes)) {
            throw new WrongState("the ruling of dispute " + disputeId + " could be appealed until " + TIME.format(closes)
                    + " (Beijing time, " + deadlines.appealWindow() + " after the ruling); that time has passed");
        }
        Appeal appeal = new Appeal(disputeId, party, caller.userId(), d.ruling(), d.ruledBy(), statement, now,
                AppealStatus.FILED, null, null, null);
        try {
            records.insert(appeal);
        } catch (DuplicateKeyException e) {
            throw new WrongState("the ruling of dispute " + disputeId + " is being appealed right now; a ruling is appealed once");
        }
        journal.record(d, caller.userId(), "APPEAL_FILED", (party == Party.MERCHANT ? "商家" : "买家")
                + "对裁决（" + d.ruling().label() + "）提出申诉，将由另一位仲裁员复核：" + statement, Notify.BOTH);
        process.startAppeal(disputeId);
        return records.find(disputeId).orElseThrow();
    }

    @Transactional(readOnly = true)
    public Optional<Appeal> of(String disputeId) {
        return records.find(disputeId);
    }

    /** Four eyes for appeals: the arbiter who made the ruling may not decide its appeal, whoever assigns it. */
    public void checkArbiter(String disputeId, String arbiter) {
        records.find(disputeId).ifPresent(a -> refuseFirstArbiter(a, arbiter));
    }

    private static void refuseFirstArbiter(Appeal a, String arbiter) {
        if (arbiter != null && arbiter.equals(a.ruledBy())) {
            throw new IllegalArgumentException("申诉须由另一位仲裁员复核，" + arbiter
                    + " 不能复核自己的裁决 (the arbiter who made the ruling cannot decide its appeal)");
        }
    }

    /** Completion of decideAppeal: the different arbiter's decision, with a reason. */
    public void decide(String disputeId, AppealDecision decision, String note, String by) {
        if (by == null) {
            throw new IllegalArgumentException("the arbiter must be signed in to decide an appeal");
        }
        Appeal a = records.lock(disputeId)
                .orElseThrow(() -> new IllegalStateException("dispute " + disputeId + " has no appeal"));
        refuseFirstArbiter(a, by);
        if (decision == null) {
            throw new IllegalArgumentException("appealDecision must be UPHOLD or OVERTURN");
        }
        if (note == null || note.isBlank()) {
            throw new IllegalArgumentException("请填写复核理由 (appealNote is required)");
        }
        if (a.status() != AppealStatus.FILED) {
            throw new IllegalArgumentException("the appeal of dispute " + disputeId + " is " + a.status() + " already");
        }
        Dispute d = disputes.lock(disputeId).orElseThrow();
        deadlines.clear(disputeId, DeadlineKind.APPEAL_DECISION);
        if (decision == AppealDecision.UPHOLD) {
            records.decide(disputeId, AppealStatus.UPHELD, by, note, ServiceClock.now());
            journal.record(d, by, "APPEAL_UPHELD", "申诉复核：维持原裁决（" + a.ruling().label() + "），理由：" + note, Notify.BOTH);
            return;
        }
        records.decide(disputeId, AppealStatus.OVERTURNED, by, note, ServiceClock.now());
        if (a.party() == Party.MERCHANT) {
            disputes.setPlatformFault(disputeId); // a refund still under way settles on the fund (refund-bearer.dmn)
            String ledgerLine = ledger.creditBackAfterAppeal(d, by);
            journal.record(d, by, "APPEAL_OVERTURNED", "申诉复核：撤销原裁决（" + a.ruling().label() + "），理由：" + note
                    + "。买家已获的退款不受影响；" + ledgerLine, Notify.BOTH);
            return;
        }
        refundAfterBuyersAppeal(d, note, by);
    }

    /**
     * As a ruling for the buyer: the claim is refunded once, by the order's live refund rule (as a complaint's refund,
     * ComplaintService.orderRefund). A refund of the order already under way or done is only noted. When the buyer
     * opened another dispute on the order meanwhile, that open dispute takes the refund (it jumps to its refund, as
     * for a complaint's); otherwise this dispute reopens at its refund.
     */
    private void refundAfterBuyersAppeal(Dispute d, String note, String by) {
        if (d.status() != DisputeStatus.CLOSED) {
            throw new IllegalStateException("dispute " + d.id() + " is " + d.status() + "; a rejected claim's appeal reopens it");
        }
        var live = refunds.liveForOrder(d.orderId());
        if (live.isPresent()) {
            journal.record(d, by, "APPEAL_OVERTURNED", "申诉复核：撤销驳回裁决，理由：" + note + "。该订单的退款已发起或已完成（争议 "
                    + live.get().disputeId() + "），不重复退款。", Notify.BOTH);
            return;
        }
        String amount = cn.kameng.refunddesk.dispute.Money.yuan(d.claimedAmountFen());
        var open = disputes.findOpenByOrder(d.orderId()).filter(other -> !other.id().equals(d.id()));
        if (open.isPresent()) {
            Dispute other = disputes.lock(open.get().id()).orElseThrow();
            if (!process.waitsFor(other.id(), ProcessIds.Message.COMPLAINT_REFUND_ORDERED)) {
                if (REFUND_UNDER_WAY.contains(other.status())) { // its refund is about to be requested
                    journal.record(d, by, "APPEAL_OVERTURNED", "申诉复核：撤销驳回裁决，理由：" + note + "。该订单的退款已经争议 "
                            + other.id() + " 发起，不重复退款。", Notify.BOTH);
                    return;
                }
                throw new IllegalArgumentException("该订单的另一争议 " + other.id() + " 当前为「" + other.status().label()
                        + "」，暂不能转入退款，请稍后再完成复核 (dispute " + other.id() + " on the same order is "
                        + other.status() + " and cannot take the refund now; complete the appeal later)");
            }
            disputes.setApprovedAmount(other.id(), d.claimedAmountFen());
            journal.record(d, by, "APPEAL_OVERTURNED", "申诉复核：撤销驳回裁决，理由：" + note + "。该订单另有进行中的争议 "
                    + other.id() + "，退款 " + amount + " 经该争议发起。", Notify.BOTH);
            journal.record(other, by, "REFUND_ORDERED_BY_APPEAL", "同一订单的争议 " + d.id() + " 申诉成立，本争议转入退款 "
                    + amount + "（每个订单只退款一次）。", Notify.BOTH);
            if (!process.correlate(other.id(), ProcessIds.Message.COMPLAINT_REFUND_ORDERED)) {
                throw new IllegalStateException("dispute " + other.id() + " stopped waiting for the appeal's refund");
            }
            return;
        }
        disputes.setApprovedAmount(d.id(), d.claimedAmountFen());
        disputes.reopenForRefund(d.id());
        journal.record(d, by, "APPEAL_OVERTURNED", "申诉复核：撤销驳回裁决，理由：" + note + "。争议重新打开，退款 "
                + amount + "。", Notify.BOTH);
        process.startRefundAfterClose(d.id());
    }
}
