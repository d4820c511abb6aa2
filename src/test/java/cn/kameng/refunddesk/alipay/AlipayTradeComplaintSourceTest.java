package cn.kameng.refunddesk.alipay;

import static cn.kameng.refunddesk.alipay.AlipayGatewayStub.error;
import static cn.kameng.refunddesk.alipay.AlipayGatewayStub.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import cn.kameng.refunddesk.calendar.Deadlines.CountedOn;
import cn.kameng.refunddesk.calendar.WorkingDays;
import cn.kameng.refunddesk.complaint.ChannelUnavailableException;
import cn.kameng.refunddesk.complaint.ComplaintSource.AnswerImage;
import cn.kameng.refunddesk.complaint.ComplaintSource.AnswerKind;
import cn.kameng.refunddesk.complaint.ComplaintSource.ChannelComplaint;
import cn.kameng.refunddesk.complaint.ComplaintSource.ChannelState;
import cn.kameng.refunddesk.complaint.ComplaintSource.Complete;
import cn.kameng.refunddesk.complaint.ComplaintSource.Delivery;
import cn.kameng.refunddesk.complaint.ComplaintSource.Image;
import cn.kameng.refunddesk.complaint.ComplaintSource.ImageRef;
import cn.kameng.refunddesk.complaint.ComplaintSource.Notice;
import cn.kameng.refunddesk.complaint.ComplaintSource.Page;
import cn.kameng.refunddesk.complaint.ComplaintSource.Party;
import cn.kameng.refunddesk.complaint.ComplaintSource.Reply;
import cn.kameng.refunddesk.complaint.ComplaintSource.Resolution;
import cn.kameng.refunddesk.complaint.ComplaintSource.Sent;
import cn.kameng.refunddesk.complaint.ComplaintSource.Window;
import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.DomainException.NotAuthentic;

/**
 * Alipay 交易投诉 through the real SDK against WireMock playing Alipay's gateway: one URL, form-encoded
 * {@code method=} calls, answers in their {@code alipay_merchant_tradecomplain_*_response} envelopes signed with
 * a key made for the test. No Spring context: the adapter is built as Spring would build it.
 */
class AlipayTradeComplaintSourceTest {

    private static final String BATCH = "alipay.merchant.tradecomplain.batchquery";
    private static final String QUERY = "alipay.merchant.tradecomplain.query";
    private static final String REPLY = "alipay.merchant.tradecomplain.reply.submit";
    private static final String SUPPLEMENT = "alipay.merchant.tradecomplain.supplement.submit";
    private static final String FEEDBACK = "alipay.merchant.tradecomplain.feedback.submit";
    private static final String IMAGE_UPLOAD = "alipay.merchant.image.upload";
    private static final String ID = "2026120310002001000123";

    @RegisterExtension
    static final AlipayGatewayStub alipay = new AlipayGatewayStub();
    final AlipayTradeComplaintSource source = new AlipayTradeComplaintSource(
            alipay.complaintProperties(Duration.ofSeconds(5)), WorkingDays.builtIn(), new ObjectMapper());

    // ---- in -----------------------------------------------------------------------------------------

