package cn.kameng.refunddesk.alipay;

import static cn.kameng.refunddesk.alipay.AlipayGatewayStub.error;
import static cn.kameng.refunddesk.alipay.AlipayGatewayStub.success;
import static cn.kameng.refunddesk.alipay.AlipayTradeComplaintSourceTest.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

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
import cn.kameng.refunddesk.complaint.ChannelUnavailableException;
import cn.kameng.refunddesk.complaint.ComplaintSource.AnswerImage;
import cn.kameng.refunddesk.complaint.ComplaintSource.AnswerKind;
import cn.kameng.refunddesk.complaint.ComplaintSource.ChannelComplaint;
import cn.kameng.refunddesk.complaint.ComplaintSource.ChannelState;
import cn.kameng.refunddesk.complaint.ComplaintSource.Complete;
import cn.kameng.refunddesk.complaint.ComplaintSource.Delivery;
import cn.kameng.refunddesk.complaint.ComplaintSource.Notice;
import cn.kameng.refunddesk.complaint.ComplaintSource.NoticeKind;
import cn.kameng.refunddesk.complaint.ComplaintSource.Page;
import cn.kameng.refunddesk.complaint.ComplaintSource.Party;
import cn.kameng.refunddesk.complaint.ComplaintSource.Reply;
import cn.kameng.refunddesk.complaint.ComplaintSource.Resolution;
import cn.kameng.refunddesk.complaint.ComplaintSource.Sent;
import cn.kameng.refunddesk.complaint.ComplaintSource.Window;
import cn.kameng.refunddesk.dispute.DomainException.NotAuthentic;
import cn.kameng.refunddesk.dispute.DomainException.NotFound;

/**
 * Alipay RiskGO 消费者投诉 through the real SDK against WireMock playing Alipay's gateway, answers signed with
 * a key made for the test. The complaint's key is Alipay's numeric {@code id}; {@code gmt_overdue} is the deadline.
 */
class AlipayRiskGoComplaintSourceTest {

    private static final String BATCH = AlipayRiskGoComplaintSource.BATCH_QUERY;
    private static final String QUERY = AlipayRiskGoComplaintSource.QUERY;
    private static final String FINISH = "alipay.security.risk.complaint.process.finish";
    private static final String UPLOAD = "alipay.security.risk.complaint.file.upload";
    private static final long ID = 13_008_123L;

    @RegisterExtension
    static final AlipayGatewayStub alipay = new AlipayGatewayStub();
    final AlipayRiskGoComplaintSource source = new AlipayRiskGoComplaintSource(
            alipay.complaintProperties(Duration.ofSeconds(5)), new ObjectMapper());

    @Test
    void theListIsReadPageByPageByComplaintTimeInBeijingTime() {
        Window window = new Window(Instant.parse("2026-11-30T16:00:00Z"), Instant.parse("2026-12-03T16:00:00Z"));
        alipay.answers(BATCH, success("current_page", 1, "page_size", 20, "total_size", 25,
                "complaint_list", List.of(info(ID, "WAIT_PROCESS"), info(ID + 1, "DROP_COMPLAIN"))));

        Page first = source.list(window, null);

        assertThat(alipay.calls(BATCH)).singleElement().satisfies(call -> assertThat(call)
                .containsEntry("gmt_complaint_start", "2026-12-01 00:00:00")
                .containsEntry("gmt_complaint_end", "2026-12-04 00:00:00")
                .containsEntry("current_page_num", 1).containsEntry("page_size", 20));
        assertThat(first.complaints()).extracting(l -> l.externalId(), l -> l.state())
                .containsExactly(tuple("13008123", ChannelState.PENDING), tuple("13008124", ChannelState.CLOSED));
        assertThat(first.complaints().get(0).complainedAt()).isEqualTo(Instant.parse("2026-12-03T02:00:00Z"));
        assertThat(first.nextPageToken()).as("25 complaints, 20 a page").isEqualTo("2");

        alipay.answers(BATCH, success("current_page", 2, "page_size", 20, "total_size", 25,
                "complaint_list", List.of(info(ID + 2, "PROCESSING"))));
        Page last = source.list(window, "2");

        assertThat(alipay.calls(BATCH).get(1)).containsEntry("current_page_num", 2);
        assertThat(last.complaints()).extracting(l -> l.state()).containsExactly(ChannelState.IN_PROGRESS);
        assertThat(last.nextPageToken()).isNull();
    }

