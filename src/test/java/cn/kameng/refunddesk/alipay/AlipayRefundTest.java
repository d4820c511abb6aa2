package cn.kameng.refunddesk.alipay;

import static cn.kameng.refunddesk.alipay.AlipayGatewayStub.QUERY;
import static cn.kameng.refunddesk.alipay.AlipayGatewayStub.REFUND;
import static cn.kameng.refunddesk.alipay.AlipayGatewayStub.error;
import static cn.kameng.refunddesk.alipay.AlipayGatewayStub.success;
import static cn.kameng.refunddesk.support.TestDisputes.BUYER1;
import static cn.kameng.refunddesk.support.TestDisputes.MERCHANT1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.Outcome;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.dispute.Timeline;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;
import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.process.ProcessIds.Element;
import cn.kameng.refunddesk.refund.Refund;
import cn.kameng.refunddesk.refund.RefundRecords;
import cn.kameng.refunddesk.refund.RefundState;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;
import cn.kameng.refunddesk.workflow.DisputeService;

/**
 * Refunds of Alipay orders through the real Alipay SDK, against WireMock answering as Alipay does and
 * signing with a key made for the test. Whatever Alipay answers, it sees at most one refund request per
 * key; only fund_change=Y or REFUND_SUCCESS counts as refunded; a notice not signed by Alipay is 401.
 */
class AlipayRefundTest extends AlipayServiceTest {

    private static final long ORDER_FEN = 6800;

    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired ManagementService management;
    @Autowired RuntimeService runtime;
    @Autowired RefundRecords refunds;
    @Autowired Timeline timeline;
    @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc;
    @Autowired org.springframework.context.ApplicationContext context;
    @LocalServerPort int port;

    @BeforeEach
    void setUp() {
        ClockUtil.setCurrentTime(new Date());
        alipay.reset();
    }

    @AfterEach
    void tearDown() {
        ClockUtil.reset();
    }

    @Test
    void aRefundAlipayConfirmsWithFundChangeIsDoneAndTheCustomerIsAskedToConfirmArrival() {
        Accepted a = accepted(ORDER_FEN);
        alipay.answers(REFUND, success("trade_no", "2026113022001400001", "out_trade_no", a.orderId(),
                "fund_change", "Y", "refund_fee", "68.00", "send_back_fee", "68.00", "has_deposit_back", "N"));

        given.runRefundJob(a.id());

        assertThat(alipay.calls(REFUND)).singleElement().satisfies(call -> {
            assertThat(call).containsEntry("out_trade_no", a.orderId()).containsEntry("out_request_no", a.key())
                    .containsEntry("refund_amount", "68.00");
        });
        assertThat(alipay.count(QUERY)).as("fund_change=Y is enough; nothing to ask").isZero();
        assertRefund(a, RefundState.SUCCEEDED, 6800L);
        assertThat(refunds.of(a.id()).get(0).gatewayReference()).isEqualTo("2026113022001400001");
        assertThat(given.get(a.id()).status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);

        disputes.arrivalConfirmation(BUYER1, a.id(), true, null);
        assertThat(given.get(a.id()).outcome()).isEqualTo(Outcome.REFUNDED);
        assertThat(alipay.count(REFUND)).isEqualTo(1);
    }

