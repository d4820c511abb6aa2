package cn.kameng.refunddesk.notification;

import java.time.Duration;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.NotificationOutbox;
import cn.kameng.refunddesk.dispute.NotificationOutbox.Backlog;
import cn.kameng.refunddesk.dispute.ServiceClock;

/**
 * The outbox's backlog, read from the database at each scrape (so every node reports the whole cluster's: use
 * {@code max} across instances): {@code kameng_outbox_waiting} notifications not yet delivered, and
 * {@code kameng_outbox_oldest_age_seconds}, how long the oldest of them has waited (0 when none waits).
 */
@Component
class OutboxMetrics implements MeterBinder {

    private final NotificationOutbox outbox;

    OutboxMetrics(NotificationOutbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("kameng.outbox.waiting", outbox, read(b -> b.waiting()))
                .description("Notifications not yet delivered (whole cluster)").register(registry);
        Gauge.builder("kameng.outbox.oldest.age", outbox, read(b -> b.oldestCreatedAt() == null ? 0
                        : Duration.between(b.oldestCreatedAt(), ServiceClock.now()).toSeconds()))
                .baseUnit("seconds").description("How long the oldest undelivered notification has waited")
                .register(registry);
    }

    /** NaN when the database cannot answer: a gap in the graph, not a scrape error. */
    private static ToDoubleFunction<NotificationOutbox> read(ToDoubleFunction<Backlog> value) {
        return outbox -> {
            try {
                return value.applyAsDouble(outbox.backlog());
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        };
    }
}