    @Test
    void theListIsReadPageByPageOverTheWindowInBeijingTime() {
        Window window = new Window(Instant.parse("2026-11-30T16:00:00Z"), Instant.parse("2026-12-03T16:00:00Z"));
        alipay.answers(BATCH, success("page_num", 1, "page_size", 20, "total_num", 21, "total_page_num", 2,
                "trade_complain_infos", List.of(listed(ID, "MERCHANT_PROCESSING"), listed("2026120310002001000124", "FINISHED"))));

        Page first = source.list(window, null);

        assertThat(alipay.calls(BATCH)).singleElement().satisfies(call -> assertThat(call)
                .containsEntry("begin_time", "2026-12-01 00:00:00").containsEntry("end_time", "2026-12-04 00:00:00")
                .containsEntry("page_num", 1).containsEntry("page_size", 20));
        assertThat(first.complaints()).extracting(l -> l.externalId(), l -> l.state(), l -> l.channelStatus())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ID, ChannelState.PENDING, "MERCHANT_PROCESSING"),
                        org.assertj.core.groups.Tuple.tuple("2026120310002001000124", ChannelState.CLOSED, "FINISHED"));
        assertThat(first.complaints().get(0).complainedAt()).isEqualTo(Instant.parse("2026-12-03T02:00:00Z"));
        assertThat(first.nextPageToken()).isEqualTo("2");

        alipay.answers(BATCH, success("page_num", 2, "page_size", 20, "total_num", 21, "total_page_num", 2,
                "trade_complain_infos", List.of(listed("2026120310002001000125", "PLATFORM_PROCESSING"))));
        Page last = source.list(window, first.nextPageToken());

        assertThat(alipay.calls(BATCH).get(1)).containsEntry("page_num", 2);
        assertThat(last.complaints()).singleElement().satisfies(l -> assertThat(l.state()).isEqualTo(ChannelState.IN_PROGRESS));
        assertThat(last.nextPageToken()).as("the last page").isNull();
    }

    @Test
    void theDetailGivesOurOrderTheBuyersWordsImagesTheNegotiationOldestFirstAndTheFeedbackDeadline() {
        String image = alipay.url("/afts/img/A1.png");
        alipay.answers(QUERY, detail("MERCHANT_PROCESSING", List.of(
                reply("MERCHANT", "您好，已收到，正在核实。", "2026-12-03 11:00:00"),
                reply("USER", "卡密显示已被使用，请退款", "2026-12-03 10:30:00"))));

        ChannelComplaint c = source.fetch(ID);

        assertThat(alipay.calls(QUERY)).singleElement().satisfies(call -> assertThat(call).containsEntry("complain_event_id", ID));
        assertThat(c.externalId()).isEqualTo(ID);
        assertThat(c.orderId()).as("merchant_order_no is our order").isEqualTo("ORD-20261203-0001");
        assertThat(c.channelTradeId()).isEqualTo("2026120322001400001");
        assertThat(c.problemType()).isEqualTo("商品无法使用");
        assertThat(c.buyerWords()).isEqualTo("充值卡密无效");
        assertThat(c.amountFen()).isEqualTo(6800L);
        assertThat(c.refundRequested()).as("the buyer's demand is 退款").isTrue();
        assertThat(c.state()).isEqualTo(ChannelState.PENDING);
        assertThat(c.images()).containsExactly(new ImageRef(image, null, Party.BUYER));
        assertThat(c.history()).extracting(h -> h.by(), h -> h.text()).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Party.BUYER, "卡密显示已被使用，请退款"),
                org.assertj.core.groups.Tuple.tuple(Party.MERCHANT, "您好，已收到，正在核实。"));
        assertThat(c.deadlines().replyDue()).isNull();
        assertThat(c.deadlines().completeDue().dueAt()).as("gmt_create 10:00 Beijing + PT48H")
                .isEqualTo(Instant.parse("2026-12-05T02:00:00Z"));
        assertThat(c.deadlines().completeDue().countedOn()).isEqualTo(CountedOn.CALENDAR_TIME);
    }

    @Test
    void aBuyersImageIsDownloadedFromTheAddressTheDetailGave() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
        String url = alipay.serves("/afts/img/A1.png", png, "image/png");

        Image image = source.download(new ImageRef(url, null, Party.BUYER));

        assertThat(image.bytes()).isEqualTo(png);
        assertThat(image.contentType()).isEqualTo("image/png");
        assertThat(image.fileName()).isEqualTo("A1.png");
    }

    @Test
    void aPictureSignedAnewOnEachReadKeepsOneKeyAndIsDownloadedByItsFreshAddress() {
        String first = alipay.signed("/afts/file/A*pic.png", 1_764_730_000L);
        String second = alipay.signed("/afts/file/A*pic.png", 1_764_733_600L);
        alipay.answers(QUERY, success("complain_event_id", ID, "status", "MERCHANT_PROCESSING", "images", List.of(first)));
        ImageRef before = source.fetch(ID).images().get(0);
        alipay.answers(QUERY, success("complain_event_id", ID, "status", "MERCHANT_PROCESSING", "images", List.of(second)));
        ImageRef after = source.fetch(ID).images().get(0);

        assertThat(before.reference()).isEqualTo(first);
        assertThat(after.reference()).as("downloaded where Alipay says now").isEqualTo(second);
        assertThat(after.key()).as("one picture, one key").isEqualTo(before.key())
                .isEqualTo(alipay.url("/afts/file/A*pic.png"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "https://mdn.alipayobjects.com/afts/file/A*x?Expires=1764730000&OSSAccessKeyId=LTAI&Signature=a%2Fb | https://mdn.alipayobjects.com/afts/file/A*x",
            "https://zos.alipayobjects.com/f/1.jpg?x-oss-process=image/resize,w_800&x-oss-signature=abc&x-oss-expires=60 | https://zos.alipayobjects.com/f/1.jpg?x-oss-process=image/resize,w_800",
            "https://dl.alipay.com/download?fileId=F1&token=t1&timestamp=1764730000 | https://dl.alipay.com/download?fileId=F1",
            "HTTPS://MDN.alipayobjects.com/afts/file/A*x | https://mdn.alipayobjects.com/afts/file/A*x",
            "not a url at all | not a url at all"})
    void anImagesKeyIsItsAddressWithoutSignatureExpiryOrToken(String url, String key) {
        assertThat(AlipayComplaintFamily.imageKey(url)).isEqualTo(key);
    }

    @Test
    void anExpiredImageAddressIsRetriedWithTheNextDetailNotLost() {
        ImageRef expired = new ImageRef(alipay.url("/afts/img/gone.png?t=expired"), null, Party.BUYER);

        assertThatThrownBy(() -> source.download(expired)).as("WireMock answers 404 for an address it does not serve")
                .isInstanceOf(ChannelUnavailableException.class).hasMessageContaining("HTTP 404")
                .hasMessageContaining("may have expired");
    }

    // ---- out ----------------------------------------------------------------------------------------

    @Test
    void aReplyUploadsItsImageFirstAndIsSentWithTheImageId() {
        alipay.answers(QUERY, detail("MERCHANT_PROCESSING", List.of()));
        alipay.answers(IMAGE_UPLOAD, success("image_id", "img-9001"));
        alipay.answers(REPLY, success());
        byte[] png = "png-bytes".getBytes(StandardCharsets.UTF_8);

        Sent sent = source.send(new Reply("ans-1", ID, "已为您补发新卡密，请查收。",
                List.of(new AnswerImage("EV-1", "delivery.png", "image/png", png))));

        assertThat(sent.delivery()).isEqualTo(Delivery.ACCEPTED);
        assertThat(alipay.uploads(IMAGE_UPLOAD)).singleElement().satisfies(u -> {
            assertThat(u.fields()).containsEntry("image_type", "png");
            assertThat(u.files()).containsKey("image_content");
            assertThat(u.files().get("image_content")).isEqualTo(png);
        });
        assertThat(alipay.calls(REPLY)).singleElement().satisfies(call -> assertThat(call)
                .containsEntry("complain_event_id", ID).containsEntry("reply_content", "已为您补发新卡密，请查收。")
                .containsEntry("reply_images", "img-9001"));
        assertThat(alipay.count(SUPPLEMENT)).isZero();
    }

    @Test
    void whileAlipaysCustomerServiceHandlesTheComplaintAReplyGoesToItAsASupplement() {
        alipay.answers(QUERY, detail("PLATFORM_PROCESSING", List.of()));
        alipay.answers(SUPPLEMENT, success());

        Sent sent = source.send(new Reply("ans-2", ID, "附上发货记录。", List.of()));

        assertThat(sent.delivery()).isEqualTo(Delivery.ACCEPTED);
        assertThat(alipay.calls(SUPPLEMENT)).singleElement().satisfies(call -> assertThat(call)
                .containsEntry("complain_event_id", ID).containsEntry("supplement_content", "附上发货记录。"));
        assertThat(alipay.count(REPLY)).isZero();
    }

    @Test
    void aReplyAlreadyInTheNegotiationIsNotSentTwice() {
        alipay.answers(QUERY, detail("MERCHANT_FEEDBACKED", List.of(reply("MERCHANT", "已为您退款。", "2026-12-03 12:00:00"))));
        alipay.answers(REPLY, success());

        Sent sent = source.send(new Reply("ans-3", ID, "已为您退款。", List.of()));

        assertThat(sent.delivery()).isEqualTo(Delivery.ALREADY_DONE);
        assertThat(alipay.count(REPLY)).as("a crash after sending, sent again: Alipay sees it once").isZero();
    }

    @ParameterizedTest(name = "{0} is feedback code {1}")
    @CsvSource({"REFUNDED, 02", "REPLACED, 05", "REJECTED, 06"})
    void theFinalFeedbackCarriesTheFeedbackCodeOfTheSettlement(Resolution resolution, String code) {
        alipay.answers(QUERY, detail("MERCHANT_PROCESSING", List.of()));
        alipay.answers(FEEDBACK, success());

        Sent sent = source.send(new Complete("ans-4", ID, resolution, "处理结果说明", List.of()));

        assertThat(sent.delivery()).isEqualTo(Delivery.ACCEPTED);
        assertThat(alipay.forms(FEEDBACK)).singleElement().satisfies(form -> assertThat(form)
                .containsEntry("complain_event_id", ID).containsEntry("feedback_code", code)
                .containsEntry("feedback_content", "处理结果说明").doesNotContainKey("feedback_images"));
    }

    @Test
    void aRejectionsFeedbackCarriesTheMerchantsProofAsUploadedImageIdsWithinTheConservativeLimit() {
        alipay.answers(QUERY, detail("MERCHANT_PROCESSING", List.of()));
        alipay.answers(IMAGE_UPLOAD, success("image_id", "img-7001"));
        alipay.answers(FEEDBACK, success());
        byte[] gif = "gif-bytes".getBytes(StandardCharsets.UTF_8);

        Sent sent = source.send(new Complete("ans-6", ID, Resolution.REJECTED, "经平台核实，卡密已使用。",
                List.of(new AnswerImage("EVD-1", "兑换记录.gif", "image/gif", gif),
                        new AnswerImage("EVD-2", "聊天记录.png", "image/png", gif))));

        assertThat(sent.delivery()).isEqualTo(Delivery.ACCEPTED);
        assertThat(alipay.uploads(IMAGE_UPLOAD)).hasSize(2).first()
                .satisfies(u -> assertThat(u.fields()).containsEntry("image_type", "gif"));
        assertThat(alipay.forms(FEEDBACK)).singleElement().satisfies(form -> assertThat(form)
                .containsEntry("feedback_code", "06").containsEntry("feedback_images", "img-7001,img-7001"));
        assertThat(source.maxAnswerImages(AnswerKind.COMPLETE)).as("no confirmed maximum: 3 (ADR 0071)").isEqualTo(3);
        assertThat(source.maxAnswerImages(AnswerKind.REFUND_REJECTED)).as("Alipay takes no refund rejection").isZero();
        assertThat(source.answerImageTypes()).contains("image/gif", "image/bmp");
    }

    @Test
    void feedbackLongerThanAlipaysTwoHundredCharactersIsCutNotRefused() {
        alipay.answers(QUERY, detail("MERCHANT_PROCESSING", List.of()));
        alipay.answers(FEEDBACK, success());

        source.send(new Complete("ans-5", ID, Resolution.REJECTED, "理".repeat(250), List.of()));

        String sent = alipay.forms(FEEDBACK).get(0).get("feedback_content");
        assertThat(sent.codePointCount(0, sent.length())).isEqualTo(200);
        assertThat(sent).endsWith("…");
    }

    @Test
    void feedbackAlipayAlreadyHasIsNotSentAgain() {
        alipay.answers(QUERY, detail("MERCHANT_FEEDBACKED", List.of()));
        alipay.answers(FEEDBACK, success());

        Sent sent = source.send(new Complete("ans-6", ID, Resolution.REFUNDED, "已退款", List.of()));

        assertThat(sent.delivery()).isEqualTo(Delivery.ALREADY_DONE);
        assertThat(alipay.count(FEEDBACK)).isZero();
    }

    @Test
    void aBusinessRefusalIsAFinalRefusalThatNamesAlipaysSubCode() {
        alipay.answers(QUERY, detail("MERCHANT_PROCESSING", List.of()));
        alipay.answers(FEEDBACK, error("40004", "COMPLAIN_STATUS_INVALID", "投诉单状态不允许反馈"));

        Sent sent = source.send(new Complete("ans-7", ID, Resolution.REFUNDED, "已退款", List.of()));

        assertThat(sent.delivery()).isEqualTo(Delivery.REFUSED);
        assertThat(sent.detail()).contains("COMPLAIN_STATUS_INVALID").contains("投诉单状态不允许反馈");
    }

    // ---- failures -----------------------------------------------------------------------------------

    @Test
    void aServerErrorIsRetryable() {
        alipay.fails(QUERY, 503);

        assertThatThrownBy(() -> source.fetch(ID)).isInstanceOf(ChannelUnavailableException.class)
                .hasMessageContaining("Alipay did not answer").hasMessageContaining("tried again later");
    }

    @Test
    void noAnswerWithinTheReadTimeoutIsRetryable() {
        alipay.answersTooLate(QUERY, detail("MERCHANT_PROCESSING", List.of()), Duration.ofMillis(2500));
        AlipayTradeComplaintSource impatient = new AlipayTradeComplaintSource(
                alipay.complaintProperties(Duration.ofSeconds(1)), WorkingDays.builtIn(), new ObjectMapper());

        assertThatThrownBy(() -> impatient.fetch(ID)).isInstanceOf(ChannelUnavailableException.class)
                .hasMessageContaining("timed out");
    }

    @Test
    void alipaysBusyAnswerIsRetryableButAPermissionRefusalIsNot() {
        alipay.answers(BATCH, error("20000", "isp.unknow-error", "系统繁忙"));
        Window window = new Window(Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-02T00:00:00Z"));
        assertThatThrownBy(() -> source.list(window, null)).isInstanceOf(ChannelUnavailableException.class);

        alipay.answers(BATCH, error("40006", "isv.insufficient-isv-permissions", "ISV权限不足"));
        assertThatThrownBy(() -> source.list(window, null)).isInstanceOf(AlipayComplaintCalls.AlipayRefusal.class)
                .isNotInstanceOf(ChannelUnavailableException.class)
                .hasMessageContaining("isv.insufficient-isv-permissions").hasMessageContaining("Not retried");
    }

    @Test
    void anAnswerNotSignedByAlipayIsNotTrusted() {
        alipay.answers(QUERY, detail("MERCHANT_PROCESSING", List.of()));
        AlipayTradeComplaintSource misconfigured = new AlipayTradeComplaintSource(withAlipayKeyOf(alipay.forgerKeys),
                WorkingDays.builtIn(), new ObjectMapper());

        assertThatThrownBy(() -> misconfigured.fetch(ID)).isInstanceOf(ChannelUnavailableException.class);
    }

    // ---- notifications ------------------------------------------------------------------------------

    @Test
    void alipaysChangedMessageNamesTheComplaint() {
        Notice notice = source.parseNotification(Map.of(), message(AlipayTradeComplaintSource.CHANGED,
                "{\"complain_event_id\":\"" + ID + "\",\"status\":\"MERCHANT_PROCESSING\"}",
                alipay.alipayKeys.getPrivate()));

        assertThat(notice.externalIds()).containsExactly(ID);
        assertThat(source.acknowledgement()).isEqualTo("success");
    }

    @Test
    void aForgedMessageIsRefusedAsNotAuthentic() {
        String forged = message(AlipayTradeComplaintSource.CHANGED, "{\"complain_event_id\":\"" + ID + "\"}",
                alipay.forgerKeys.getPrivate());

        assertThatThrownBy(() -> source.parseNotification(Map.of(), forged)).isInstanceOf(NotAuthentic.class)
                .hasMessageContaining("RSA2 signature does not verify");
        assertThatThrownBy(() -> source.parseNotification(Map.of(), "complain_event_id=" + ID))
                .as("unsigned").isInstanceOf(NotAuthentic.class);
    }

    @Test
    void anotherMessageOfTheApplicationIsNotTakenForAComplaint() {
        String riskgo = message(AlipayRiskGoComplaintSource.NOTIFY, "{\"complaint_id\":\"123\"}",
                alipay.alipayKeys.getPrivate());

        assertThatThrownBy(() -> source.parseNotification(Map.of(), riskgo)).isInstanceOf(BadInput.class)
                .hasMessageContaining("msg_method");
    }

    // ---- Alipay's shapes ----------------------------------------------------------------------------

    private static Map<String, Object> listed(String id, String status) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("complain_event_id", id);
        info.put("status", status);
        info.put("gmt_create", "2026-12-03 10:00:00");
        info.put("gmt_modified", "2026-12-03 10:05:00");
        info.put("merchant_order_no", "ORD-20261203-0001");
        info.put("trade_no", "2026120322001400001");
        info.put("target_type", "MINI_APP");
        info.put("a_field_alipay_added_later", "tolerated");
        return info;
    }

    private Map<String, Object> detail(String status, List<Map<String, Object>> replies) {
        return success("complain_event_id", ID, "status", status, "trade_no", "2026120322001400001",
                "merchant_order_no", "ORD-20261203-0001", "gmt_create", "2026-12-03 10:00:00",
                "gmt_modified", "2026-12-03 10:05:00", "leaf_category_name", "退款", "complain_reason", "商品无法使用",
                "content", "充值卡密无效", "images", List.of(alipay.url("/afts/img/A1.png")), "phone_no", "138****0000",
                "trade_amount", "68.00", "reply_detail_infos", replies, "complain_new_field", Map.of("x", 1));
    }

    private static Map<String, Object> reply(String role, String content, String at) {
        return Map.of("replier_name", role.equals("MERCHANT") ? "卡盟" : "买家", "replier_role", role, "content", content,
                "gmt_create", at);
    }

    /** A message as Alipay posts it to the application's gateway address. */
    static String message(String msgMethod, String bizContent, java.security.PrivateKey key) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("app_id", "2021000000000001");
        params.put("msg_method", msgMethod);
        params.put("notify_id", "2026120300222100001");
        params.put("utc_timestamp", "1764727200000");
        params.put("version", "1.1");
        params.put("charset", "UTF-8");
        params.put("biz_content", bizContent);
        return alipay.notification(params, key);
    }

    private static AlipayProperties withAlipayKeyOf(java.security.KeyPair keys) {
        AlipayProperties p = alipay.complaintProperties(Duration.ofSeconds(5));
        return new AlipayProperties(p.enabled(), p.appId(), p.privateKey(), null,
                cn.kameng.refunddesk.support.TestKeys.base64(keys.getPublic().getEncoded()), null, p.gatewayUrl(),
                p.connectTimeout(), p.readTimeout(), p.complaints());
    }
}
