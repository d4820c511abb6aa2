package cn.kameng.refunddesk.wechatpay;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.kameng.refunddesk.calendar.Deadlines.CountedOn;
import cn.kameng.refunddesk.complaint.ChannelUnavailableException;
import cn.kameng.refunddesk.complaint.ComplaintSource.ChannelComplaint;
import cn.kameng.refunddesk.complaint.ComplaintSource.ChannelState;
import cn.kameng.refunddesk.complaint.ComplaintSource.Complete;
import cn.kameng.refunddesk.complaint.ComplaintSource.Delivery;
import cn.kameng.refunddesk.complaint.ComplaintSource.NoticeKind;
import cn.kameng.refunddesk.complaint.ComplaintSource.Page;
import cn.kameng.refunddesk.complaint.ComplaintSource.Party;
import cn.kameng.refunddesk.complaint.ComplaintSource.RefundApproved;
import cn.kameng.refunddesk.complaint.ComplaintSource.RefundRejected;
import cn.kameng.refunddesk.complaint.ComplaintSource.Reply;
import cn.kameng.refunddesk.complaint.ComplaintSource.Resolution;
import cn.kameng.refunddesk.complaint.ComplaintSource.Window;
import cn.kameng.refunddesk.dispute.DomainException.NotAuthentic;
import cn.kameng.refunddesk.support.EvidenceFiles;

/**
 * The WeChat Pay 消费者投诉2.0 adapter alone (no Spring) against WireMock answering as WeChat Pay does: signed
 * answers, encrypted notifications, the real paths and field names; what it reads, what it sends, and that it
 * never sends an answer WeChat Pay already has.
 */
class WechatPayComplaintSourceTest {

    private static final OffsetDateTime COMPLAINED = OffsetDateTime.of(2026, 11, 30, 9, 15, 0, 0, ZoneOffset.ofHours(8));
    static final WechatComplaintStub stub = new WechatComplaintStub();

    private WechatPayComplaintSource source;

    @BeforeEach
    void setUp() {
        stub.reset();
        source = source("https://refund-desk.example.cn/api/v1/channels/wechatpay-complaint-v2/complaint-notifications");
    }

    @AfterAll
    static void stop() {
        stub.close();
    }

    static WechatPayComplaintSource source(String notifyUrl) {
        Map<String, String> p = stub.properties();
        WechatPayProperties keys = new WechatPayProperties(false, p.get("payment.wechatpay.merchant-id"),
                p.get("payment.wechatpay.merchant-serial-number"), p.get("payment.wechatpay.private-key"), null,
                p.get("payment.wechatpay.api-v3-key"), p.get("payment.wechatpay.public-key-id"),
                p.get("payment.wechatpay.public-key"), null, null, p.get("payment.wechatpay.base-url"),
                Duration.ofSeconds(2), Duration.ofSeconds(3));
        return new WechatPayComplaintSource(keys, new WechatPayComplaintProperties(true, Duration.ofHours(24),
                Duration.ofHours(72), URI.create(notifyUrl), true, Duration.ofDays(29), 50));
    }

    @Test
    void aComplaintIsReadInOurTermsWithTheChannelsDeadlinesInCalendarHours() {
        stub.complaint("200201820261130080076610000", "ORD-1", 6800, "REFUND", COMPLAINED);
        stub.publish();

        ChannelComplaint c = source.fetch("200201820261130080076610000");

        assertThat(c.orderId()).isEqualTo("ORD-1");
        assertThat(c.problemType()).isEqualTo("REFUND");
        assertThat(c.amountFen()).isEqualTo(6800L);
        assertThat(c.refundRequested()).isTrue();
        assertThat(c.buyerWords()).contains("充值未到账").contains("卡密无法兑换");
        assertThat(c.state()).isEqualTo(ChannelState.PENDING);
        assertThat(c.complainedAt()).isEqualTo(COMPLAINED.toInstant());
        assertThat(c.deadlines().replyDue().dueAt()).isEqualTo(COMPLAINED.toInstant().plus(Duration.ofHours(24)));
        assertThat(c.deadlines().completeDue().dueAt()).isEqualTo(COMPLAINED.toInstant().plus(Duration.ofHours(72)));
        assertThat(c.deadlines().replyDue().countedOn()).isEqualTo(CountedOn.CALENDAR_TIME);
        assertThat(c.images()).singleElement().satisfies(i -> {
            assertThat(i.from()).isEqualTo(Party.BUYER);
            assertThat(i.reference()).endsWith("/v3/merchant-service/images/MEDIA-200201820261130080076610000");
        });
        assertThat(c.history()).singleElement().satisfies(h -> {
            assertThat(h.by()).isEqualTo(Party.BUYER);
            assertThat(h.channelAction()).isEqualTo("USER_CREATE_COMPLAINT");
        });
        assertThat(source.download(c.images().get(0)).bytes()).isEqualTo(EvidenceFiles.png());
    }

