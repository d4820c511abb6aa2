package cn.kameng.refunddesk.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * A process owner's slip in {@code dispute.sla} stops the start-up with a sentence naming the key,
 * instead of failing the first dispute that reaches the misconfigured channel.
 */
class SlaPropertiesTest {

    @Configuration
    @EnableConfigurationProperties(SlaProperties.class)
    static class Bind {
    }

    private static final List<String> DEFAULTS = List.of(
            "dispute.sla.merchant-reply=PT48H", "dispute.sla.customer-action=P7D", "dispute.sla.review-due=1WD",
            "dispute.sla.review-escalation=3WD", "dispute.sla.merchant-proof=PT48H",
            "dispute.sla.arbitration-due=3WD", "dispute.sla.ruling-approval-due=1WD", "dispute.sla.additional-evidence=PT48H",
            "dispute.sla.auto-close-after-refund=P7D", "dispute.sla.refund-exception-due=1WD",
            "dispute.sla.restriction-review-due=3WD", "dispute.sla.receivable-recovery-due=10WD",
            "dispute.sla.appeal-window=5WD", "dispute.sla.appeal-decision=3WD",
            "dispute.sla.complaint.WECHAT_PAY=PT24H", "dispute.sla.complaint.ALIPAY=PT24H",
            "dispute.sla.complaint.HEIMAO=PT24H", "dispute.sla.complaint.CONSUMER_12315=7WD",
            "dispute.sla.refund-arrival.ALIPAY=PT10M", "dispute.sla.refund-arrival.WECHAT_PAY=PT10M",
            "dispute.sla.refund-arrival.PLATFORM_BALANCE=PT10M", "dispute.sla.refund-arrival.BANK_CARD=3WD",
            "dispute.sla.refund-retry-cycle=R5/PT1M");

    private static ApplicationContextRunner with(String... changes) {
        List<String> values = new ArrayList<>(DEFAULTS);
        for (String change : changes) {
            String key = change.substring(0, change.indexOf('='));
            values.removeIf(v -> v.startsWith(key + "="));
            if (!change.endsWith("=<removed>")) {
                values.add(change);
            }
        }
        return new ApplicationContextRunner().withUserConfiguration(Bind.class)
                .withPropertyValues(values.toArray(String[]::new));
    }

    @Test
    void theDefaultsOfTheBriefBind() {
        with().run(context -> {
            assertThat(context).hasNotFailed();
            SlaProperties sla = context.getBean(SlaProperties.class);
            assertThat(sla.complaint()).hasSize(4);
            assertThat(sla.refundArrival().get("BANK_CARD")).hasToString("3WD");
        });
        with("dispute.sla.refund-retry-cycle=PT1M,PT10M,PT1H").run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aChannelWithoutAComplaintDeadlineStopsTheStartUp() {
        with("dispute.sla.complaint.HEIMAO=<removed>").run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageContaining("dispute.sla.complaint").hasMessageContaining("missing: [HEIMAO]"));
    }

    @Test
    void aMisspeltChannelIsNamed() {
        with("dispute.sla.refund-arrival.BANK_CARD=<removed>", "dispute.sla.refund-arrival.BANKCARD=3WD")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("dispute.sla.refund-arrival")
                        .hasMessageContaining("missing: [BANK_CARD]").hasMessageContaining("unknown: [BANKCARD]"));
    }

    @Test
    void aRetryCycleCamundaCannotReadStopsTheStartUp() {
        for (String cycle : List.of("R5-PT1M", "5 times", "R0/PT1M", "R5/1m")) {
            with("dispute.sla.refund-retry-cycle=" + cycle).run(context -> assertThat(context).getFailure()
                    .as(cycle).rootCause().hasMessageContaining("refund-retry-cycle '" + cycle + "'")
                    .hasMessageContaining("R5/PT1M"));
        }
    }

    @Test
    void aWrongDurationNamesItsValue() {
        with("dispute.sla.review-due=1 day").run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageContaining("'1 day'").hasMessageContaining("3WD"));
    }
}