    @Test
    void codeTenThousandWithoutFundChangeIsNotARefundUntilTheQuerySaysRefundSuccess() throws Exception {
        Accepted a = accepted(ORDER_FEN);
        alipay.answers(REFUND, success("trade_no", "T1", "out_trade_no", a.orderId(), "fund_change", "N",
                "refund_fee", "0.00"));
        alipay.answers(QUERY, success("trade_no", "T1", "out_trade_no", a.orderId(), "out_request_no", a.key()));

        given.runRefundJob(a.id());

        assertThat(alipay.count(QUERY)).as("code=10000 alone: asked whether money moved").isEqualTo(1);
        assertRefund(a, RefundState.PROCESSING, null);
        assertThat(given.get(a.id()).status()).as("still waiting for the money").isEqualTo(DisputeStatus.REFUNDING);
        assertThat(Tokens.of(runtime, a)).containsExactly(Element.EVENT_GATEWAY_REFUND_SETTLEMENT);

        // Alipay's notice that the refund went through: the dispute moves on, once.
        HttpResponse<String> notice = post(tradeRefundNotice(a, "68.00"), alipay.alipayKeys.getPrivate());
        assertThat(notice.statusCode()).as(notice.body()).isEqualTo(200);
        assertThat(notice.body()).as("what Alipay waits for, or it notifies again").isEqualTo("success");
        assertRefund(a, RefundState.SUCCEEDED, 6800L);
        assertThat(given.get(a.id()).status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);

        // The same notice again (Alipay repeats until it hears "success"): nothing changes.
        Refund before = refunds.of(a.id()).get(0);
        int entries = timeline.of(a.id()).size();
        Dispute waiting = given.get(a.id());
        HttpResponse<String> again = post(tradeRefundNotice(a, "68.00"), alipay.alipayKeys.getPrivate());
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo("success");
        assertThat(refunds.of(a.id())).containsExactly(before);
        assertThat(timeline.of(a.id())).hasSize(entries);
        assertThat(given.get(a.id())).isEqualTo(waiting);
        assertThat(alipay.count(REFUND)).isEqualTo(1);
    }

    @Test
    void aPartialOfferTheCustomerAcceptedRefundsOnlyThatAmount() {
        String orderId = given.order(ORDER_FEN, PaymentChannel.ALIPAY, ProductCategory.CARD_KEY, 1, "SUCCEED");
        String id = given.open(orderId, Reason.NOT_AS_DESCRIBED).id();
        disputes.merchantResponse(MERCHANT1, id, new MerchantAnswer(MerchantDecision.ACCEPT, 3000L, "部分退款", null));
        disputes.offerResponse(BUYER1, id, true);
        Accepted a = new Accepted(id, orderId, given.refundKey(id));
        alipay.answers(REFUND, success("trade_no", "T2", "out_trade_no", orderId, "fund_change", "Y",
                "refund_fee", "30.00", "send_back_fee", "30.00"));

        given.runRefundJob(a.id());

        assertThat(alipay.calls(REFUND)).singleElement()
                .satisfies(call -> assertThat(call).containsEntry("refund_amount", "30.00"));
        assertRefund(a, RefundState.SUCCEEDED, 3000L);
        disputes.arrivalConfirmation(BUYER1, id, true, null);
        assertThat(given.get(id).outcome()).isEqualTo(Outcome.PARTIALLY_REFUNDED);
    }

    @Test
    void aTimeoutIsFollowedByAQueryNotASecondRefundRequest() {
        Accepted a = accepted(ORDER_FEN);
        alipay.answersTooLate(REFUND, success("trade_no", "T3", "fund_change", "Y", "refund_fee", "68.00"),
                Duration.ofSeconds(6));
        Job job = given.refundJob(a.id());

        assertThatThrownBy(() -> management.executeJob(job.getId()))
                .hasMessageContaining("Alipay did not answer the refund request for refund " + a.key())
                .hasMessageContaining("Whether money moved is unknown");
        assertRefund(a, RefundState.REQUESTED, null);
        assertThat(refunds.attempts(a.key())).isEqualTo(1);

        // Alipay did take it: the retry asks first and finds it done.
        alipay.answers(QUERY, success("trade_no", "T3", "out_trade_no", a.orderId(), "out_request_no", a.key(),
                "refund_status", "REFUND_SUCCESS", "refund_amount", "68.00", "total_amount", "68.00"));
        given.moveClock(Duration.ofMinutes(1).plusSeconds(1));
        management.executeJob(job.getId());

        assertThat(alipay.count(REFUND)).as("Alipay saw one refund request for the key").isEqualTo(1);
        assertThat(alipay.calls(QUERY)).singleElement()
                .satisfies(call -> assertThat(call).containsEntry("out_request_no", a.key()));
        assertRefund(a, RefundState.SUCCEEDED, 6800L);
        assertThat(given.get(a.id()).status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);
    }

