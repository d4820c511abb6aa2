package cn.kameng.refunddesk.notification;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Hands committed notifications to the {@link Notifier}; a failed delivery is tried again next round,
 * after the others of this round went out.
 */
@Component
class OutboxRelay {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final NotificationOutbox outbox;
    private final Notifier notifier;

    OutboxRelay(NotificationOutbox outbox, Notifier notifier) {
        this.outbox = outbox;
        this.notifier = notifier;
    }

    @Scheduled(fixedDelayString = "${dispute.notifications.relay-interval:PT5S}")
    void relay() {
        for (Notification n : outbox.undelivered(100)) {
            try {
                notifier.deliver(n);
                outbox.markDelivered(n.id());
            } catch (RuntimeException e) {
                // One recipient the transport refuses must not hold back everyone else's notifications.
                log.warn("Notification {} to {} not delivered, will retry: {}", n.id(), n.recipient(), e.getMessage());
            }
        }
    }
}
