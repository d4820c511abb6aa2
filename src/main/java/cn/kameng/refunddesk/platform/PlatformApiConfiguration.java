package cn.kameng.refunddesk.platform;

import java.time.Clock;
import java.util.Map;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

import cn.kameng.refunddesk.evidence.CardKeySupplier;
import cn.kameng.refunddesk.evidence.PlatformChatLog;
import cn.kameng.refunddesk.order.OrderDirectory;
import cn.kameng.refunddesk.refund.PaymentGateway;

/**
 * The platform's own systems over HTTP (docs/platform-api.yaml, docs/adr/0060), on when
 * {@code platform.api.base-url} is set: the order directory, the supplier's card-key records, the chat log and
 * refunds to the platform balance, one signed client, a breaker and a health indicator per system. Never
 * together with the sandbox: with the default (demo) profile active, the start-up stops and says so.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "platform.api", name = "base-url")
@EnableConfigurationProperties(PlatformApiProperties.class)
class PlatformApiConfiguration {

    static final String SANDBOX_CONFLICT = "platform.api.base-url is set while the default (demo) profile is "
            + "active, whose sandbox adapters stand in for the same order, card-key, chat and balance systems: start "
            + "with another profile (e.g. --spring.profiles.active=prod) to use the platform's systems, or unset "
            + "platform.api.base-url for the demo";

    /** Runs before any bean is made, so the conflict is this sentence and not an ambiguous-bean error. */
    @Bean
    static BeanFactoryPostProcessor platformApiNotWithTheSandbox(Environment environment) {
        return factory -> {
            if (environment.acceptsProfiles(Profiles.of("default"))) {
                throw new IllegalStateException(SANDBOX_CONFLICT);
            }
        };
    }

    @Bean
    PlatformClient platformClient(PlatformApiProperties properties) {
        return new PlatformClient(properties, Clock.systemUTC());
    }

    @Bean
    OrderDirectory platformOrderDirectory(PlatformClient client, PlatformApiProperties properties) {
        return new HttpOrderDirectory(client, properties.retryAfter());
    }

    @Bean
    CardKeySupplier platformCardKeySupplier(PlatformClient client) {
        return new HttpCardKeySupplier(client);
    }

    @Bean
    PlatformChatLog platformChatLog(PlatformClient client) {
        return new HttpChatLog(client);
    }

    @Bean
    PaymentGateway platformBalanceGateway(PlatformClient client) {
        return new PlatformBalanceGateway(client);
    }

    /** /actuator/health: {@code platform} with one component per system (platformOrders, ...). */
    @Bean
    HealthContributor platformHealthContributor(PlatformClient client, PlatformApiProperties properties) {
        Map<String, HealthContributor> systems = new java.util.LinkedHashMap<>();
        for (PlatformSystem system : PlatformSystem.values()) {
            systems.put(system.healthName(), new PlatformHealth(system, client.breaker(system),
                    properties.baseUrl().toString()));
        }
        return CompositeHealthContributor.fromMap(systems);
    }
}
