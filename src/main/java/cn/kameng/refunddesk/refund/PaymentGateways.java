package cn.kameng.refunddesk.refund;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.order.PaymentChannel;

/**
 * Picks the gateway adapter for an order's payment channel: the one named in {@code payment.channels}
 * for that channel (per profile, e.g. {@code payment.channels.ALIPAY: alipay}), else the first adapter that
 * serves the channel (in the embedded default, the sandbox serves them all). A channel mapped to an
 * adapter that is not running stops the start-up, and so does a channel no running adapter serves (only
 * possible without the sandbox, e.g. in production): every channel, the platform balance included (it is
 * refunded through this port too), must have its adapter before the service takes disputes.
 */
@Component
class PaymentGateways {

    /** {@code payment.channels}: payment channel → adapter name ({@link PaymentGateway#name()}). */
    @ConfigurationProperties(prefix = "payment")
    record ChannelProperties(Map<PaymentChannel, String> channels) {
        ChannelProperties {
            channels = channels == null ? Map.of() : Map.copyOf(channels);
        }
    }

    private final List<PaymentGateway> gateways;
    private final Map<PaymentChannel, PaymentGateway> chosen = new EnumMap<>(PaymentChannel.class);

    PaymentGateways(List<PaymentGateway> gateways, ChannelProperties properties) {
        this.gateways = gateways;
        properties.channels().forEach((channel, name) -> chosen.put(channel, byName(name).orElseThrow(() ->
                new IllegalStateException("payment.channels." + channel + " names the gateway '" + name
                        + "', which is not running (running: " + gateways.stream().map(PaymentGateway::name)
                                .collect(Collectors.joining(", "))
                        + "); enable it (e.g. payment." + name + ".enabled=true) or fix the name"))));
        List<PaymentChannel> unserved = Arrays.stream(PaymentChannel.values())
                .filter(c -> !chosen.containsKey(c) && gateways.stream().noneMatch(g -> g.serves(c))).toList();
        if (!unserved.isEmpty()) {
            throw new IllegalStateException("no payment gateway is running for payment channel " + unserved.stream()
                    .map(c -> c + " (set payment.channels." + c + ")").collect(Collectors.joining(", "))
                    + "; running: " + names() + ". Map each channel to a running adapter and enable it (e.g. "
                    + "payment.channels.BANK_CARD: unionpay with payment.unionpay.enabled=true)");
        }
    }

    private String names() {
        return gateways.isEmpty() ? "none" : gateways.stream().map(PaymentGateway::name).collect(Collectors.joining(", "));
    }

    PaymentGateway forChannel(PaymentChannel channel) {
        PaymentGateway configured = chosen.get(channel);
        if (configured != null) {
            return configured;
        }
        return gateways.stream().filter(g -> g.serves(channel)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no payment gateway is configured for channel " + channel
                        + ": set payment.channels." + channel));
    }

    Optional<PaymentGateway> byName(String name) {
        return gateways.stream().filter(g -> g.name().equals(name)).findFirst();
    }
}
