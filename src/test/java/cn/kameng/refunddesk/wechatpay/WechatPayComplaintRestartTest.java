package cn.kameng.refunddesk.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

import cn.kameng.refunddesk.complaint.ChannelAnswerRelay;
import cn.kameng.refunddesk.complaint.ChannelComplaintRecords;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;
import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.support.RestartableService;

/**
 * The service restarts between taking a WeChat Pay complaint in and answering it, and again between sending the
 * answer and marking it sent (as a crash would leave it): everything needed lives in the tables, and WeChat Pay
 * gets the reply once, because the adapter reads the negotiation history before it sends.
 */
class WechatPayComplaintRestartTest {

    private static final WechatComplaintStub wechat = new WechatComplaintStub();

    @RegisterExtension
    final RestartableService service = new RestartableService(properties());

    private static Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>(wechat.properties());
        p.put("dispute.channels.poll-enabled", "false");
        p.put("dispute.channels.answer-relay-interval", "PT1H");
        return p;
    }

    @AfterAll
    static void stop() {
        wechat.close();
    }

    @Test
    void aComplaintTakenBeforeARestartIsAnsweredAfterItOnce() throws Exception {
        wechat.reset();
        service.start();
        String orderId = service.given().order(6800, PaymentChannel.WECHAT_PAY, ProductCategory.CARD_KEY, 1, "SUCCEED");
        String id = "200201820261130080000000001";
        wechat.complaint(id, orderId, 6800, "OTHERS", OffsetDateTime.ofInstant(ClockUtil.getCurrentTime().toInstant(),
                ZoneOffset.ofHours(8)));
        wechat.publish();
        assertThat(push(id).statusCode()).isEqualTo(200);

        service.restart();

        var taken = service.bean(ChannelComplaintRecords.class).find(WechatPayComplaintSource.SOURCE, id).orElseThrow();
        String buyersImage = service.bean(ChannelComplaintRecords.class).imageEvidence(taken.id()).get(0);
        service.given().completeAs("complaints1", service.given().complaintTask(taken.complaintId()), Map.of(
                ProcessIds.Var.COMPLAINT_OUTCOME, "UPHOLD", ProcessIds.Var.COMPLAINT_RESPONSE, "卡密已补发，请查收",
                ProcessIds.Var.COMPLAINT_IMAGES, org.camunda.spin.plugin.variable.SpinValues
                        .jsonValue("[\"" + buyersImage + "\"]").create()));

        service.restart(); // between writing the answer and sending it: its image comes from the table

        service.bean(ChannelAnswerRelay.class).relay();
        assertThat(wechat.answers(id, "response")).singleElement().satisfies(b -> assertThat(b)
                .containsEntry("response_images", List.of("MEDIA-UP-1")));
        assertThat(wechat.uploads()).singleElement().satisfies(u -> assertThat(u.getPart("file").getBody().asBytes())
                .isEqualTo(cn.kameng.refunddesk.support.EvidenceFiles.png()));

        // WeChat Pay now shows the reply; the mark "sent" is lost, as if the node died right after the call
        wechat.histories.get(id).add(Map.of("log_id", "2", "operator", "商户", "operate_time",
                "2026-11-30T10:00:00+08:00", "operate_type", "MERCHANT_RESPONSE", "operate_details", "卡密已补发，请查收",
                "image_list", List.of()));
        wechat.publish();
        service.bean(JdbcClient.class).sql("update channel_answer set status = 'PENDING', sent_at = null "
                + "where channel_complaint_id = ?").param(taken.id()).update();
        service.restart();

        service.bean(ChannelAnswerRelay.class).relay();

        assertThat(wechat.answers(id, "response")).as("not sent twice").hasSize(1);
        assertThat(wechat.uploads()).as("nor its image uploaded again: the history is read first").hasSize(1);
        assertThat(service.bean(JdbcClient.class).sql("select status from channel_answer where channel_complaint_id = ?")
                .param(taken.id()).query(String.class).list()).containsExactly("SENT");
    }

    private HttpResponse<String> push(String id) throws Exception {
        WechatPayStub.Notice notice = wechat.notice(id, "CREATE_COMPLAINT");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:"
                + service.bean(Environment.class).getProperty("local.server.port")
                + "/api/v1/channels/wechatpay-complaint-v2/complaint-notifications"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(notice.body()));
        notice.headers().forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
