package cn.kameng.refunddesk.refund;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

import cn.kameng.refunddesk.RefundDeskApplication;
import cn.kameng.refunddesk.order.Order;
import cn.kameng.refunddesk.order.OrderDirectory;
import cn.kameng.refunddesk.order.PaymentChannel;

/**
 * Outside the default profile there is no sandbox gateway: a production profile with adapters for
 * Alipay and WeChat Pay only does not start, and says which channels need one and where to set it.
 */
class EveryChannelNeedsAGatewayTest {

    @Configuration(proxyBeanMethods = false)
    @Profile("prod")
    static class AlipayAndWechatOnly {
        @Bean
        OrderDirectory orders() {
            return id -> Optional.<Order>empty();
        }

        @Bean
        PaymentGateway alipayStandIn() {
            return standIn("alipay", PaymentChannel.ALIPAY);
        }

        @Bean
        PaymentGateway wechatStandIn() {
            return standIn("wechatpay", PaymentChannel.WECHAT_PAY);
        }
    }

    @Test
    void aProductionProfileWithoutABankCardAndBalanceAdapterDoesNotStartAndNamesTheSettings() {
        SpringApplicationBuilder prod = new SpringApplicationBuilder(RefundDeskApplication.class,
                AlipayAndWechatOnly.class).profiles("prod");

        assertThatThrownBy(() -> prod.run("--spring.datasource.url=jdbc:h2:mem:no-bank-adapter-" + System.nanoTime(),
                "--server.port=0", "--camunda.bpm.job-execution.enabled=false",
                "--dispute.evidence.directory=target/no-bank-adapter/evidence"))
                .hasStackTraceContaining("no payment gateway is running for payment channel")
                .hasStackTraceContaining("BANK_CARD (set payment.channels.BANK_CARD)")
                .hasStackTraceContaining("PLATFORM_BALANCE (set payment.channels.PLATFORM_BALANCE)")
                .hasStackTraceContaining("running: alipay, wechatpay");
    }

    private static PaymentGateway standIn(String name, PaymentChannel channel) {
        return new PaymentGateway() {
            public String name() { return name; }
            public boolean serves(PaymentChannel c) { return c == channel; }
            public RefundAnswer requestRefund(RefundRequest r) { throw new UnsupportedOperationException(); }
            public RefundAnswer queryRefund(String k, String o) { throw new UnsupportedOperationException(); }
            public RefundNotification parseNotification(Map<String, String> h, String b) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