    @Test
    void theDetailGivesOurOrderTheBuyersWordsAndImagesAndGmtOverdueAsTheDeadline() {
        Map<String, Object> detail = detail("WAIT_PROCESS");
        detail.put("problem_type", "REFUND");
        alipay.answers(QUERY, detail);

        ChannelComplaint c = source.fetch(Long.toString(ID));

        assertThat(alipay.calls(QUERY)).singleElement().satisfies(call ->
                assertThat(call).containsEntry("complain_id", "13008123"));
        assertThat(c.externalId()).isEqualTo("13008123");
        assertThat(c.orderId()).as("out_no of the complained trade is our order").isEqualTo("ORD-20261203-0002");
        assertThat(c.channelTradeId()).isEqualTo("2026120322001400002");
        assertThat(c.buyerWords()).isEqualTo("付款后没有收到卡密");
        assertThat(c.amountFen()).isEqualTo(3000L);
        assertThat(c.problemType()).as("read from the signed answer though this SDK's class lacks it").isEqualTo("REFUND");
        assertThat(c.refundRequested()).isTrue();
        assertThat(c.state()).isEqualTo(ChannelState.PENDING);
        assertThat(c.deadlines().replyDue()).isNull();
        assertThat(c.deadlines().completeDue().dueAt()).as("gmt_overdue 2026-12-06 10:00 Beijing")
                .isEqualTo(Instant.parse("2026-12-06T02:00:00Z"));
        assertThat(c.deadlines().completeDue().countedOn()).isEqualTo(CountedOn.CALENDAR_TIME);
        assertThat(c.images()).extracting(i -> i.reference(), i -> i.from())
                .containsExactly(tuple(alipay.url("/afts/img/B1.jpg"), Party.BUYER));
        assertThat(c.history()).extracting(h -> h.by(), h -> h.text())
                .containsExactly(tuple(Party.BUYER, "付款后没有收到卡密"));
    }

    @Test
    void aComplaintAlipayDoesNotHaveIsNotFound() {
        alipay.answers(QUERY, error("40004", "COMPLAINT_NOT_EXIST", "投诉单不存在"));

        assertThatThrownBy(() -> source.fetch("999")).isInstanceOf(NotFound.class).hasMessageContaining("COMPLAINT_NOT_EXIST");
    }

    @ParameterizedTest(name = "{0} is process code {1}")
    @CsvSource({"REFUNDED, REFUND", "REPLACED, RECTIFICATION_NO_REFUND", "REJECTED, SUBMIT_PROOF_NOT_CONTACTED"})
    void theHandlingIsFinishedWithTheProcessCodeOfTheSettlement(Resolution resolution, String code) {
        alipay.answers(QUERY, detail("WAIT_PROCESS"));
        alipay.answers(FINISH, success("complaint_process_success", true));

        Sent sent = source.send(new Complete("ans-1", Long.toString(ID), resolution, "已处理，详见备注", List.of()));

        assertThat(sent.delivery()).isEqualTo(Delivery.ACCEPTED);
        assertThat(alipay.calls(FINISH)).singleElement().satisfies(call -> assertThat(call)
                .containsEntry("id_list", List.of(13008123)).containsEntry("process_code", code)
                .containsEntry("remark", "已处理，详见备注").doesNotContainKey("img_file_list"));
    }

    @Test
    void imagesAreUploadedFirstAndSentAsFileUrlAndKey() {
        alipay.answers(QUERY, detail("WAIT_PROCESS"));
        alipay.answers(UPLOAD, success("file_key", "A*key1", "file_url", "https://mdn.alipayobjects.com/afts/file/A*key1",
                "file_name", "proof.jpg"));
        alipay.answers(FINISH, success("complaint_process_success", true));
        byte[] jpg = "jpeg-bytes".getBytes(StandardCharsets.UTF_8);

        Sent sent = source.send(new Complete("ans-2", Long.toString(ID), Resolution.REJECTED, "卡密已于下单后发出",
                List.of(new AnswerImage("EV-7", "proof.jpg", "image/jpeg", jpg))));

        assertThat(sent.delivery()).isEqualTo(Delivery.ACCEPTED);
        assertThat(alipay.uploads(UPLOAD)).singleElement().satisfies(u -> assertThat(u.files().get("file_content")).isEqualTo(jpg));
        assertThat(alipay.calls(FINISH)).singleElement().satisfies(call -> assertThat(call).containsEntry("img_file_list",
                List.of(Map.of("img_url", "https://mdn.alipayobjects.com/afts/file/A*key1", "img_url_key", "A*key1"))));
    }

