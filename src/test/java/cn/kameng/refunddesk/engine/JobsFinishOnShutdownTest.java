package cn.kameng.refunddesk.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import cn.kameng.refunddesk.RefundDeskApplication;

/**
 * SIGTERM on a node that is running jobs (a refund request waiting for its gateway, say): the jobs it holds
 * finish and commit before the engine and the database close, and it takes no new one, so no job is left locked
 * by a node that is gone (another node would wait out the whole lock time before taking it).
 */
class JobsFinishOnShutdownTest {

    static final String PROCESS = "slowJobs";

    @TempDir
    Path dir;

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + ";LOCK_TIMEOUT=10000";
    }

    private String[] args(String... extra) {
        List<String> all = new ArrayList<>(List.of("--spring.datasource.url=" + url(), "--server.port=0",
                "--dispute.sandbox.gateway.auto-settle=false", "--dispute.notifications.relay-interval=PT1H",
                "--camunda.bpm.job-execution.enabled=true",
                // one job thread and a short queue: one job runs, the next waits on this node
                "--camunda.bpm.job-execution.core-pool-size=1", "--camunda.bpm.job-execution.max-pool-size=1",
                "--camunda.bpm.job-execution.queue-capacity=2", "--camunda.bpm.job-execution.max-jobs-per-acquisition=3",
                "--dispute.evidence.directory=" + dir.resolve("evidence"),
                "--dispute.calendar.directory=" + dir.resolve("calendar")));
        all.addAll(List.of(extra));
        return all.toArray(String[]::new);
    }

    @Test
    void aStoppingNodeFinishesTheJobsItRunsAndLeavesNoneLockedBehind() throws Exception {
        CountDownLatch firstJobRunning = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        JavaDelegate slowGatewayCall = execution -> {
            firstJobRunning.countDown();
            Thread.sleep(3_000); // a gateway that takes its time to answer
            finished.incrementAndGet();
        };
        ConfigurableApplicationContext node = new SpringApplicationBuilder(RefundDeskApplication.class)
                .initializers(ctx -> ((GenericApplicationContext) ctx).registerBean("slowGatewayCall", JavaDelegate.class,
                        () -> slowGatewayCall))
                .run(args());
        node.getBean(RepositoryService.class).createDeployment().addModelInstance(PROCESS + ".bpmn",
                Bpmn.createExecutableProcess(PROCESS).startEvent().serviceTask("slowCall").camundaAsyncBefore()
                        .camundaDelegateExpression("${slowGatewayCall}").endEvent().done()).deploy();
        RuntimeService runtime = node.getBean(RuntimeService.class);
        for (int i = 0; i < 3; i++) {
            runtime.startProcessInstanceByKey(PROCESS, "D-" + i);
        }
        assertThat(firstJobRunning.await(30, TimeUnit.SECONDS)).as("the first job started").isTrue();

        node.close(); // what SIGTERM does

        assertThat(finished.get()).as("the job running when the node was told to stop finished").isGreaterThanOrEqualTo(1);
        try (var db = DriverManager.getConnection(url(), "sa", "");
                var lockedJobs = db.createStatement().executeQuery(
                        "select count(*) from ACT_RU_JOB where LOCK_OWNER_ is not null or LOCK_EXP_TIME_ is not null");
                var ended = db.createStatement().executeQuery(
                        "select count(*) from ACT_HI_PROCINST where PROC_DEF_KEY_ = '" + PROCESS + "' and END_TIME_ is not null")) {
            lockedJobs.next();
            ended.next();
            assertThat(lockedJobs.getInt(1)).as("jobs left locked by the stopped node").isZero();
            assertThat(ended.getInt(1)).as("instances whose job committed").isEqualTo(finished.get());
        }
    }

    @Test
    void aShutdownPhaseShorterThanTheJobLockTimeIsRefusedAtStart() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(RefundDeskApplication.class)
                .run(args("--spring.lifecycle.timeout-per-shutdown-phase=30s")).close())
                .rootCause()
                .hasMessageContaining("spring.lifecycle.timeout-per-shutdown-phase is PT30S")
                .hasMessageContaining("lock time PT48S");
    }
}
