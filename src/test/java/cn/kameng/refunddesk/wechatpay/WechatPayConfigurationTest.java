package cn.kameng.refunddesk.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import cn.kameng.refunddesk.order.OrderDirectory;

/** The WeChat Pay adapter does not start with a key or an ID missing, and says which. */
class WechatPayConfigurationTest {

    private static final WechatPayStub wechat = new WechatPayStub();

    @Configuration
    @EnableConfigurationProperties(WechatPayProperties.class)
    @Import(WechatPayPaymentGateway.class)
    static class AdapterOnly {
        @Bean
        OrderDirectory orders() {
            return orderId -> Optional.empty();
        }
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(AdapterOnly.class);

    @AfterAll
    static void stop() {
        wechat.close();
    }

    @Test
    void withEverythingConfiguredTheAdapterStarts() {
        context.withPropertyValues(settings(null))
                .run(ctx -> assertThat(ctx).hasNotFailed().hasSingleBean(WechatPayPaymentGateway.class));
    }

    @Test
    void eachMissingSettingStopsTheStartUpNamingIt() {
        for (String missing : new String[] {"merchant-id", "private-key", "api-v3-key", "public-key-id", "public-key",
                "notify-url"}) {
            context.withPropertyValues(settings("payment.wechatpay." + missing))
                    .run(ctx -> assertThat(ctx).as(missing).getFailure()
                            .hasStackTraceContaining("payment.wechatpay." + missing));
        }
    }

    @Test
    void anApiV3KeyOfTheWrongLengthStopsTheStartUp() {
        context.withPropertyValues(settings(null)).withPropertyValues("payment.wechatpay.api-v3-key=tooshort")
                .run(ctx -> assertThat(ctx).getFailure().hasStackTraceContaining("must be 32 bytes"));
    }

    private static String[] settings(String without) {
        Map<String, String> p = new java.util.LinkedHashMap<>(wechat.properties());
        p.remove("payment.channels.WECHAT_PAY");
        if (without != null) {
            p.remove(without);
        }
        return p.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }
}