    @Test
    void aHandlingAlipayAlreadyHasIsNotSentTwice() {
        Map<String, Object> processed = detail("PROCESSED");
        processed.put("process_code", "REFUND");
        processed.put("gmt_process", "2026-12-03 12:00:00");
        alipay.answers(QUERY, processed);

        Sent sent = source.send(new Complete("ans-3", Long.toString(ID), Resolution.REFUNDED, "已退款", List.of()));

        assertThat(sent.delivery()).isEqualTo(Delivery.ALREADY_DONE);
        assertThat(alipay.count(FINISH)).isZero();
    }

    @Test
    void aComplaintTheBuyerWithdrewIsNotAnswered() {
        alipay.answers(QUERY, detail("DROP_COMPLAIN"));

        Sent sent = source.send(new Complete("ans-4", Long.toString(ID), Resolution.REFUNDED, "已退款", List.of()));

        assertThat(sent.delivery()).isEqualTo(Delivery.REFUSED);
        assertThat(sent.detail()).contains("withdrew");
        assertThat(alipay.count(FINISH)).isZero();
    }

    @Test
    void riskGoTakesOnlyTheFinishedHandling() {
        assertThat(source.accepts()).containsExactly(AnswerKind.COMPLETE);
        assertThat(source.send(new Reply("ans-5", Long.toString(ID), "您好", List.of())).delivery()).isEqualTo(Delivery.REFUSED);
        assertThat(alipay.count(FINISH)).isZero();
    }

    @Test
    void aBusinessRefusalIsFinalAndAnUnfinishedProcessingIsRetried() {
        alipay.answers(QUERY, detail("WAIT_PROCESS"));
        alipay.answers(FINISH, error("40004", "PROCESS_CODE_INVALID", "处理结果码不合法"));
        Sent refused = source.send(new Complete("ans-6", Long.toString(ID), Resolution.REFUNDED, "已退款", List.of()));
        assertThat(refused.delivery()).isEqualTo(Delivery.REFUSED);
        assertThat(refused.detail()).contains("PROCESS_CODE_INVALID");

        alipay.answers(FINISH, success("complaint_process_success", false));
        assertThatThrownBy(() -> source.send(new Complete("ans-6", Long.toString(ID), Resolution.REFUNDED, "已退款",
                List.of()))).isInstanceOf(ChannelUnavailableException.class);
    }

    @Test
    void aServerErrorIsRetryable() {
        alipay.answers(QUERY, detail("WAIT_PROCESS"));
        alipay.fails(FINISH, 502);

        assertThatThrownBy(() -> source.send(new Complete("ans-7", Long.toString(ID), Resolution.REFUNDED, "已退款",
                List.of()))).isInstanceOf(ChannelUnavailableException.class);
    }

    @Test
    void alipaysNotifyMessageNamesTheComplaintAndAForgedOneIsRefused() {
        Notice notice = source.parseNotification(Map.of(), message(AlipayRiskGoComplaintSource.NOTIFY,
                "{\"complaint_id\":\"13008123\"}", alipay.alipayKeys.getPrivate()));
        assertThat(notice.externalIds()).containsExactly("13008123");
        assertThat(notice.kind()).isEqualTo(NoticeKind.CREATED);

        String forged = message(AlipayRiskGoComplaintSource.NOTIFY, "{\"complaint_id\":\"13008123\"}",
                alipay.forgerKeys.getPrivate());
        assertThatThrownBy(() -> source.parseNotification(Map.of(), forged)).isInstanceOf(NotAuthentic.class);
    }

    // ---- Alipay's shapes ----------------------------------------------------------------------------

    private static Map<String, Object> info(long id, String status) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("id", id);
        info.put("task_id", "RISK" + id);
        info.put("status", status);
        info.put("gmt_complain", "2026-12-03 10:00:00");
        info.put("gmt_overdue", "2026-12-06 10:00:00");
        info.put("complain_content", "付款后没有收到卡密");
        info.put("trade_no", "2026120322001400002");
        info.put("user_tag_list", "TRUSTED");
        return info;
    }

    private static Map<String, Object> detail(String status) {
        Map<String, Object> detail = success();
        detail.putAll(info(ID, status));
        detail.put("complain_amount", "30.00");
        detail.put("opposite_name", "卡盟");
        detail.put("certify_info", List.of(alipay.url("/afts/img/B1.jpg")));
        detail.put("complaint_trade_info_list", List.of(Map.of("trade_no", "2026120322001400002",
                "out_no", "ORD-20261203-0002", "amount", "30.00", "status", status,
                "gmt_trade", "2026-12-03 09:58:00")));
        return detail;
    }
}
