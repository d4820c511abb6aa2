package cn.kameng.refunddesk.alipay;

import static cn.kameng.refunddesk.alipay.AlipayGatewayStub.REFUND;
import static cn.kameng.refunddesk.alipay.AlipayGatewayStub.success;
import static cn.kameng.refunddesk.support.TestDisputes.MERCHANT1;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import cn.kameng.refunddesk.RefundDeskApplication;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;
import cn.kameng.refunddesk.process.ProcessIds.Element;
import cn.kameng.refunddesk.refund.RefundRecords;
import cn.kameng.refunddesk.refund.RefundState;
import cn.kameng.refunddesk.support.EmbeddedPostgresServer;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;
import cn.kameng.refunddesk.workflow.DisputeService;

/**
 * Two engine nodes (two whole applications, two Camunda engines) on one PostgreSQL database, both with
 * the real Alipay adapter, run the same refund job at the same moment. Alipay (WireMock) must see one
 * refund request for the key, the dispute one refund, settled once.
 */
class AlipayRefundRaceOnPostgresTest {

    private static final long ORDER_FEN = 6800;
    private static final AlipayGatewayStub alipay = new AlipayGatewayStub();
    private static ConfigurableApplicationContext nodeA;
    private static ConfigurableApplicationContext nodeB;
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @BeforeAll
    static void startTwoNodes() throws Exception {
        String url = EmbeddedPostgresServer.newDatabaseUrl();
        nodeA = start(url);
        nodeB = start(url);
    }

    @AfterAll
    static void stopNodes() {
        if (nodeB != null) {
            nodeB.close();
        }
        if (nodeA != null) {
            nodeA.close();
        }
        alipay.close();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(30, TimeUnit.SECONDS);
        ClockUtil.reset();
    }

    @Test
    void twoNodesRacingTheSameRefundJobSendAlipayOneRefund() throws Exception {
        ClockUtil.setCurrentTime(new Date());
        // Alipay takes a moment to answer, so the two nodes overlap while the refund is at the gateway.
        alipay.answersTooLate(REFUND, success("trade_no", "T-RACE", "fund_change", "Y", "refund_fee", "68.00"),
                java.time.Duration.ofMillis(300));

        List<String> losses = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            TestDisputes given = nodeA.getBean(TestDisputes.class);
            String orderId = given.order(ORDER_FEN, PaymentChannel.ALIPAY, ProductCategory.CARD_KEY, 1, "SUCCEED");
            String id = given.open(orderId, Reason.INVALID_CARD_KEY).id();
            nodeA.getBean(DisputeService.class).merchantResponse(MERCHANT1, id,
                    new MerchantAnswer(MerchantDecision.ACCEPT, null, "同意退款", null));
            String jobId = nodeA.getBean(ManagementService.class).createJobQuery()
                    .processInstanceId(given.instance(id).getId()).activityId(Element.SERVICE_TASK_REQUEST_REFUND)
                    .singleResult().getId();
            String key = given.refundKey(id);

            List<Throwable> failures = race(() -> nodeA.getBean(ManagementService.class).executeJob(jobId),
                    () -> nodeB.getBean(ManagementService.class).executeJob(jobId));

            String context = "round " + round + ", dispute " + id + ", failures " + failures;
            assertThat(failures).as("one node ran the job, the other lost; " + context).hasSize(1);
            losses.add(failures.get(0).getClass().getSimpleName());
            assertThat(alipay.calls(REFUND)).as("Alipay saw one refund request for " + key + "; " + context)
                    .filteredOn(call -> key.equals(call.get("out_request_no"))).hasSize(1);
            assertThat(nodeB.getBean(RefundRecords.class).of(id)).as(context).singleElement().satisfies(r -> {
                assertThat(r.idempotencyKey()).isEqualTo(key);
                assertThat(r.status()).isEqualTo(RefundState.SUCCEEDED);
                assertThat(r.settledAmountFen()).isEqualTo(ORDER_FEN);
            });
            assertThat(nodeB.getBean(RefundRecords.class).attempts(key)).as(context).isEqualTo(1);
            assertThat(nodeB.getBean(TestDisputes.class).get(id).status()).as(context)
                    .isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);
            RuntimeService runtime = nodeB.getBean(RuntimeService.class);
            assertThat(runtime.createIncidentQuery().processInstanceId(given.instance(id).getId()).count()).isZero();
            assertThat(nodeB.getBean(ManagementService.class).createJobQuery().jobId(jobId).count())
                    .as("the refund job is done, not left to retry; " + context).isZero();
        }
        System.out.println("[" + getClass().getSimpleName() + "] losing nodes failed with " + losses);
    }

    private List<Throwable> race(Runnable first, Runnable second) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<Throwable>> sides = new ArrayList<>();
        for (Runnable side : List.of(first, second)) {
            sides.add(threads.submit(() -> {
                start.await(30, TimeUnit.SECONDS);
                try {
                    side.run();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            }));
        }
        List<Throwable> failures = new ArrayList<>();
        for (Future<Throwable> side : sides) {
            Throwable t = side.get(60, TimeUnit.SECONDS);
            if (t != null) {
                failures.add(t);
            }
        }
        return failures;
    }

    private static ConfigurableApplicationContext start(String url) {
        Path evidence = Path.of("target", "race-evidence", UUID.randomUUID().toString()).toAbsolutePath();
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--camunda.bpm.job-execution.enabled=false",
                "--dispute.sandbox.gateway.auto-settle=false",
                "--dispute.notifications.relay-interval=PT1H",
                "--dispute.evidence.directory=" + evidence,
                "--dispute.calendar.directory=" + evidence.resolveSibling(evidence.getFileName() + "-calendar"),
                "--server.port=0",
                "--payment.alipay.enabled=true",
                "--payment.alipay.app-id=2021000000000001",
                "--payment.alipay.read-timeout=PT10S",
                "--payment.channels.ALIPAY=alipay"));
        args.add("--payment.alipay.gateway-url=" + alipay.server.baseUrl() + "/gateway.do");
        args.add("--payment.alipay.private-key=" + java.util.Base64.getEncoder()
                .encodeToString(alipay.appKeys.getPrivate().getEncoded()));
        args.add("--payment.alipay.alipay-public-key=" + java.util.Base64.getEncoder()
                .encodeToString(alipay.alipayKeys.getPublic().getEncoded()));
        return new SpringApplicationBuilder(RefundDeskApplication.class).run(args.toArray(String[]::new));
    }
}
