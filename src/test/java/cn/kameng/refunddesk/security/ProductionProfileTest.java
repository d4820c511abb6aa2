package cn.kameng.refunddesk.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

import cn.kameng.refunddesk.RefundDeskApplication;
import cn.kameng.refunddesk.order.Order;
import cn.kameng.refunddesk.order.OrderDirectory;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.refund.PaymentGateway;

/**
 * Outside the default (demo) profile: no demo user, no sandbox API, and no start while any user
 * keeps a default password. Runs the real application on a "prod" profile with stand-in adapters.
 */
class ProductionProfileTest {

    /** Stand-ins for the real order directory and gateway, which production provides. */
    @Configuration(proxyBeanMethods = false)
    @org.springframework.context.annotation.Profile("prod")
    static class StandInAdapters {
        @Bean
        OrderDirectory orders() {
            return id -> Optional.<Order>empty();
        }

        @Bean
        PaymentGateway gateway() {
            return new PaymentGateway() {
                public String name() { return "none"; }
                public boolean serves(PaymentChannel c) { return true; }
                public RefundAnswer requestRefund(RefundRequest r) { throw new UnsupportedOperationException(); }
                public RefundAnswer queryRefund(String k, String o) { throw new UnsupportedOperationException(); }
                public RefundNotification parseNotification(Map<String, String> h, String b) {
                    throw new UnsupportedOperationException();
                }
            };
        }
    }

    private static SpringApplicationBuilder prod() {
        return new SpringApplicationBuilder(RefundDeskApplication.class, StandInAdapters.class).profiles("prod");
    }

    /** As command-line arguments, so they override application.yaml (builder properties would not). */
    private static String[] args(String database) {
        return new String[] {"--spring.datasource.url=jdbc:h2:file:./target/prod-profile/" + database
                + ";DB_CLOSE_ON_EXIT=FALSE", "--server.port=0", "--camunda.bpm.job-execution.enabled=false",
                "--dispute.evidence.directory=target/prod-profile/evidence"};
    }

    @Test
    void noDemoUserAndNoSandboxExistOutsideTheDemoProfile() {
        try (ConfigurableApplicationContext app = prod().run(args("clean-" + System.nanoTime()))) {
            IdentityService identity = app.getBean(IdentityService.class);
            assertThat(identity.createUserQuery().count()).isZero();
            assertThat(identity.createGroupQuery().groupId("reviewers").count()).isOne();

            User ops = identity.newUser("opsreal");
            ops.setPassword("a-long-real-secret-2026");
            identity.saveUser(ops);
            identity.createMembership("opsreal", "operations");
            int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
            RestClient http = RestClient.builder().baseUrl("http://localhost:" + port)
                    .defaultHeaders(h -> h.setBasicAuth("opsreal", "a-long-real-secret-2026")).build();

            assertThatThrownBy(() -> http.post().uri("/api/v1/sandbox/orders").body(Map.of()).retrieve().toBodilessEntity())
                    .isInstanceOfSatisfying(HttpClientErrorException.class,
                            e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND));
            assertThat(http.get().uri("/api/v1/disputes").retrieve().toEntity(String.class).getStatusCode())
                    .isEqualTo(HttpStatus.OK);
        }
    }

    @Test
    void theServiceRefusesToStartWhileAUserHasADefaultPassword() {
        String database = "weak-" + System.nanoTime();
        try (ConfigurableApplicationContext app = prod().run(args(database))) {
            IdentityService identity = app.getBean(IdentityService.class);
            User admin = identity.newUser("admin");
            admin.setPassword("demo");
            identity.saveUser(admin);
        }

        assertThatThrownBy(() -> prod().run(args(database)))
                .hasStackTraceContaining("user 'admin' has the default password 'demo'");
    }
}