    @Test
    void aServerErrorStormEndsInAnIncidentThatTellsOpsWhatToDoAndOneRefundRequestAtMost() {
        Accepted a = accepted(ORDER_FEN);
        alipay.fails(REFUND, 503);
        alipay.fails(QUERY, 503);
        Job job = given.refundJob(a.id());

        TestDisputes.RetriesExhausted retries = given.runRefundJobUntilIncident(a.id(), "Alipay did not answer");

        assertThat(retries.attempts()).as("R5: five attempts").isEqualTo(5);
        Incident incident = retries.incident();
        assertThat(incident.getActivityId()).isEqualTo(Element.SERVICE_TASK_REQUEST_REFUND);
        assertThat(incident.getIncidentMessage())
                .contains("Alipay did not answer")
                .contains("Whether money moved is unknown")
                .contains("Retry the job in Cockpit");
        assertThat(alipay.count(REFUND)).as("one refund request; every retry asked first").isEqualTo(1);
        assertThat(alipay.count(QUERY)).isEqualTo(4);
        assertRefund(a, RefundState.REQUESTED, null);
        assertThat(given.get(a.id()).status()).isEqualTo(DisputeStatus.REFUNDING);

        // Alipay is back and never got the refund: ops retry in Cockpit, the same key is sent once more.
        alipay.reset();
        alipay.answers(QUERY, error("40004", "ACQ.TRADE_NOT_EXIST", "交易不存在"));
        alipay.answers(REFUND, success("trade_no", "T4", "fund_change", "Y", "refund_fee", "68.00"));
        management.setJobRetries(job.getId(), 1);
        management.executeJob(job.getId());
        assertThat(alipay.calls(REFUND)).singleElement()
                .satisfies(call -> assertThat(call).containsEntry("out_request_no", a.key()));
        assertRefund(a, RefundState.SUCCEEDED, 6800L);
        assertThat(runtime.createIncidentQuery().processInstanceId(given.instance(a.id()).getId()).count()).isZero();
    }

    @Test
    void aRefusalByAlipayMovesNoMoneyAndGoesToFinance() {
        Accepted a = accepted(ORDER_FEN);
        alipay.answers(REFUND, error("40004", "ACQ.SELLER_BALANCE_NOT_ENOUGH", "卖家余额不足"));

        given.runRefundJob(a.id());

        assertRefund(a, RefundState.FAILED, null);
        assertThat(refunds.of(a.id()).get(0).failureReason()).contains("ACQ.SELLER_BALANCE_NOT_ENOUGH");
        assertThat(given.get(a.id()).status()).isEqualTo(DisputeStatus.REFUND_EXCEPTION);
    }

    @Test
    void aNotifiedAmountAboveTheRefundIsRefusedAndChangesNothing() throws Exception {
        // Issue 13: a settled amount outside 0..the refund's amount is refused for every gateway (400), where
        // this used to be recorded as SUCCEEDED 8600 and sent to finance. A shortfall still goes to finance.
        Accepted a = pendingAtAlipay();
        Refund before = refunds.of(a.id()).get(0);

        HttpResponse<String> notice = post(tradeRefundNotice(a, "86.00"), alipay.alipayKeys.getPrivate());

        assertThat(notice.statusCode()).as(notice.body()).isEqualTo(400);
        assertThat(notice.body()).contains("settledAmountFen");
        assertThat(refunds.of(a.id()).get(0).status()).isEqualTo(before.status());
        assertThat(refunds.of(a.id()).get(0).settledAmountFen()).isEqualTo(before.settledAmountFen());
        assertThat(given.get(a.id()).status()).isEqualTo(DisputeStatus.REFUNDING);
    }

