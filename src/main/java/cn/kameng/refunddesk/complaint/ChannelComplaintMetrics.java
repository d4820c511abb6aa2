package cn.kameng.refunddesk.complaint;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.stereotype.Component;

/**
 * {@code kameng_channel_complaints_untied}: channel complaints naming an order we do not know that wait for the
 * complaints group (their tieChannelComplaint task, ADR 0072); {@code kameng_channel_answers_refused}: answers a
 * channel refused for good that nobody re-sent; {@code kameng_channel_answers_oldest_age_seconds}: how long the
 * oldest answer still to be sent has waited (a channel down, or refusing every try). Read from the database at
 * each scrape (the whole cluster's: use {@code max} across instances); NaN when the database cannot answer.
 */
@Component
class ChannelComplaintMetrics implements MeterBinder {

    private final ChannelComplaintRecords records;

    ChannelComplaintMetrics(ChannelComplaintRecords records) {
        this.records = records;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("kameng.channel.complaints.untied", records, r -> {
            try {
                return r.untiedWaiting();
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        }).description("Channel complaints naming an order we do not know, waiting to be tied (whole cluster)")
                .register(registry);
        Gauge.builder("kameng.channel.answers.refused", records, r -> read(r::answersRefused))
                .description("Answers a complaint channel refused for good, not re-sent yet (whole cluster)")
                .register(registry);
        Gauge.builder("kameng.channel.answers.oldest.age", records,
                r -> read(() -> r.oldestPendingAnswerAgeSeconds(cn.kameng.refunddesk.dispute.ServiceClock.now())))
                .description("How long the oldest answer still to be sent to a complaint channel has waited (whole cluster)")
                .baseUnit("seconds").register(registry);
    }

    private static double read(java.util.function.DoubleSupplier value) {
        try {
            return value.getAsDouble();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
