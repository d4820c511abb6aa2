package cn.kameng.refunddesk.calendar;

import java.time.Instant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.AfterCommit;
import cn.kameng.refunddesk.dispute.ComplaintChannel;

/**
 * {@code kameng_sla_total{kind, result}}: each deadline whose step ended, met (ended before it was due) or missed
 * (ended at or after it, a timer's firing included), or CLOSED_BY_CHANNEL for a channel complaint its channel closed
 * before we answered; counted once its transaction committed. {@code kind} is a
 * {@link DeadlineKind} name, or {@code COMPLAINT_<channel>} for a channel's answer deadline.
 */
@Component
public class SlaOutcomes {

    public enum Result {
        MET, MISSED,
        /** A channel's complaint the channel closed before we answered (ADR 0072): neither met nor missed by us. */
        CLOSED_BY_CHANNEL
    }

    private final MeterRegistry registry;

    SlaOutcomes(MeterRegistry registry) {
        this.registry = registry;
        for (Result result : Result.values()) {
            for (DeadlineKind kind : DeadlineKind.values()) {
                counter(kind.name(), result);
            }
            for (ComplaintChannel channel : ComplaintChannel.values()) {
                counter("COMPLAINT_" + channel.name(), result);
            }
        }
    }

    public void stepEnded(DeadlineKind kind, Instant due, Instant ended) {
        ended(kind.name(), due, ended);
    }

    public void complaintAnswered(ComplaintChannel channel, Instant due, Instant answered) {
        ended("COMPLAINT_" + channel.name(), due, answered);
    }

    /** The channel closed its complaint before we answered it. */
    public void complaintClosedByChannel(ComplaintChannel channel) {
        AfterCommit.run(() -> counter("COMPLAINT_" + channel.name(), Result.CLOSED_BY_CHANNEL).increment());
    }

    private void ended(String kind, Instant due, Instant ended) {
        Result result = ended.isBefore(due) ? Result.MET : Result.MISSED;
        AfterCommit.run(() -> counter(kind, result).increment());
    }

    private Counter counter(String kind, Result result) {
        return Counter.builder("kameng.sla").description("Deadlines whose step ended, met or missed")
                .tag("kind", kind).tag("result", result.name()).register(registry);
    }
}
