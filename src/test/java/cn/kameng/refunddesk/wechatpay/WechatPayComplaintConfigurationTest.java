package cn.kameng.refunddesk.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The WeChat Pay complaint source does not start with a key, a URL or a limit wrong, and says which. */
class WechatPayComplaintConfigurationTest {

    private static final WechatComplaintStub stub = new WechatComplaintStub();

    @Configuration
    @EnableConfigurationProperties({WechatPayProperties.class, WechatPayComplaintProperties.class})
    @Import(WechatPayComplaintSource.class)
    static class SourceOnly {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(SourceOnly.class);

    @AfterAll
    static void stop() {
        stub.close();
    }

    @Test
    void offByDefaultAndOnWithItsKeys() {
        context.run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(WechatPayComplaintSource.class));
        context.withPropertyValues(settings(null)).run(ctx -> assertThat(ctx).hasNotFailed()
                .hasSingleBean(WechatPayComplaintSource.class));
    }

    @Test
    void eachMissingKeyStopsTheStartUpNamingIt() {
        for (String missing : new String[] {"merchant-id", "private-key", "api-v3-key", "public-key-id", "public-key"}) {
            context.withPropertyValues(settings("payment.wechatpay." + missing))
                    .run(ctx -> assertThat(ctx).as(missing).getFailure()
                            .hasStackTraceContaining("payment.wechatpay." + missing));
        }
    }

    @Test
    void aWrongLimitOrNotificationUrlStopsTheStartUpSayingWhy() {
        context.withPropertyValues(settings(null)).withPropertyValues("payment.wechatpay.complaints.page-size=100")
                .run(ctx -> assertThat(ctx).getFailure().hasStackTraceContaining("page-size must be 1 to 50"));
        context.withPropertyValues(settings(null)).withPropertyValues("payment.wechatpay.complaints.longest-window=P31D")
                .run(ctx -> assertThat(ctx).getFailure().hasStackTraceContaining("at most P29D"));
        context.withPropertyValues(settings(null)).withPropertyValues("payment.wechatpay.complaints.register-notify-url=true")
                .run(ctx -> assertThat(ctx).getFailure().hasStackTraceContaining("notify-url must be the public https URL"));
        context.withPropertyValues(settings(null)).withPropertyValues("payment.wechatpay.complaints.register-notify-url=true",
                "payment.wechatpay.complaints.notify-url=https://refund-desk.example.cn/api/v1/channels/"
                        + "wechatpay-complaint-v2/complaint-notifications")
                .run(ctx -> assertThat(ctx).hasNotFailed());
    }

    private static String[] settings(String without) {
        Map<String, String> p = new java.util.LinkedHashMap<>(stub.properties());
        if (without != null) {
            p.remove(without);
        }
        return p.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }
}
