package cn.kameng.refunddesk.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;
import cn.kameng.refunddesk.refund.RefundRecords;
import cn.kameng.refunddesk.refund.RefundState;
import cn.kameng.refunddesk.support.RestartableService;
import cn.kameng.refunddesk.wechatpay.WechatPayStub.Notice;

/**
 * The service restarts between sending a WeChat Pay refund and WeChat Pay's notification: the new
 * instance (new engine, same H2 file) verifies and decrypts the notification and moves the dispute on;
 * WeChat Pay saw one refund request.
 */
class WechatPayRestartTest {

    private static final long ORDER_FEN = 6800;
    private static final WechatPayStub wechat = new WechatPayStub();

    @RegisterExtension
    final RestartableService service = new RestartableService(wechat.properties());

    @AfterAll
    static void stop() {
        wechat.close();
    }

    @Test
    void aNotificationArrivingAfterARestartSettlesTheRefundSentBeforeIt() throws Exception {
        service.start();
        String orderId = service.given().order(ORDER_FEN, PaymentChannel.WECHAT_PAY, ProductCategory.CARD_KEY, 1, "SUCCEED");
        String id = service.given().acceptedDispute(orderId);
        String key = service.given().refundKey(id);
        wechat.refundAnswers(key, "PROCESSING", ORDER_FEN, ORDER_FEN);
        service.sendRefund(id);

        service.restart();

        Notice notice = wechat.notice(key, orderId, "SUCCESS", ORDER_FEN, ORDER_FEN, wechat.platformKeys.getPrivate());
        HttpResponse<String> answer = service.given().postNotification("wechatpay", "application/json", notice.body(), notice.headers());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);

        assertThat(service.given().get(id).status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);
        assertThat(service.bean(RefundRecords.class).of(id)).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(RefundState.SUCCEEDED);
            assertThat(r.settledAmountFen()).isEqualTo(ORDER_FEN);
        });
        assertThat(wechat.refundRequests()).hasSize(1);
    }
}