    @Test
    void theListIsReadInPagesOfFiftyWithTheWindowsBeijingDates() {
        for (int i = 0; i < 120; i++) {
            stub.complaint("2002018202611300800766" + String.format("%05d", i), "ORD-" + i, 100, "OTHERS", COMPLAINED);
        }
        stub.publish();
        Window window = new Window(Instant.parse("2026-11-01T16:00:00Z"), Instant.parse("2026-11-30T16:00:00Z"));

        Page first = source.list(window, null);
        Page second = source.list(window, first.nextPageToken());
        Page third = source.list(window, second.nextPageToken());

        assertThat(first.complaints()).hasSize(50);
        assertThat(second.complaints()).hasSize(50);
        assertThat(third.complaints()).hasSize(20);
        assertThat(third.nextPageToken()).isNull();
        assertThat(stub.lists()).hasSize(3).allSatisfy(r -> {
            assertThat(r.queryParameter("limit").firstValue()).isEqualTo("50");
            assertThat(r.queryParameter("begin_date").firstValue()).isEqualTo("2026-11-02");
            assertThat(r.queryParameter("end_date").firstValue()).isEqualTo("2026-11-30");
        });
        assertThat(stub.lists()).extracting(r -> r.queryParameter("offset").firstValue())
                .containsExactlyInAnyOrder("0", "50", "100");
    }

    @Test
    void aGenuineNotificationNamesItsComplaintAndForgedOrForeignOnesAreRefused() {
        var genuine = stub.notice("200201820261130080076610000", "CREATE_COMPLAINT");
        var notice = source.parseNotification(lower(genuine.headers()), genuine.body());
        assertThat(notice.externalIds()).containsExactly("200201820261130080076610000");
        assertThat(notice.kind()).isEqualTo(NoticeKind.CREATED);

        var forged = stub.notice("200201820261130080076610000", "CREATE_COMPLAINT", stub.wechat.forgerKeys.getPrivate(),
                stub.wechat.apiV3Key);
        assertThatThrownBy(() -> source.parseNotification(lower(forged.headers()), forged.body()))
                .isInstanceOf(NotAuthentic.class).hasMessageContaining("signature does not verify");

        var foreign = stub.notice("200201820261130080076610000", "CREATE_COMPLAINT",
                stub.wechat.platformKeys.getPrivate(), HexFormat.of().formatHex(WechatPayStub.bytes(16)));
        assertThatThrownBy(() -> source.parseNotification(lower(foreign.headers()), foreign.body()))
                .isInstanceOf(NotAuthentic.class).hasMessageContaining("does not decrypt");

        assertThatThrownBy(() -> source.parseNotification(Map.of(), genuine.body()))
                .isInstanceOf(NotAuthentic.class).hasMessageContaining("Wechatpay-Serial");
    }

    @Test
    void eachAnswerIsPostedInWechatPaysShape() {
        stub.complaint("C1", "ORD-1", 6800, "REFUND", COMPLAINED);
        stub.publish();

        assertThat(source.send(new Reply("k1", "C1", "您好，已核实，马上为您退款", List.of())).delivery())
                .isEqualTo(Delivery.ACCEPTED);
        assertThat(source.send(new RefundApproved("k2", "C1", LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")),
                "同意退款")).delivery()).isEqualTo(Delivery.ACCEPTED);
        assertThat(source.send(new Complete("k3", "C1", Resolution.REFUNDED, "已退款", List.of())).delivery())
                .isEqualTo(Delivery.ACCEPTED);

        assertThat(stub.answers("C1", "response")).containsExactly(Map.of("complainted_mchid",
                WechatPayStub.MERCHANT_ID, "response_content", "您好，已核实，马上为您退款"));
        assertThat(stub.answers("C1", "update-refund-progress")).containsExactly(Map.of("action", "APPROVE",
                "launch_refund_day", 0, "remark", "同意退款"));
        assertThat(stub.answers("C1", "complete")).containsExactly(Map.of("complainted_mchid", WechatPayStub.MERCHANT_ID));
    }

    @Test
    void aRejectedRefundSaysWhy() {
        stub.complaint("C2", "ORD-2", 6800, "REFUND", COMPLAINED);
        stub.publish();

        source.send(new RefundRejected("k", "C2", "卡密已于 11-29 兑换成功", List.of(), null));

        assertThat(stub.answers("C2", "update-refund-progress")).containsExactly(Map.of("action", "REJECT",
                "reject_reason", "卡密已于 11-29 兑换成功"));
    }

