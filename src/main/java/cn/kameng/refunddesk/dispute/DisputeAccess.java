package cn.kameng.refunddesk.dispute;

import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.DomainException.NotFound;

/** A customer sees only their disputes, a merchant only theirs, staff all; anything else is 404. */
@Component
public class DisputeAccess {

    private final DisputeRepository disputes;

    DisputeAccess(DisputeRepository disputes) {
        this.disputes = disputes;
    }

    public Dispute findVisible(Caller caller, String id) {
        return disputes.find(id).filter(d -> visible(caller, d)).orElseThrow(() -> notFound(id));
    }

    /** As {@link #findVisible} and holds the dispute's row until the transaction ends. */
    public Dispute lockVisible(Caller caller, String id) {
        return disputes.lock(id).filter(d -> visible(caller, d)).orElseThrow(() -> notFound(id));
    }

    static boolean visible(Caller caller, Dispute d) {
        return caller.isStaff() || d.isParty(caller.userId());
    }

    private static NotFound notFound(String id) {
        return new NotFound("there is no dispute " + id + " that you may see");
    }
}
