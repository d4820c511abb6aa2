package cn.kameng.refunddesk.unionpay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;
import cn.kameng.refunddesk.refund.RefundRecords;
import cn.kameng.refunddesk.refund.RefundState;
import cn.kameng.refunddesk.support.RestartableService;

/**
 * The service restarts between UnionPay accepting a refund and UnionPay's result: the new instance
 * still knows which refund UnionPay's orderId is (stored, not in memory) and moves the dispute on.
 */
class UnionPayRestartTest {

    private static final long ORDER_FEN = 6800;
    private static final UnionPayStub unionpay = new UnionPayStub();

    @RegisterExtension
    final RestartableService service = new RestartableService(unionpay.properties());

    @AfterAll
    static void stop() {
        unionpay.close();
    }

    @Test
    void aResultArrivingAfterARestartSettlesTheRefundAcceptedBeforeIt() throws Exception {
        service.start();
        String orderId = service.given().order(ORDER_FEN, PaymentChannel.BANK_CARD, ProductCategory.CARD_KEY, 1, "SUCCEED");
        service.bean(JdbcClient.class).sql("update sandbox_order set payment_reference = ? where order_id = ?")
                .params("762511301000000000001", orderId).update();
        String id = service.given().acceptedDispute(orderId);
        String key = service.given().refundKey(id);
        String unionOrderId = key.replace("-", "");
        unionpay.refundAnswers(unionOrderId, "00", "成功[0000000]");
        service.sendRefund(id);

        service.restart();

        HttpResponse<String> answer = service.given().postNotification("unionpay", "application/x-www-form-urlencoded;charset=UTF-8",
                unionpay.notice(unionOrderId, "00", ORDER_FEN, unionpay.unionPayKeys.getPrivate()), Map.of());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);

        assertThat(service.given().get(id).status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);
        assertThat(service.bean(RefundRecords.class).of(id)).singleElement().satisfies(r -> {
            assertThat(r.idempotencyKey()).isEqualTo(key);
            assertThat(r.status()).isEqualTo(RefundState.SUCCEEDED);
            assertThat(r.settledAmountFen()).isEqualTo(ORDER_FEN);
        });
        assertThat(unionpay.refundRequests()).hasSize(1);
    }
}
