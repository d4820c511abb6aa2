package cn.kameng.refunddesk.dispute;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.order.PaymentChannel;

/**
 * The dispute's own numbers for operations ({@code /actuator/prometheus}), counted on the node that did the work,
 * once its transaction committed: disputes opened by reason, channel and how (API or a complaint), the merchant's
 * answer time, the time to the refund, rulings, and how often the merchant brought no proof (商家举证不能:
 * {@code missing="true"} of all assessed). Series of a known, small set of labels start at zero, so that a rate or
 * ratio over them is defined before the first event.
 */
@Component
public class DisputeMetrics {

    /** How a dispute came to be opened. */
    public enum Via { API, COMPLAINT }

    private final MeterRegistry registry;

    DisputeMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Ruling ruling : Ruling.values()) {
            ruling(ruling);
        }
        proofAssessed(true);
        proofAssessed(false);
        for (MerchantReply reply : MerchantReply.values()) {
            merchantAnswer(reply);
        }
        for (PaymentChannel channel : PaymentChannel.values()) {
            refundSettled(channel);
        }
    }

    /** {@code via}: the API, or a channel's complaint. */
    public void opened(Dispute d, Via via) {
        AfterCommit.run(() -> Counter.builder("kameng.disputes.opened").description("Disputes opened")
                .tag("reason", d.reason().name()).tag("channel", d.paymentChannel().name()).tag("via", via.name())
                .register(registry).increment());
    }

    public void merchantAnswered(Dispute d, MerchantReply reply) {
        Duration took = Duration.between(d.openedAt(), ServiceClock.now());
        AfterCommit.run(() -> merchantAnswer(reply).record(took));
    }

    public void refunded(Dispute d) {
        Duration took = Duration.between(d.openedAt(), ServiceClock.now());
        AfterCommit.run(() -> refundSettled(d.paymentChannel()).record(took));
    }

    public void ruled(Ruling ruling) {
        AfterCommit.run(() -> ruling(ruling).increment());
    }

    /** An arbitration weighed the merchant's proof; {@code missing}: 商家举证不能. */
    public void burdenOfProofAssessed(boolean missing) {
        AfterCommit.run(() -> proofAssessed(missing).increment());
    }

    private Counter ruling(Ruling ruling) {
        return Counter.builder("kameng.rulings").description("Arbiters' rulings").tag("ruling", ruling.name())
                .register(registry);
    }

    private Counter proofAssessed(boolean missing) {
        return Counter.builder("kameng.merchant.proof.assessed")
                .description("Arbitrations that weighed the merchant's proof; missing=true: 商家举证不能")
                .tag("missing", Boolean.toString(missing)).register(registry);
    }

    private Timer merchantAnswer(MerchantReply reply) {
        return timer("kameng.merchant.answer", "From opening to the merchant's answer").tag("reply", reply.name())
                .register(registry);
    }

    private Timer refundSettled(PaymentChannel channel) {
        return timer("kameng.refund.settled", "From opening to the gateway's confirmed refund")
                .tag("channel", channel.name()).register(registry);
    }

    private static Timer.Builder timer(String name, String description) {
        return Timer.builder(name).description(description).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMinutes(1)).maximumExpectedValue(Duration.ofDays(30));
    }
}
