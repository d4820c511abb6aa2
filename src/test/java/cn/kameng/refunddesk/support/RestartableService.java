package cn.kameng.refunddesk.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import cn.kameng.refunddesk.RefundDeskApplication;
import cn.kameng.refunddesk.refund.RefundRecords;
import cn.kameng.refunddesk.refund.RefundState;

/**
 * The whole service, started and restarted on one H2 file under target/ as after a deployment: each
 * start is a new Spring context (a new engine, a new pool) with the job executor and the sandbox's
 * automatic settlement off, plus the test's own properties (a gateway's, for instance). Register with
 * {@code @RegisterExtension}; the clock is set at the start of each test and reset at its end.
 */
public final class RestartableService implements BeforeEachCallback, AfterEachCallback {

    private final Map<String, String> properties;
    private Path directory;
    private ConfigurableApplicationContext context;

    public RestartableService(Map<String, String> properties) {
        this.properties = properties;
    }

    public RestartableService() {
        this(Map.of());
    }

    @Override
    public void beforeEach(ExtensionContext extension) throws Exception {
        directory = Path.of("target", "restart-db", UUID.randomUUID().toString()).toAbsolutePath();
        Files.createDirectories(directory);
        ClockUtil.setCurrentTime(new Date());
    }

    @Override
    public void afterEach(ExtensionContext extension) {
        if (context != null) {
            context.close();
            context = null;
        }
        ClockUtil.reset();
    }

    public void start() {
        // Command-line arguments: they win over application.yaml (default properties would not).
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=jdbc:h2:file:" + directory.resolve("refund-desk") + ";DB_CLOSE_ON_EXIT=FALSE",
                "--camunda.bpm.job-execution.enabled=false",
                "--dispute.sandbox.gateway.auto-settle=false",
                "--dispute.notifications.relay-interval=PT1H",
                "--dispute.evidence.directory=" + directory.resolve("evidence"),
                "--server.port=0"));
        properties.forEach((k, v) -> args.add("--" + k + "=" + v));
        context = new SpringApplicationBuilder(RefundDeskApplication.class).run(args.toArray(String[]::new));
    }

    /** Stops the service completely, then starts a new one on the same database file. */
    public void restart() {
        context.close();
        assertThat(context.isActive()).isFalse();
        context = null;
        start();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public TestDisputes given() {
        return bean(TestDisputes.class);
    }

    /** Runs the dispute's refund request job once and checks the gateway took it (PROCESSING). */
    public void sendRefund(String disputeId) {
        given().runRefundJob(disputeId);
        assertThat(bean(RefundRecords.class).of(disputeId)).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(RefundState.PROCESSING));
    }
}
