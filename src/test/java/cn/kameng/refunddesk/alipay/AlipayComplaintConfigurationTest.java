package cn.kameng.refunddesk.alipay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import cn.kameng.refunddesk.calendar.Sla;
import cn.kameng.refunddesk.calendar.WorkingDays;
import cn.kameng.refunddesk.complaint.ComplaintSource;

/**
 * The complaint families are off unless enabled, each on its own; enabled, they start only with the
 * application's keys and settings Alipay accepts, and say which setting is wrong otherwise.
 */
class AlipayComplaintConfigurationTest {

    private static final AlipayGatewayStub keys = new AlipayGatewayStub();

    @Configuration
    @EnableConfigurationProperties(AlipayProperties.class)
    @Import({AlipayTradeComplaintSource.class, AlipayRiskGoComplaintSource.class})
    static class SourcesOnly {
        @Bean
        ObjectMapper objectMapper() {
            return new ObjectMapper();
        }

        @Bean
        WorkingDays workingDays() {
            return WorkingDays.builtIn();
        }
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(SourcesOnly.class);

    @AfterAll
    static void stop() {
        keys.close();
    }

    @Test
    void offUnlessEnabledAndThenNoKeysAreNeeded() {
        context.run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(ComplaintSource.class));
    }

    @Test
    void eachFamilyIsEnabledOnItsOwnWithTheApplicationsKeys() {
        context.withPropertyValues(withKeys("payment.alipay.complaints.riskgo.enabled=true"))
                .run(ctx -> assertThat(ctx).hasNotFailed().hasSingleBean(AlipayRiskGoComplaintSource.class)
                        .doesNotHaveBean(AlipayTradeComplaintSource.class));
        context.withPropertyValues(withKeys("payment.alipay.complaints.tradecomplain.enabled=true",
                "payment.alipay.complaints.tradecomplain.feedback-within=3WD"))
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed().hasSingleBean(AlipayTradeComplaintSource.class);
                    assertThat(ctx.getBean(AlipayProperties.class).complaints().tradecomplain().feedbackWithin())
                            .isEqualTo(Sla.valueOf("3WD"));
                });
    }

    @Test
    void enabledWithoutTheKeysTheStartUpSaysWhichSettingNeedsThem() {
        context.withPropertyValues("payment.alipay.complaints.riskgo.enabled=true",
                "payment.alipay.app-id=2021000000000001")
                .run(ctx -> assertThat(ctx).getFailure()
                        .hasStackTraceContaining("payment.alipay.complaints.riskgo.enabled is true")
                        .hasStackTraceContaining("payment.alipay.private-key"));
    }

    @Test
    void aPageSizeAlipayDoesNotTakeStopsTheStartUp() {
        context.withPropertyValues(withKeys("payment.alipay.complaints.tradecomplain.enabled=true",
                "payment.alipay.complaints.tradecomplain.page-size=50"))
                .run(ctx -> assertThat(ctx).getFailure()
                        .hasStackTraceContaining("payment.alipay.complaints.tradecomplain.page-size is 50")
                        .hasStackTraceContaining("1 to 20"));
    }

    @Test
    void aFeedbackDeadlineThatIsNoDurationStopsTheStartUp() {
        context.withPropertyValues(withKeys("payment.alipay.complaints.tradecomplain.enabled=true",
                "payment.alipay.complaints.tradecomplain.feedback-within=two days"))
                .run(ctx -> assertThat(ctx).getFailure().hasStackTraceContaining("feedback-within")
                        .hasStackTraceContaining("neither an ISO-8601 duration"));
    }

    private static String[] withKeys(String... more) {
        String[] base = {"payment.alipay.app-id=2021000000000001",
                "payment.alipay.private-key=" + Base64.getEncoder().encodeToString(keys.appKeys.getPrivate().getEncoded()),
                "payment.alipay.alipay-public-key="
                        + Base64.getEncoder().encodeToString(keys.alipayKeys.getPublic().getEncoded())};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
