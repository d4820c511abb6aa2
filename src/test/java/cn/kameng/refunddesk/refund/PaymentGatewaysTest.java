package cn.kameng.refunddesk.refund;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import cn.kameng.refunddesk.order.PaymentChannel;

/** Which adapter refunds which payment channel: the configured one, else the first that serves it. */
class PaymentGatewaysTest {

    private final PaymentGateway sandbox = gateway("sandbox", Set.of(PaymentChannel.values()));
    private final PaymentGateway alipay = gateway("alipay", Set.of(PaymentChannel.ALIPAY));

    @Test
    void aChannelMappedInTheProfileGoesToThatAdapterTheOthersStayOnTheSandbox() {
        PaymentGateways gateways = new PaymentGateways(List.of(sandbox, alipay),
                new PaymentGateways.ChannelProperties(Map.of(PaymentChannel.ALIPAY, "alipay")));

        assertThat(gateways.forChannel(PaymentChannel.ALIPAY)).isSameAs(alipay);
        assertThat(gateways.forChannel(PaymentChannel.BANK_CARD)).isSameAs(sandbox);
        assertThat(gateways.forChannel(PaymentChannel.WECHAT_PAY)).isSameAs(sandbox);
    }

    @Test
    void withoutAMappingTheFirstAdapterServingTheChannelRefundsIt() {
        PaymentGateways gateways = new PaymentGateways(List.of(sandbox, alipay), new PaymentGateways.ChannelProperties(null));

        assertThat(gateways.forChannel(PaymentChannel.ALIPAY)).isSameAs(sandbox);
    }

    @Test
    void aMappingToAnAdapterThatIsNotRunningStopsTheStartUp() {
        assertThatThrownBy(() -> new PaymentGateways(List.of(sandbox),
                new PaymentGateways.ChannelProperties(Map.of(PaymentChannel.WECHAT_PAY, "wechatpay"))))
                .hasMessageContaining("payment.channels.WECHAT_PAY names the gateway 'wechatpay', which is not running")
                .hasMessageContaining("payment.wechatpay.enabled=true");
    }

    @Test
    void withoutTheSandboxAChannelNoRunningAdapterServesStopsTheStartUpNamingItsSetting() {
        PaymentGateway wechat = gateway("wechatpay", Set.of(PaymentChannel.WECHAT_PAY));

        assertThatThrownBy(() -> new PaymentGateways(List.of(alipay, wechat),
                new PaymentGateways.ChannelProperties(Map.of(PaymentChannel.ALIPAY, "alipay"))))
                .hasMessageContaining("no payment gateway is running for payment channel")
                .hasMessageContaining("BANK_CARD (set payment.channels.BANK_CARD)")
                .hasMessageContaining("PLATFORM_BALANCE (set payment.channels.PLATFORM_BALANCE)")
                .hasMessageNotContaining("payment.channels.ALIPAY")
                .hasMessageNotContaining("payment.channels.WECHAT_PAY")
                .hasMessageContaining("running: alipay, wechatpay");
    }

    @Test
    void withoutTheSandboxTheServiceStartsOnceEveryChannelHasARunningAdapter() {
        PaymentGateway wechat = gateway("wechatpay", Set.of(PaymentChannel.WECHAT_PAY));
        PaymentGateway unionpay = gateway("unionpay", Set.of(PaymentChannel.BANK_CARD));
        PaymentGateway balance = gateway("balance", Set.of());

        PaymentGateways gateways = new PaymentGateways(List.of(alipay, wechat, unionpay, balance),
                new PaymentGateways.ChannelProperties(Map.of(PaymentChannel.PLATFORM_BALANCE, "balance")));

        assertThat(gateways.forChannel(PaymentChannel.ALIPAY)).isSameAs(alipay);
        assertThat(gateways.forChannel(PaymentChannel.WECHAT_PAY)).isSameAs(wechat);
        assertThat(gateways.forChannel(PaymentChannel.BANK_CARD)).isSameAs(unionpay);
        assertThat(gateways.forChannel(PaymentChannel.PLATFORM_BALANCE)).isSameAs(balance);
    }

    private static PaymentGateway gateway(String name, Set<PaymentChannel> channels) {
        return new PaymentGateway() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean serves(PaymentChannel channel) {
                return channels.contains(channel);
            }

            @Override
            public RefundAnswer requestRefund(RefundRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public RefundAnswer queryRefund(String idempotencyKey, String orderId) {
                throw new UnsupportedOperationException();
            }

            @Override
            public RefundNotification parseNotification(Map<String, String> headers, String body) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
