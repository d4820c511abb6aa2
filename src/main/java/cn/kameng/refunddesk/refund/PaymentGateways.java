package cn.kameng.refunddesk.refund;

import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.order.PaymentChannel;

/** Picks the gateway adapter for an order's payment channel. */
@Component
class PaymentGateways {

    private final List<PaymentGateway> gateways;

    PaymentGateways(List<PaymentGateway> gateways) {
        this.gateways = gateways;
    }

    PaymentGateway forChannel(PaymentChannel channel) {
        return gateways.stream().filter(g -> g.serves(channel)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no payment gateway is configured for channel " + channel));
    }

    Optional<PaymentGateway> byName(String name) {
        return gateways.stream().filter(g -> g.name().equals(name)).findFirst();
    }
}
