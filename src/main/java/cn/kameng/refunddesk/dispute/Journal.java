package cn.kameng.refunddesk.dispute;

import org.springframework.stereotype.Component;

/** Writes what happened to a dispute: a timeline entry, and a notification to each party told. */
@Component
public class Journal {

    /** Who is told of a transition. */
    public enum Notify { NOBODY, CUSTOMER, MERCHANT, BOTH, SUPERVISOR }

    public static final String SUPERVISOR = "dispute-supervisors";

    /** The actor of what the service does by itself (a timer, a gateway's answer, a step of the process). */
    public static final String SYSTEM = "system";

    private final Timeline timeline;
    private final NotificationOutbox outbox;

    Journal(Timeline timeline, NotificationOutbox outbox) {
        this.timeline = timeline;
        this.outbox = outbox;
    }

    public void record(Dispute dispute, String actor, String event, String message, Notify notify) {
        timeline.record(dispute.id(), actor, event, message);
        switch (notify) {
            case CUSTOMER -> outbox.add(dispute.id(), dispute.customerId(), event, message);
            case MERCHANT -> outbox.add(dispute.id(), dispute.merchantId(), event, message);
            case BOTH -> {
                outbox.add(dispute.id(), dispute.customerId(), event, message);
                outbox.add(dispute.id(), dispute.merchantId(), event, message);
            }
            case SUPERVISOR -> outbox.add(dispute.id(), SUPERVISOR, event, message);
            case NOBODY -> { }
        }
    }
}
