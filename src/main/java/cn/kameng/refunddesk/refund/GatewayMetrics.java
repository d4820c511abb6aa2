package cn.kameng.refunddesk.refund;

import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.order.PaymentChannel;

/**
 * {@code kameng_gateway_call_seconds{gateway, channel, operation, outcome}}: every refund or query call to a payment
 * gateway, timed; {@code outcome} is ANSWERED, UNAVAILABLE (a timeout or 5xx: the answer is unknown, retried) or
 * FAILED (anything else thrown).
 */
@Component
class GatewayMetrics {

    enum Operation { REQUEST, QUERY }

    private final MeterRegistry registry;

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    <T> T timed(PaymentGateway gateway, PaymentChannel channel, Operation operation, Supplier<T> call) {
        Timer.Sample sample = Timer.start(registry);
        String outcome = "FAILED";
        try {
            T answer = call.get();
            outcome = "ANSWERED";
            return answer;
        } catch (GatewayUnavailableException e) {
            outcome = "UNAVAILABLE";
            throw e;
        } finally {
            sample.stop(Timer.builder("kameng.gateway.call").description("Calls to the payment gateways")
                    .tag("gateway", gateway.name()).tag("channel", channel.name()).tag("operation", operation.name())
                    .tag("outcome", outcome).publishPercentileHistogram().register(registry));
        }
    }
}