    @Test
    void aForgedNotificationIsRejectedWith401AndChangesNothing() throws Exception {
        Accepted a = pendingAtAlipay();
        Refund before = refunds.of(a.id()).get(0);
        int entries = timeline.of(a.id()).size();

        HttpResponse<String> forged = post(tradeRefundNotice(a, "68.00"), alipay.forgerKeys.getPrivate());

        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.body()).contains("signature does not verify");
        assertThat(refunds.of(a.id())).containsExactly(before);
        assertThat(timeline.of(a.id())).hasSize(entries);
        assertThat(given.get(a.id()).status()).isEqualTo(DisputeStatus.REFUNDING);
    }

    @Test
    void aBankCardThatRefusesTheMoneyIsRecordedAsPaidToTheAlipayBalance() throws Exception {
        Accepted a = accepted(ORDER_FEN);
        alipay.answers(REFUND, success("trade_no", "T5", "fund_change", "Y", "refund_fee", "68.00",
                "has_deposit_back", "Y"));
        alipay.answers(QUERY, success("trade_no", "T5", "out_request_no", a.key(), "refund_status", "REFUND_SUCCESS",
                "refund_amount", "68.00", "deposit_back_info", Map.of("has_deposit_back", "Y", "dback_status", "P",
                        "est_bank_receipt_time", "2026-12-03 18:00:00")));

        given.runRefundJob(a.id());

        assertRefund(a, RefundState.SUCCEEDED, 6800L);
        assertThat(refunds.of(a.id()).get(0).arrivalNote()).contains("2026-12-03 18:00:00");

        Map<String, String> failed = new LinkedHashMap<>();
        failed.put("msg_method", AlipayPaymentGateway.DEPOSIT_BACK_COMPLETED);
        failed.put("app_id", "2021000000000001");
        failed.put("notify_id", "N-" + a.key());
        failed.put("biz_content", "{\"trade_no\":\"T5\",\"out_trade_no\":\"" + a.orderId() + "\",\"out_request_no\":\""
                + a.key() + "\",\"dback_status\":\"F\",\"dback_amount\":\"68.00\"}");
        HttpResponse<String> notice = post(failed, alipay.alipayKeys.getPrivate());
        assertThat(notice.statusCode()).as(notice.body()).isEqualTo(200);

        Refund refund = refunds.of(a.id()).get(0);
        assertThat(refund.arrivalNote()).contains("支付宝余额");
        assertThat(refund.status()).isEqualTo(RefundState.SUCCEEDED);
        assertThat(timeline.of(a.id())).filteredOn(e -> e.event().equals("REFUND_ARRIVAL"))
                .extracting(Timeline.Entry::message).last().asString().contains("支付宝余额");
        int entries = timeline.of(a.id()).size();
        assertThat(post(failed, alipay.alipayKeys.getPrivate()).statusCode()).isEqualTo(200);
        assertThat(timeline.of(a.id())).as("the same notice again adds nothing").hasSize(entries);
        assertThat(alipay.count(REFUND)).isEqualTo(1);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    record Accepted(String id, String orderId, String key) {
    }

    private Accepted accepted(long amountFen) {
        String orderId = given.order(amountFen, PaymentChannel.ALIPAY, ProductCategory.CARD_KEY, 1, "SUCCEED");
        String id = given.acceptedDispute(orderId);
        return new Accepted(id, orderId, given.refundKey(id));
    }

    /** A refund Alipay took (code=10000, fund_change=N) and has not yet confirmed. */
    private Accepted pendingAtAlipay() {
        Accepted a = accepted(ORDER_FEN);
        alipay.answers(REFUND, success("trade_no", "T6", "fund_change", "N", "refund_fee", "0.00"));
        alipay.answers(QUERY, success("trade_no", "T6"));
        given.runRefundJob(a.id());
        assertRefund(a, RefundState.PROCESSING, null);
        return a;
    }

    private void assertRefund(Accepted a, RefundState state, Long settledFen) {
        assertThat(refunds.of(a.id())).as("one refund of ours").singleElement().satisfies(r -> {
            assertThat(r.idempotencyKey()).isEqualTo(a.key());
            assertThat(r.status()).isEqualTo(state);
            assertThat(r.settledAmountFen()).isEqualTo(settledFen);
            assertThat(r.live()).isTrue();
        });
    }

    private Map<String, String> tradeRefundNotice(Accepted a, String refundYuan) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("notify_type", "trade_status_sync");
        params.put("notify_id", "N-" + a.key());
        params.put("app_id", "2021000000000001");
        params.put("trade_no", "T-" + a.orderId());
        params.put("out_trade_no", a.orderId());
        params.put("out_biz_no", a.key());
        params.put("trade_status", "TRADE_SUCCESS");
        params.put("refund_fee", refundYuan);
        params.put("gmt_refund", "2026-11-30 12:00:00.000");
        return params;
    }

    // ---- an Alipay complaint through the channel core (ADR 0068/0069) -------------------------------------

    @Test
    void anAlipayComplaintPushedTwiceIsOneComplaintOnTheOrdersDisputeWithAlipaysReasonAndDeadline() throws Exception {
        String orderId = given.order(ORDER_FEN);
        String complaint = "2026" + Long.toString(System.nanoTime()).substring(0, 12);
        Instant created = ClockUtil.getCurrentTime().toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        alipay.answers("alipay.merchant.tradecomplain.query", success("complain_event_id", complaint,
                "status", "MERCHANT_PROCESSING", "merchant_order_no", orderId, "trade_no", "2026120322001400009",
                "gmt_create", AlipayComplaintCalls.stamp(created), "complain_reason", "卡密无法使用",
                "leaf_category_name", "退款", "content", "买到的卡密无法使用", "trade_amount", "68.00",
                "reply_detail_infos", List.of()));
        String message = AlipayTradeComplaintSourceTest.message(AlipayTradeComplaintSource.CHANGED,
                "{\"complain_event_id\":\"" + complaint + "\"}", alipay.alipayKeys.getPrivate());

        HttpResponse<String> first = pushComplaint(message);
        HttpResponse<String> again = pushComplaint(message);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.body()).as("what Alipay waits for").isEqualTo("success");
        assertThat(again.statusCode()).isEqualTo(200);
        List<Map<String, Object>> rows = jdbc.sql("select reason, dispute_id, complete_due_at from channel_complaint"
                + " where source = 'alipay-tradecomplain' and external_id = ?").param(complaint).query().listOfRows();
        assertThat(rows).as("pushed twice, one complaint").hasSize(1);
        assertThat(rows.get(0).get("reason")).as("the reason table's Alipay row").isEqualTo("INVALID_CARD_KEY");
        Object due = rows.get(0).get("complete_due_at");
        assertThat(due instanceof java.time.OffsetDateTime o ? o.toInstant() : ((java.sql.Timestamp) due).toInstant())
                .as("gmt_create + payment.alipay.complaints.tradecomplain.feedback-within")
                .isEqualTo(created.plus(Duration.ofHours(48)));
        assertThat(given.get((String) rows.get(0).get("dispute_id")).orderId()).isEqualTo(orderId);

        HttpResponse<String> forged = pushComplaint(AlipayTradeComplaintSourceTest.message(
                AlipayTradeComplaintSource.CHANGED, "{\"complain_event_id\":\"" + complaint + "\"}",
                alipay.forgerKeys.getPrivate()));
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/problem+json"));
    }

    @Test
    void alipaySendsBothFamiliesToOneAddressAndEachMessageReachesItsOwnSource() throws Exception {
        String orderId = given.order(ORDER_FEN);
        long id = 13_000_000L + System.nanoTime() % 1_000_000L;
        Map<String, Object> detail = new java.util.LinkedHashMap<>(success("id", id, "task_id", "RISK" + id,
                "status", "WAIT_PROCESS", "gmt_complain", "2026-12-03 10:00:00", "gmt_overdue", "2026-12-06 10:00:00",
                "complain_content", "付款后没有收到卡密", "trade_no", "2026120322001400002", "complain_amount", "68.00"));
        detail.put("complaint_trade_info_list", List.of(Map.of("trade_no", "2026120322001400002", "out_no", orderId,
                "amount", "68.00", "status", "WAIT_PROCESS", "gmt_trade", "2026-12-03 09:58:00")));
        alipay.answers(AlipayRiskGoComplaintSource.QUERY, detail);
        String riskGo = AlipayTradeComplaintSourceTest.message(AlipayRiskGoComplaintSource.NOTIFY,
                "{\"complaint_id\":\"" + id + "\"}", alipay.alipayKeys.getPrivate());

        HttpResponse<String> atTheTradeComplaintAddress = pushComplaint(riskGo);
        HttpResponse<String> atTheChannelsAddress = pushComplaint(riskGo, "alipay");

        assertThat(atTheTradeComplaintAddress.statusCode()).as(atTheTradeComplaintAddress.body()).isEqualTo(200);
        assertThat(atTheChannelsAddress.statusCode()).as(atTheChannelsAddress.body()).isEqualTo(200);
        assertThat(jdbc.sql("select source from channel_complaint where external_id = ?").param(String.valueOf(id))
                .query(String.class).list()).as("one complaint, RiskGO's").containsExactly("alipay-riskgo");
        assertThat(pushComplaint(AlipayTradeComplaintSourceTest.message("alipay.trade.refund.changed", "{}",
                alipay.alipayKeys.getPrivate()), "alipay").statusCode())
                .as("a message no complaint source takes").isEqualTo(400);
    }

    @Test
    void aPushedComplaintAlipayWillNotLetUsReadIs503WithTheReasonAndNothingIsRecorded() throws Exception {
        String complaint = "2026" + Long.toString(System.nanoTime()).substring(0, 12);
        alipay.answers("alipay.merchant.tradecomplain.query", AlipayGatewayStub.error("40006", "ISV.INSUFFICIENT-ISV-PERMISSIONS",
                "ISV权限不足"));
        String message = AlipayTradeComplaintSourceTest.message(AlipayTradeComplaintSource.CHANGED,
                "{\"complain_event_id\":\"" + complaint + "\"}", alipay.alipayKeys.getPrivate());

        HttpResponse<String> answer = pushComplaint(message);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/problem+json"));
        assertThat(answer.headers().firstValue("Retry-After")).isPresent();
        assertThat(answer.body()).contains(complaint).contains("ISV.INSUFFICIENT-ISV-PERMISSIONS");
        assertThat(jdbc.sql("select count(*) from channel_complaint where external_id = ?").param(complaint)
                .query(Long.class).single()).as("nothing recorded").isZero();
    }

    @Test
    void aPlatformDisputeAndAnAlipayComplaintOnOneOrderAreRefundedOnceAndAlipayHearsTheFeedbackOnce() throws Exception {
        Accepted a = accepted(ORDER_FEN);
        String complaint = alipayComplaintPushedAbout(a.orderId());
        assertThat(jdbc.sql("select dispute_id from channel_complaint where external_id = ?").param(complaint)
                .query(String.class).single()).as("tied to the order's dispute, none opened").isEqualTo(a.id());

        alipay.answers(REFUND, success("trade_no", "2026120322001400010", "out_trade_no", a.orderId(),
                "fund_change", "Y", "refund_fee", "68.00", "send_back_fee", "68.00"));
        given.runRefundJob(a.id());
        alipay.answers("alipay.merchant.tradecomplain.feedback.submit", success());
        relayChannelAnswers();
        relayChannelAnswers();

        assertThat(alipay.count(REFUND)).as("one refund for the order").isEqualTo(1);
        assertThat(alipay.forms("alipay.merchant.tradecomplain.feedback.submit")).as("Alipay hears it once")
                .singleElement().satisfies(form -> assertThat(form).containsEntry("complain_event_id", complaint)
                        .containsEntry("feedback_code", "02"));
    }

    /**
     * One order, three voices: the buyer's dispute on the platform, a complaint at Alipay (its API) and one at 黑猫投诉
     * (entered by the complaints group). The merchant accepts the dispute, the complaints group answers 黑猫 with a
     * refund while the dispute's refund is still waiting to be sent: the order is refunded once, Alipay hears the
     * feedback once, and the 黑猫 answer only notes the refund under way.
     */
    @Test
    void aPlatformDisputeAnAlipayComplaintAndABlackCatComplaintOnOneOrderAreOneRefund() throws Exception {
        Accepted a = accepted(ORDER_FEN);
        String complaint = alipayComplaintPushedAbout(a.orderId());
        var blackCat = context.getBean(cn.kameng.refunddesk.complaint.ComplaintService.class).receive(
                cn.kameng.refunddesk.dispute.ComplaintChannel.HEIMAO, "HM-" + complaint, a.orderId(),
                "黑猫投诉：付款后未收到卡密");
        assertThat(blackCat.complaint().disputeId()).as("the same dispute").isEqualTo(a.id());

        alipay.answers(REFUND, success("trade_no", "2026120322001400011", "out_trade_no", a.orderId(),
                "fund_change", "Y", "refund_fee", "68.00", "send_back_fee", "68.00"));
        given.completeAs("complaints1", given.complaintTask(blackCat.complaint().id()), Map.of(
                ProcessIds.Var.COMPLAINT_OUTCOME, "REFUND", ProcessIds.Var.COMPLAINT_RESPONSE, "已为您安排退款"));
        // the 黑猫 answer's refund order runs before the dispute's own refund request has been sent
        for (var job : management.createJobQuery().executable().list()) {
            if (ProcessIds.PROCESS_EXTERNAL_COMPLAINT.equals(job.getProcessDefinitionKey())
                    && a.id().equals(runtime.createProcessInstanceQuery().processInstanceId(job.getProcessInstanceId())
                            .singleResult().getBusinessKey())) {
                management.executeJob(job.getId());
            }
        }
        given.runDueJobs(a.id());
        alipay.answers("alipay.merchant.tradecomplain.feedback.submit", success());
        relayChannelAnswers();
        relayChannelAnswers();

        assertThat(alipay.count(REFUND)).as("one refund for the order").isEqualTo(1);
        assertThat(refunds.of(a.id())).as("one refund of ours").hasSize(1);
        List<String> instances = context.getBean(org.camunda.bpm.engine.HistoryService.class)
                .createHistoricProcessInstanceQuery().processInstanceBusinessKey(a.id()).list().stream()
                .map(h -> h.getId()).toList();
        assertThat(management.createJobQuery().withException().list()).as("no job failed")
                .noneMatch(j -> instances.contains(j.getProcessInstanceId()));
        assertThat(runtime.createIncidentQuery().list()).as("no incident")
                .noneMatch(i -> instances.contains(i.getProcessInstanceId()));
        assertThat(alipay.forms("alipay.merchant.tradecomplain.feedback.submit")).as("Alipay hears it once")
                .singleElement().satisfies(form -> assertThat(form).containsEntry("complain_event_id", complaint)
                        .containsEntry("feedback_code", "02"));
        assertThat(given.complaintStatus(blackCat.complaint().id())).isEqualTo("ANSWERED");
    }

    /** The buyer complains at Alipay (交易投诉) about the order, "未收到卡密"; Alipay pushes it and we take it in. */
    private String alipayComplaintPushedAbout(String orderId) throws Exception {
        String complaint = "2026" + Long.toString(System.nanoTime()).substring(0, 12);
        alipay.answers("alipay.merchant.tradecomplain.query", success("complain_event_id", complaint,
                "status", "MERCHANT_PROCESSING", "merchant_order_no", orderId, "gmt_create",
                AlipayComplaintCalls.stamp(ClockUtil.getCurrentTime().toInstant()), "complain_reason", "未收到卡密",
                "content", "付款后一直没有收到卡密", "trade_amount", "68.00", "reply_detail_infos", List.of()));
        assertThat(pushComplaint(AlipayTradeComplaintSourceTest.message(AlipayTradeComplaintSource.CHANGED,
                "{\"complain_event_id\":\"" + complaint + "\"}", alipay.alipayKeys.getPrivate())).statusCode())
                .isEqualTo(200);
        return complaint;
    }

    /** The channel core's outbox relay, run now (its class is the core's, merged from ADR 0068). */
    private void relayChannelAnswers() throws Exception {
        Class<?> relay = Class.forName("cn.kameng.refunddesk.complaint.ChannelAnswerRelay");
        relay.getMethod("relay").invoke(context.getBean(relay));
    }

    private HttpResponse<String> pushComplaint(String body) throws Exception {
        return pushComplaint(body, "alipay-tradecomplain");
    }

    private HttpResponse<String> pushComplaint(String body, String address) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port
                + "/api/v1/channels/" + address + "/complaint-notifications"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
        return java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(Map<String, String> params, PrivateKey signer) throws Exception {
        return given.postNotification("alipay", "application/x-www-form-urlencoded; charset=utf-8",
                alipay.notification(params, signer), Map.of());
    }

    /** The activities the dispute's process instance waits in. */
    static final class Tokens {
        static List<String> of(RuntimeService runtime, Accepted a) {
            String instance = runtime.createProcessInstanceQuery().processInstanceBusinessKey(a.id()).singleResult()
                    .getId();
            return runtime.getActiveActivityIds(instance);
        }
    }
}
