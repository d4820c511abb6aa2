package cn.kameng.refunddesk.notification;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

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
    private final Duration retryAfter;
    private final Duration maxRetryAfter;

    OutboxRelay(NotificationOutbox outbox, Notifier notifier,
            @Value("${dispute.notifications.retry-after:PT30S}") Duration retryAfter,
            @Value("${dispute.notifications.max-retry-after:PT1H}") Duration maxRetryAfter) {
        if (retryAfter.isNegative() || retryAfter.isZero() || maxRetryAfter.compareTo(retryAfter) < 0) {
            throw new IllegalArgumentException("dispute.notifications.retry-after must be positive and at most "
                    + "dispute.notifications.max-retry-after (got " + retryAfter + " and " + maxRetryAfter + ")");
        }
        this.outbox = outbox;
        this.notifier = notifier;
        this.retryAfter = retryAfter;
        this.maxRetryAfter = maxRetryAfter;
    }

    /** The pause after the given number of failures: retry-after, doubled each time, capped. */
    Duration pauseAfter(int failures) {
        Duration pause = retryAfter;
        for (int i = 1; i < failures && pause.compareTo(maxRetryAfter) < 0; i++) {
            pause = pause.multipliedBy(2);
        }
        return pause.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : pause;
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
