package cn.kameng.refunddesk.unionpay;

import static cn.kameng.refunddesk.support.TestDisputes.MERCHANT1;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import cn.kameng.refunddesk.RefundDeskApplication;
import cn.kameng.refunddesk.dispute.DisputeService;
import cn.kameng.refunddesk.dispute.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.dispute.DisputeService.MerchantDecision;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;
import cn.kameng.refunddesk.process.ProcessIds.Element;
import cn.kameng.refunddesk.refund.RefundRecords;
import cn.kameng.refunddesk.refund.RefundState;
import cn.kameng.refunddesk.support.TestDisputes;

/**
 * The service restarts between UnionPay accepting a refund and UnionPay's result: the new instance
 * still knows which refund UnionPay's orderId is (stored, not in memory) and moves the dispute on.
 */
class UnionPayRestartTest {

    private static final long ORDER_FEN = 6800;
    private static final UnionPayStub unionpay = new UnionPayStub();

    private Path directory;
    private ConfigurableApplicationContext context;

    @BeforeEach
    void setUp() throws Exception {
        directory = Path.of("target", "restart-db", UUID.randomUUID().toString()).toAbsolutePath();
        Files.createDirectories(directory);
        ClockUtil.setCurrentTime(new Date());
    }

    @AfterEach
    void tearDown() {
        if (context != null) {
            context.close();
        }
        ClockUtil.reset();
    }

    @AfterAll
    static void stop() {
        unionpay.close();
    }

    @Test
    void aResultArrivingAfterARestartSettlesTheRefundAcceptedBeforeIt() throws Exception {
        context = start();
        TestDisputes given = context.getBean(TestDisputes.class);
        String orderId = given.order(ORDER_FEN, PaymentChannel.BANK_CARD, ProductCategory.CARD_KEY, 1, "SUCCEED");
        context.getBean(JdbcClient.class).sql("update sandbox_order set payment_reference = ? where order_id = ?")
                .params("762511301000000000001", orderId).update();
        String id = given.open(orderId, Reason.INVALID_CARD_KEY).id();
        context.getBean(DisputeService.class).merchantResponse(MERCHANT1, id,
                new MerchantAnswer(MerchantDecision.ACCEPT, null, "同意退款", null));
        String unionOrderId = (id + "-R1").replace("-", "");
        unionpay.refundAnswers(unionOrderId, "00", "成功[0000000]");
        ManagementService management = context.getBean(ManagementService.class);
        management.executeJob(management.createJobQuery().processInstanceId(given.instance(id).getId())
                .activityId(Element.SERVICE_TASK_REQUEST_REFUND).singleResult().getId());
        assertThat(context.getBean(RefundRecords.class).of(id)).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(RefundState.PROCESSING));

        context.close();
        context = start();

        HttpResponse<String> answer = post(unionpay.notice(unionOrderId, "00", ORDER_FEN,
                unionpay.unionPayKeys.getPrivate()));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);

        assertThat(context.getBean(TestDisputes.class).get(id).status())
                .isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);
        assertThat(context.getBean(RefundRecords.class).of(id)).singleElement().satisfies(r -> {
            assertThat(r.idempotencyKey()).isEqualTo(id + "-R1");
            assertThat(r.status()).isEqualTo(RefundState.SUCCEEDED);
            assertThat(r.settledAmountFen()).isEqualTo(ORDER_FEN);
        });
        assertThat(unionpay.refundRequests()).hasSize(1);
    }

    private ConfigurableApplicationContext start() {
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=jdbc:h2:file:" + directory.resolve("refund-desk") + ";DB_CLOSE_ON_EXIT=FALSE",
                "--camunda.bpm.job-execution.enabled=false",
                "--dispute.sandbox.gateway.auto-settle=false",
                "--dispute.notifications.relay-interval=PT1H",
                "--dispute.evidence.directory=" + directory.resolve("evidence"),
                "--server.port=0"));
        unionpay.properties().forEach((k, v) -> args.add("--" + k + "=" + v));
        return new SpringApplicationBuilder(RefundDeskApplication.class).run(args.toArray(String[]::new));
    }

    private HttpResponse<String> post(String form) throws Exception {
        String port = context.getEnvironment().getProperty("local.server.port");
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/api/v1/payment-notifications/unionpay"))
                .header("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
