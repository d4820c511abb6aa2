package cn.kameng.refunddesk.dispute;

import java.time.Duration;

/**
 * The outbox's pause before the next try of something a transport refused: {@code first} after one
 * failure, doubled after each further one, never more than {@code max}. Shared by the notification relay
 * and the webhook relay ({@code dispute.notifications.retry-after} and {@code max-retry-after}).
 */
public record Backoff(Duration first, Duration max) {

    public Backoff {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("dispute.notifications.retry-after must be positive and at most "
                    + "dispute.notifications.max-retry-after (got " + first + " and " + max + ")");
        }
    }

    /** The pause after the given number of failures: first, doubled each time, capped. */
    public Duration pauseAfter(int failures) {
        Duration pause = first;
        for (int i = 1; i < failures && pause.compareTo(max) < 0; i++) {
            pause = pause.multipliedBy(2);
        }
        return pause.compareTo(max) > 0 ? max : pause;
    }
}
