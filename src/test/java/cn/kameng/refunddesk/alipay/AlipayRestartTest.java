package cn.kameng.refunddesk.alipay;

import static cn.kameng.refunddesk.alipay.AlipayGatewayStub.QUERY;
import static cn.kameng.refunddesk.alipay.AlipayGatewayStub.REFUND;
import static cn.kameng.refunddesk.alipay.AlipayGatewayStub.success;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;
import cn.kameng.refunddesk.refund.RefundRecords;
import cn.kameng.refunddesk.refund.RefundState;
import cn.kameng.refunddesk.support.RestartableService;

/**
 * The service restarts between sending an Alipay refund (taken, fund_change=N: not yet refunded) and
 * Alipay's trade notice: the new instance (new engine, same H2 file) verifies the notice and moves the
 * dispute on; Alipay saw one refund request.
 */
class AlipayRestartTest {

    private static final long ORDER_FEN = 6800;
    private static final AlipayGatewayStub alipay = new AlipayGatewayStub();

    @RegisterExtension
    final RestartableService service = new RestartableService(Map.of(
            "payment.alipay.enabled", "true",
            "payment.alipay.app-id", "2021000000000001",
            "payment.alipay.read-timeout", "PT3S",
            "payment.channels.ALIPAY", "alipay",
            "payment.alipay.gateway-url", alipay.server.baseUrl() + "/gateway.do",
            "payment.alipay.private-key", Base64.getEncoder().encodeToString(alipay.appKeys.getPrivate().getEncoded()),
            "payment.alipay.alipay-public-key", Base64.getEncoder().encodeToString(alipay.alipayKeys.getPublic().getEncoded())));

    @AfterAll
    static void stop() {
        alipay.close();
    }

    @Test
    void aNoticeArrivingAfterARestartSettlesTheRefundSentBeforeIt() throws Exception {
        service.start();
        String orderId = service.given().order(ORDER_FEN, PaymentChannel.ALIPAY, ProductCategory.CARD_KEY, 1, "SUCCEED");
        String id = service.given().acceptedDispute(orderId);
        String key = service.given().refundKey(id);
        alipay.answers(REFUND, success("trade_no", "T-RESTART", "fund_change", "N", "refund_fee", "0.00"));
        alipay.answers(QUERY, success("trade_no", "T-RESTART"));
        service.sendRefund(id);

        service.restart();

        HttpResponse<String> answer = service.given().postNotification("alipay", "application/x-www-form-urlencoded; charset=utf-8",
                alipay.notification(notice(orderId, key, "68.00"), alipay.alipayKeys.getPrivate()), Map.of());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("success");

        assertThat(service.given().get(id).status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);
        assertThat(service.bean(RefundRecords.class).of(id)).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(RefundState.SUCCEEDED);
            assertThat(r.settledAmountFen()).isEqualTo(ORDER_FEN);
        });
        assertThat(alipay.count(REFUND)).isEqualTo(1);
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
}