    @Test
    void anAnswerWechatPayAlreadyHasIsNotSentAgain() {
        stub.complaint("C3", "ORD-3", 6800, "REFUND", COMPLAINED);
        stub.histories.get("C3").add(Map.of("log_id", "2", "operator", "商户", "operate_time", "2026-11-30T10:00:00+08:00",
                "operate_type", "MERCHANT_RESPONSE", "operate_details", "已为您退款", "image_list", List.of()));
        stub.histories.get("C3").add(Map.of("log_id", "3", "operator", "商户", "operate_time", "2026-11-30T10:00:01+08:00",
                "operate_type", "MERCHANT_APPROVE_REFUND", "operate_details", "同意退款", "image_list", List.of()));
        stub.complaints.get("C3").put("complaint_state", "PROCESSED");
        stub.publish();

        assertThat(source.send(new Reply("k1", "C3", "已为您退款", List.of())).delivery()).isEqualTo(Delivery.ALREADY_DONE);
        assertThat(source.send(new RefundApproved("k2", "C3", null, null)).delivery()).isEqualTo(Delivery.ALREADY_DONE);
        assertThat(source.send(new Complete("k3", "C3", Resolution.REFUNDED, "x", List.of())).delivery())
                .isEqualTo(Delivery.ALREADY_DONE);
        assertThat(stub.answers("C3", "response")).isEmpty();
        assertThat(stub.answers("C3", "update-refund-progress")).isEmpty();
        assertThat(stub.answers("C3", "complete")).isEmpty();
    }

    @Test
    void aChannelThatIsDownIsRetryableAndABusinessRefusalIsNot() {
        stub.complaint("C4", "ORD-4", 6800, "OTHERS", COMPLAINED);
        stub.down(503);
        Window window = new Window(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-30T00:00:00Z"));
        assertThatThrownBy(() -> source.list(window, null)).isInstanceOf(ChannelUnavailableException.class)
                .hasMessageContaining("503");
        assertThatThrownBy(() -> source.fetch("C4")).isInstanceOf(ChannelUnavailableException.class);
        assertThatThrownBy(() -> source.send(new Complete("k", "C4", Resolution.REJECTED, "x", List.of())))
                .isInstanceOf(ChannelUnavailableException.class);

        stub.up();
        stub.wechat.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                urlPathEqualTo(WechatComplaintStub.BASE + "/C4/response")).willReturn(stub.wechat.signed(400,
                        Map.of("code", "PARAM_ERROR", "message", "回复内容不能包含联系方式"))));
        var sent = source.send(new Reply("k", "C4", "加我微信 abc", List.of()));
        assertThat(sent.delivery()).isEqualTo(Delivery.REFUSED);
        assertThat(sent.detail()).contains("PARAM_ERROR").contains("回复内容不能包含联系方式");
    }

    @Test
    void theNotificationUrlIsRegisteredWhenMissingAndCorrectedWhenOther() {
        source.registerNotificationUrl();
        stub.wechat.server.verify(postRequestedFor(urlPathEqualTo("/v3/merchant-service/complaint-notifications"))
                .withRequestBody(equalToJson("{\"url\":\"https://refund-desk.example.cn/api/v1/channels/"
                        + "wechatpay-complaint-v2/complaint-notifications\"}")));

        stub.wechat.server.stubFor(get(urlPathEqualTo("/v3/merchant-service/complaint-notifications"))
                .willReturn(stub.wechat.signed(200, Map.of("mchid", WechatPayStub.MERCHANT_ID, "url",
                        "https://old.example.cn/notify"))));
        source.registerNotificationUrl();
        stub.wechat.server.verify(1, putRequestedFor(urlPathEqualTo("/v3/merchant-service/complaint-notifications")));

        stub.wechat.server.stubFor(get(urlPathEqualTo("/v3/merchant-service/complaint-notifications"))
                .willReturn(stub.wechat.signed(200, Map.of("mchid", WechatPayStub.MERCHANT_ID, "url",
                        "https://refund-desk.example.cn/api/v1/channels/wechatpay-complaint-v2/complaint-notifications"))));
        source.registerNotificationUrl();
        stub.wechat.server.verify(1, putRequestedFor(urlPathEqualTo("/v3/merchant-service/complaint-notifications")));
        stub.wechat.server.verify(1, postRequestedFor(urlPathEqualTo("/v3/merchant-service/complaint-notifications")));
    }

    static Map<String, String> lower(Map<String, String> headers) {
        Map<String, String> lower = new TreeMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        return lower;
    }

}
