package cn.kameng.refunddesk.complaint;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.stereotype.Component;

/**
 * {@code kameng_channel_complaints_untied}: channel complaints naming an order we do not know that wait for the
 * complaints group (their tieChannelComplaint task, ADR 0072), read from the database at each scrape (the whole
 * cluster's: use {@code max} across instances); NaN when the database cannot answer.
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
    }
}
