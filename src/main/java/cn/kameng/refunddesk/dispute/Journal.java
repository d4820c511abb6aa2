package cn.kameng.refunddesk.dispute;

import java.time.Instant;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Writes what happened to a dispute: a timeline entry, a notification to each party told, and a
 * {@link Recorded} event to the listeners of the same transaction (the webhook outbox writes its event
 * there, so none is sent for a change that rolled back and none is lost for one that committed).
 */
@Component
public class Journal {

    /** Who is told of a transition. */
    public enum Notify { NOBODY, CUSTOMER, MERCHANT, BOTH, SUPERVISOR }

    public static final String SUPERVISOR = "dispute-supervisors";

    /** The actor of what the service does by itself (a timer, a gateway's answer, a step of the process). */
    public static final String SYSTEM = "system";

    /**
     * One entry of the journal, published synchronously to listeners in the caller's transaction: a
     * listener that fails rolls the change back with it.
     */
    public record Recorded(Dispute dispute, String actor, String event, String message, Instant at) {
    }

    private final Timeline timeline;
    private final NotificationOutbox outbox;
    private final ApplicationEventPublisher listeners;

    Journal(Timeline timeline, NotificationOutbox outbox, ApplicationEventPublisher listeners) {
        this.timeline = timeline;
        this.outbox = outbox;
        this.listeners = listeners;
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
        listeners.publishEvent(new Recorded(dispute, actor, event, message, ServiceClock.now()));
    }
}
