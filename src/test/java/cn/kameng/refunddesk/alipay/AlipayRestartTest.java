package cn.kameng.refunddesk.alipay;

import static cn.kameng.refunddesk.alipay.AlipayGatewayStub.QUERY;
import static cn.kameng.refunddesk.alipay.AlipayGatewayStub.REFUND;
import static cn.kameng.refunddesk.alipay.AlipayGatewayStub.success;
import static cn.kameng.refunddesk.support.TestDisputes.MERCHANT1;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

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
 * The service restarts between sending an Alipay refund (taken, fund_change=N: not yet refunded) and
 * Alipay's trade notice: the new instance (new engine, same H2 file) verifies the notice and moves the
 * dispute on; Alipay saw one refund request.
 */
class AlipayRestartTest {

    private static final long ORDER_FEN = 6800;
    private static final AlipayGatewayStub alipay = new AlipayGatewayStub();

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
        alipay.close();
    }

    @Test
    void aNoticeArrivingAfterARestartSettlesTheRefundSentBeforeIt() throws Exception {
        context = start();
        TestDisputes given = context.getBean(TestDisputes.class);
        String orderId = given.order(ORDER_FEN, PaymentChannel.ALIPAY, ProductCategory.CARD_KEY, 1, "SUCCEED");
        String id = given.open(orderId, Reason.INVALID_CARD_KEY).id();
        context.getBean(DisputeService.class).merchantResponse(MERCHANT1, id,
                new MerchantAnswer(MerchantDecision.ACCEPT, null, "同意退款", null));
        String key = id + "-R1";
        alipay.answers(REFUND, success("trade_no", "T-RESTART", "fund_change", "N", "refund_fee", "0.00"));
        alipay.answers(QUERY, success("trade_no", "T-RESTART"));
        ManagementService management = context.getBean(ManagementService.class);
        management.executeJob(management.createJobQuery().processInstanceId(given.instance(id).getId())
                .activityId(Element.SERVICE_TASK_REQUEST_REFUND).singleResult().getId());
        assertThat(context.getBean(RefundRecords.class).of(id)).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(RefundState.PROCESSING));

        context.close();
        context = start();

        HttpResponse<String> answer = post(notice(orderId, key, "68.00"));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("success");

        TestDisputes after = context.getBean(TestDisputes.class);
        assertThat(after.get(id).status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);
        assertThat(context.getBean(RefundRecords.class).of(id)).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(RefundState.SUCCEEDED);
            assertThat(r.settledAmountFen()).isEqualTo(ORDER_FEN);
        });
        assertThat(alipay.count(REFUND)).isEqualTo(1);
    }

    private ConfigurableApplicationContext start() {
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=jdbc:h2:file:" + directory.resolve("refund-desk") + ";DB_CLOSE_ON_EXIT=FALSE",
                "--camunda.bpm.job-execution.enabled=false",
                "--dispute.sandbox.gateway.auto-settle=false",
                "--dispute.notifications.relay-interval=PT1H",
                "--dispute.evidence.directory=" + directory.resolve("evidence"),
                "--server.port=0",
                "--payment.alipay.enabled=true",
                "--payment.alipay.app-id=2021000000000001",
                "--payment.alipay.read-timeout=PT3S",
                "--payment.channels.ALIPAY=alipay",
                "--payment.alipay.gateway-url=" + alipay.server.baseUrl() + "/gateway.do",
                "--payment.alipay.private-key=" + Base64.getEncoder().encodeToString(alipay.appKeys.getPrivate().getEncoded()),
                "--payment.alipay.alipay-public-key="
                        + Base64.getEncoder().encodeToString(alipay.alipayKeys.getPublic().getEncoded())));
        return new SpringApplicationBuilder(RefundDeskApplication.class).run(args.toArray(String[]::new));
    }

    /** Alipay's trade notice that the refund of {@code key} went through. */
    private static Map<String, String> notice(String orderId, String key, String refundYuan) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("notify_type", "trade_status_sync");
        params.put("notify_id", "N-" + key);
        params.put("app_id", "2021000000000001");
        params.put("trade_no", "T-RESTART");
        params.put("out_trade_no", orderId);
        params.put("out_biz_no", key);
        params.put("trade_status", "TRADE_SUCCESS");
        params.put("refund_fee", refundYuan);
        params.put("gmt_refund", "2026-11-30 12:00:00.000");
        return params;
    }

    private HttpResponse<String> post(Map<String, String> params) throws Exception {
        String port = context.getEnvironment().getProperty("local.server.port");
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/api/v1/payment-notifications/alipay"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(alipay.notification(params, alipay.alipayKeys.getPrivate())))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
