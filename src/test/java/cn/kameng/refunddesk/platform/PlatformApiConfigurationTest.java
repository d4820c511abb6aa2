package cn.kameng.refunddesk.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import cn.kameng.refunddesk.evidence.CardKeySupplier;
import cn.kameng.refunddesk.evidence.PlatformChatLog;
import cn.kameng.refunddesk.order.OrderDirectory;
import cn.kameng.refunddesk.platform.PlatformStub.Endpoint;
import cn.kameng.refunddesk.refund.PaymentGateway;

/**
 * Setting platform.api.base-url (outside the demo profile) wires the four adapters and shows each system under
 * /actuator/health; a missing or short key, or the demo profile's sandbox at the same time, stops the start-up
 * with a sentence that says what to do.
 */
class PlatformApiConfigurationTest {

    private final PlatformStub platform = new PlatformStub();

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class,
                    HealthEndpointAutoConfiguration.class))
            .withUserConfiguration(PlatformApiConfiguration.class);

    @AfterEach
    void stop() {
        platform.close();
    }

    private ApplicationContextRunner configured(String... more) {
        return context.withPropertyValues("spring.profiles.active=prod", "platform.api.base-url=" + platform.baseUrl(),
                "platform.api.key-id=" + PlatformStub.KEY_ID, "platform.api.key=" + platform.key).withPropertyValues(more);
    }

    @Test
    void withABaseUrlAndAKeyTheFourAdaptersRunAndHealthShowsEachSystem() {
        platform.answer(Endpoint.ORDER, 200, PlatformStub.order("O-1", "buyer1", "ALIPAY", "CARD_KEY", "K"), "O-1");
        configured().run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(OrderDirectory.class).hasSingleBean(CardKeySupplier.class)
                    .hasSingleBean(PlatformChatLog.class).hasSingleBean(PaymentGateway.class);
            assertThat(ctx.getBean(PaymentGateway.class).name()).isEqualTo("platform");
            // the configured client signs with the configured key: the stub answers
            assertThat(ctx.getBean(OrderDirectory.class).find("O-1")).isPresent();

            HealthComponent health = ctx.getBean(HealthEndpoint.class).healthForPath("platform");
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(((CompositeHealth) health).getComponents()).containsOnlyKeys("platformOrders",
                    "platformOrderStatistics", "platformCardKeys", "platformChat",
                    "platformBalance");
        });
    }

    /** What the start-up said, under Spring's wrapping. */
    private static Throwable cause(Throwable failure) {
        assertThat(failure).as("the start-up failed").isNotNull();
        return org.springframework.core.NestedExceptionUtils.getMostSpecificCause(failure);
    }

    @Test
    void withoutABaseUrlNothingOfItRuns() {
        context.withPropertyValues("spring.profiles.active=prod", "platform.api.key=" + platform.key)
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(PlatformClient.class)
                        .doesNotHaveBean(OrderDirectory.class));
    }

    @Test
    void aMissingKeyStopsTheStartUpNamingTheEnvironmentVariable() {
        configured("platform.api.key=").run(ctx -> assertThat(cause(ctx.getStartupFailure()))
                .hasMessageContaining("platform.api.key is not").hasMessageContaining("PLATFORM_API_KEY"));
    }

    @Test
    void aKeyShorterThan32BytesStopsTheStartUp() {
        configured("platform.api.key=only-twenty-bytes-ok").run(ctx -> assertThat(cause(ctx.getStartupFailure())).hasMessageContaining("platform.api.key is 20 bytes long")
                .hasMessageContaining("at least 32 bytes"));
    }

    @Test
    void aMissingKeyIdStopsTheStartUp() {
        configured("platform.api.key-id=").run(ctx -> assertThat(cause(ctx.getStartupFailure()))
                .hasMessageContaining("platform.api.key-id is not"));
    }

    @Test
    void theDemoProfileAndThePlatformApiTogetherStopTheStartUpSayingWhy() {
        configured("spring.profiles.active=default").run(ctx -> assertThat(cause(ctx.getStartupFailure()))
                .hasMessage(PlatformApiConfiguration.SANDBOX_CONFLICT));
        // no profile chosen at all is the default profile too
        context.withPropertyValues("platform.api.base-url=" + platform.baseUrl(), "platform.api.key-id=k",
                "platform.api.key=" + platform.key).run(ctx -> assertThat(cause(ctx.getStartupFailure()))
                .hasMessageContaining("default (demo) profile"));
    }
}
