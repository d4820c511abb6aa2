package cn.kameng.refunddesk.restriction;

import java.time.format.DateTimeFormatter;
import java.util.List;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import cn.kameng.refunddesk.dispute.Caller;
import cn.kameng.refunddesk.dispute.DisputeRepository;
import cn.kameng.refunddesk.dispute.DomainException.NotFound;
import cn.kameng.refunddesk.dispute.DomainException.NotYours;
import cn.kameng.refunddesk.dispute.DomainException.WrongState;
import cn.kameng.refunddesk.dispute.Journal;
import cn.kameng.refunddesk.dispute.Journal.Notify;
import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.process.DisputeProcess;

/**
 * A buyer who forged evidence has their account restricted (电子商务平台 rules in the source guide): they cannot
 * open a dispute while it holds. They may contest it once with a statement; a senior arbiter then lifts it or
 * keeps it, with a reason, in Tasklist (restriction-review.bpmn). Every step is on the dispute's timeline.
 */
@Service
public class Restrictions {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ServiceClock.BEIJING);

    private final RestrictionRecords records;
    private final DisputeRepository disputes;
    private final Journal journal;
    private final DisputeProcess process;

    Restrictions(RestrictionRecords records, DisputeRepository disputes, Journal journal, DisputeProcess process) {
        this.records = records;
        this.disputes = disputes;
        this.journal = journal;
        this.process = process;
    }

    /** The ruling found forged evidence in the dispute: the customer is restricted from now on. */
    public void impose(String customerId, String disputeId, String reason) {
        records.insert(customerId, disputeId, reason, ServiceClock.now());
    }

    /** Refuses (403) a customer whose account is restricted, saying why, since when and how to contest it. */
    public void refuseIfRestricted(String customerId) {
        List<Restriction> holding = records.holding(customerId);
        if (holding.isEmpty()) {
            return;
        }
        Restriction r = holding.get(0);
        String how = switch (r.status()) {
            case ACTIVE -> "; you may contest it once with POST /api/v1/account-restrictions/" + r.id() + "/contest";
            case CONTESTED -> "; your contest of " + DAY.format(r.contestedAt()) + " is with a senior arbiter";
            default -> "; it was reviewed on your contest and kept"
                    + (r.decisionNote() == null ? "" : ": " + r.decisionNote());
        };
        throw new NotYours("your account is restricted since " + DAY.format(r.createdAt()) + " after dispute "
                + r.disputeId() + " (" + r.reason() + ") and cannot open disputes" + how);
    }

    @Transactional(readOnly = true)
    public List<Restriction> of(Caller caller) {
        return records.ofCustomer(caller.userId());
    }

    /** The customer contests a restriction that still holds, once; a senior arbiter gets the task. */
    @Transactional
    public Restriction contest(Caller caller, long id, String statement) {
        Restriction r = records.lock(id).filter(x -> x.customerId().equals(caller.userId()))
                .orElseThrow(() -> new NotFound("you have no account restriction " + id));
        if (r.status() != RestrictionStatus.ACTIVE) {
            throw new WrongState("account restriction " + id + " is " + r.status() + "; a restriction is contested once");
        }
        records.contest(id, statement, ServiceClock.now());
        journal.record(disputes.get(r.disputeId()), caller.userId(), "RESTRICTION_CONTESTED",
                "买家对账号限制提出申诉：" + statement, Notify.NOBODY);
        process.startRestrictionReview(r.disputeId());
        return records.lock(id).orElseThrow();
    }

    /** Completion of reviewAccountRestriction: the senior arbiter's decision, with a reason. */
    public void decide(String disputeId, RestrictionDecision decision, String note, String by) {
        if (decision == null) {
            throw new IllegalArgumentException("restrictionDecision must be LIFT or KEEP");
        }
        if (note == null || note.isBlank()) {
            throw new IllegalArgumentException("请填写处理理由 (restrictionNote is required)");
        }
        Restriction r = records.lockOfDispute(disputeId)
                .orElseThrow(() -> new IllegalStateException("dispute " + disputeId + " restricted nobody"));
        if (r.status() != RestrictionStatus.CONTESTED) {
            throw new IllegalArgumentException("account restriction " + r.id() + " is " + r.status() + ", not contested");
        }
        boolean lift = decision == RestrictionDecision.LIFT;
        records.decide(r.id(), lift ? RestrictionStatus.LIFTED : RestrictionStatus.KEPT, by, note, ServiceClock.now());
        journal.record(disputes.get(disputeId), by, lift ? "RESTRICTION_LIFTED" : "RESTRICTION_KEPT",
                (lift ? "账号限制已解除：" : "账号限制维持：") + note, Notify.CUSTOMER);
    }

    /** What the senior arbiter's form shows: the restriction, the ruling's reason and the customer's contest. */
    public Restriction ofDispute(String disputeId) {
        return records.lockOfDispute(disputeId)
                .orElseThrow(() -> new IllegalStateException("dispute " + disputeId + " restricted nobody"));
    }
}
