package cn.kameng.refunddesk.notification;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.Backoff;
import cn.kameng.refunddesk.dispute.Notification;
import cn.kameng.refunddesk.dispute.NotificationOutbox;
import cn.kameng.refunddesk.dispute.ServiceClock;

/**
 * Hands committed notifications to the {@link Notifier}. A failed delivery does not hold back the
 * others of the round and is tried again after a pause that doubles with each failure
 * ({@code dispute.notifications.retry-after}, at most {@code dispute.notifications.max-retry-after});
 * it is never given up: the outbox keeps the attempts and the last error for operations.
 */
@Component
class OutboxRelay {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final NotificationOutbox outbox;
    private final Notifier notifier;
    private final Backoff backoff;

    OutboxRelay(NotificationOutbox outbox, Notifier notifier,
            @Value("${dispute.notifications.retry-after:PT30S}") Duration retryAfter,
            @Value("${dispute.notifications.max-retry-after:PT1H}") Duration maxRetryAfter) {
        this.outbox = outbox;
        this.notifier = notifier;
        this.backoff = new Backoff(retryAfter, maxRetryAfter);
    }

    /** The pause after the given number of failures: retry-after, doubled each time, capped ({@link Backoff}). */
    Duration pauseAfter(int failures) {
        return backoff.pauseAfter(failures);
    }

    @Scheduled(fixedDelayString = "${dispute.notifications.relay-interval:PT5S}")
    void relay() {
        for (Notification n : outbox.undelivered(100)) {
            try (MDC.MDCCloseable ignored = MDC.putCloseable("disputeId", n.disputeId())) {
                relay(n);
            }
        }
    }

    private void relay(Notification n) {
        try {
            notifier.deliver(n);
            outbox.markDelivered(n.id());
        } catch (RuntimeException e) {
            // One recipient the transport refuses must not hold back everyone else's notifications.
            int failures = n.attempts() + 1;
            Duration pause = pauseAfter(failures);
            outbox.markFailed(n.id(), e.getMessage(), ServiceClock.now().plus(pause));
            log.warn("Notification {} to {} not delivered (attempt {}), next try in {}: {}", n.id(), n.recipient(),
                    failures, pause, e.getMessage());
        }
    }
}
