package cn.kameng.refunddesk.unionpay;

import static cn.kameng.refunddesk.support.TestDisputes.BUYER1;
import static cn.kameng.refunddesk.support.TestDisputes.MERCHANT1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.Outcome;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.dispute.Timeline;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;
import cn.kameng.refunddesk.process.ProcessIds.Element;
import cn.kameng.refunddesk.process.ProcessIds.Task;
import cn.kameng.refunddesk.refund.Refund;
import cn.kameng.refunddesk.refund.RefundRecords;
import cn.kameng.refunddesk.refund.RefundState;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;
import cn.kameng.refunddesk.workflow.DisputeService;

/**
 * Bank-card refunds through UnionPay (UPACP 5.1.0) against WireMock answering and notifying as UnionPay
 * does, signed with keys made for the test. UnionPay sees one refund (退货) per orderId whatever happens;
 * "accepted" is not "refunded": the signed result to backUrl, or queryTrans.do, decides.
 */
@DisputeServiceTest
class UnionPayRefundTest {

    private static final long ORDER_FEN = 6800;
    private static final String PAYMENT_QUERY_ID = "762511301000000000001";
    static final UnionPayStub unionpay = new UnionPayStub();

    @DynamicPropertySource
    static void unionPay(DynamicPropertyRegistry registry) {
        unionpay.properties().forEach((k, v) -> registry.add(k, () -> v));
    }

    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired ManagementService management;
    @Autowired RuntimeService runtime;
    @Autowired TaskService tasks;
    @Autowired RefundRecords refunds;
    @Autowired Timeline timeline;
    @Autowired JdbcClient jdbc;
    @LocalServerPort int port;

    @BeforeEach
    void setUp() {
        ClockUtil.setCurrentTime(new Date());
        unionpay.reset();
    }

    @AfterEach
    void tearDown() {
        ClockUtil.reset();
    }

    @AfterAll
    static void stop() {
        unionpay.close();
    }

    @Test
    void anAcceptedRefundIsSettledByUnionPaysSignedResultAndItsDuplicatesChangeNothing() throws Exception {
        Accepted a = accepted();
        unionpay.refundAnswers(a.unionOrderId(), "00", "成功[0000000]");

        given.runRefundJob(a.id());

        assertThat(unionpay.refundRequests()).singleElement().satisfies(sent -> {
            assertThat(sent).containsEntry("version", "5.1.0").containsEntry("signMethod", "01")
                    .containsEntry("txnType", "04").containsEntry("txnSubType", "00").containsEntry("bizType", "000201")
                    .containsEntry("merId", UnionPayStub.MER_ID).containsEntry("certId", UnionPayStub.CERT_ID)
                    .containsEntry("orderId", a.unionOrderId()).containsEntry("origQryId", PAYMENT_QUERY_ID)
                    .containsEntry("txnAmt", "6800").containsEntry("currencyCode", "156")
                    .containsEntry("backUrl", "https://refund-desk.example.cn/api/v1/payment-notifications/unionpay");
            assertThat(sent.get("txnTime")).matches("\\d{14}");
            assertThat(UpacpSignature.verifies(sent, unionpay.merchantKeys.getPublic()))
                    .as("signed with the merchant key").isTrue();
        });
        assertRefund(a, RefundState.PROCESSING, null);
        assertThat(given.get(a.id()).status()).as("accepted is not refunded").isEqualTo(DisputeStatus.REFUNDING);

        String notice = unionpay.notice(a.unionOrderId(), "00", ORDER_FEN, unionpay.unionPayKeys.getPrivate());
        HttpResponse<String> answer = post(notice);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("ok");
        assertRefund(a, RefundState.SUCCEEDED, ORDER_FEN);
        assertThat(refunds.of(a.id()).get(0).arrivalNote()).contains("银联退货成功");
        Dispute waiting = given.get(a.id());
        assertThat(waiting.status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);
        Refund settled = refunds.of(a.id()).get(0);
        int entries = timeline.of(a.id()).size();

        assertThat(post(notice).statusCode()).isEqualTo(200);
        assertThat(post(unionpay.notice(a.unionOrderId(), "00", ORDER_FEN, unionpay.unionPayKeys.getPrivate()))
                .statusCode()).isEqualTo(200);

        assertThat(refunds.of(a.id())).containsExactly(settled);
        assertThat(timeline.of(a.id())).hasSize(entries);
        assertThat(given.get(a.id())).isEqualTo(waiting);
        assertThat(unionpay.refundRequests()).hasSize(1);
        disputes.arrivalConfirmation(BUYER1, a.id(), true, null);
        assertThat(given.get(a.id()).outcome()).isEqualTo(Outcome.REFUNDED);
    }

    @Test
    void aPartialOfferTheCustomerAcceptedRefundsOnlyThatAmount() throws Exception {
        String orderId = bankCardOrder();
        String id = given.open(orderId, Reason.NOT_AS_DESCRIBED).id();
        disputes.merchantResponse(MERCHANT1, id, new MerchantAnswer(MerchantDecision.ACCEPT, 3000L, "部分退款", null));
        disputes.offerResponse(BUYER1, id, true);
        Accepted a = new Accepted(id, orderId, given.refundKey(id));
        unionpay.refundAnswers(a.unionOrderId(), "00", "成功[0000000]");

        given.runRefundJob(a.id());
        assertThat(post(unionpay.notice(a.unionOrderId(), "00", 3000, unionpay.unionPayKeys.getPrivate())).statusCode())
                .isEqualTo(200);

        assertThat(unionpay.refundRequests()).singleElement().satisfies(sent ->
                assertThat(sent).containsEntry("txnAmt", "3000").containsEntry("origQryId", PAYMENT_QUERY_ID));
        assertRefund(a, RefundState.SUCCEEDED, 3000L);
        disputes.arrivalConfirmation(BUYER1, id, true, null);
        assertThat(given.get(id).outcome()).isEqualTo(Outcome.PARTIALLY_REFUNDED);
    }

    @Test
    void aTimeoutIsFollowedByAQueryForTheSameOrderNotASecondRefund() {
        Accepted a = accepted();
        unionpay.refundAnswersTooLate(a.unionOrderId(), Duration.ofSeconds(6));
        Job job = given.refundJob(a.id());

        assertThatThrownBy(() -> management.executeJob(job.getId()))
                .hasMessageContaining("UnionPay did not answer the refund request for refund " + a.key());
        assertRefund(a, RefundState.REQUESTED, null);

        unionpay.queryAnswers(a.unionOrderId(), "00", ORDER_FEN);
        given.moveClock(Duration.ofMinutes(1).plusSeconds(1));
        management.executeJob(job.getId());

        assertThat(unionpay.refundRequests()).as("UnionPay saw one refund for the key").hasSize(1);
        String txnTime = unionpay.refundRequests().get(0).get("txnTime");
        assertThat(unionpay.queries()).singleElement().satisfies(query -> {
            assertThat(query).containsEntry("txnType", "00").containsEntry("bizType", "000000")
                    .containsEntry("orderId", a.unionOrderId()).containsEntry("txnTime", txnTime);
            assertThat(UpacpSignature.verifies(query, unionpay.merchantKeys.getPublic())).isTrue();
        });
        assertRefund(a, RefundState.SUCCEEDED, ORDER_FEN);
        assertThat(given.get(a.id()).status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);
    }

    @Test
    void aServerErrorStormEndsInAnIncidentThatSaysWhatToDoWithOneRefundRequestAtMost() {
        Accepted a = accepted();
        unionpay.everythingFails(503);
        Job job = given.refundJob(a.id());

        TestDisputes.RetriesExhausted retries = given.runRefundJobUntilIncident(a.id(), "UnionPay did not answer");

        assertThat(retries.attempts()).isEqualTo(5);
        Incident incident = retries.incident();
        assertThat(incident.getActivityId()).isEqualTo(Element.SERVICE_TASK_REQUEST_REFUND);
        assertThat(incident.getIncidentMessage()).contains("UnionPay did not answer").contains("HTTP 503")
                .contains("Whether money moved is unknown").contains("Retry the job in Cockpit");
        assertThat(unionpay.refundRequests()).as("one refund request; the retries asked first").hasSize(1);
        assertThat(unionpay.queries()).hasSize(4);
        assertRefund(a, RefundState.REQUESTED, null);

        // UnionPay is back and never took it: one retry from Cockpit sends the same orderId and txnTime once more.
        String txnTime = unionpay.refundRequests().get(0).get("txnTime");
        unionpay.reset();
        unionpay.queryFindsNothing(a.unionOrderId());
        unionpay.refundAnswers(a.unionOrderId(), "00", "成功[0000000]");
        management.setJobRetries(job.getId(), 1);
        management.executeJob(job.getId());
        assertThat(unionpay.refundRequests()).singleElement().satisfies(sent ->
                assertThat(sent).containsEntry("orderId", a.unionOrderId()).containsEntry("txnTime", txnTime));
        assertRefund(a, RefundState.PROCESSING, null);
    }

    @Test
    void aRefusedRefundGoesToFinanceWithUnionPaysReason() {
        Accepted a = accepted();
        unionpay.refundAnswers(a.unionOrderId(), "35", "原交易不存在或状态不正确[2011000]");

        given.runRefundJob(a.id());

        assertRefund(a, RefundState.FAILED, null);
        assertThat(refunds.of(a.id()).get(0).failureReason()).contains("respCode 35").contains("原交易不存在");
        assertThat(given.get(a.id()).status()).isEqualTo(DisputeStatus.REFUND_EXCEPTION);
        assertThat(tasks.createTaskQuery().processInstanceBusinessKey(a.id())
                .taskDefinitionKey(Task.RESOLVE_REFUND_EXCEPTION).count()).isEqualTo(1);
        assertThat(unionpay.refundRequests()).hasSize(1);
    }

    @Test
    void aFailedResultNotifiedAfterAcceptanceGoesToFinance() throws Exception {
        Accepted a = processing();

        assertThat(post(unionpay.notice(a.unionOrderId(), "61", ORDER_FEN, unionpay.unionPayKeys.getPrivate()))
                .statusCode()).isEqualTo(200);

        assertRefund(a, RefundState.FAILED, null);
        assertThat(given.get(a.id()).status()).isEqualTo(DisputeStatus.REFUND_EXCEPTION);
        assertThat(given.get(a.id()).outcome()).isNull();
    }

    @Test
    void aResultForAnAmountOtherThanTheApprovedOneOpensTheFinanceTaskInsteadOfClosing() throws Exception {
        Accepted a = processing();

        assertThat(post(unionpay.notice(a.unionOrderId(), "00", 6000, unionpay.unionPayKeys.getPrivate()))
                .statusCode()).isEqualTo(200);

        assertRefund(a, RefundState.SUCCEEDED, 6000L);
        assertThat(given.get(a.id()).status()).isEqualTo(DisputeStatus.REFUND_EXCEPTION);
        assertThat(tasks.createTaskQuery().processInstanceBusinessKey(a.id())
                .taskDefinitionKey(Task.RESOLVE_REFUND_EXCEPTION).count()).isEqualTo(1);
        assertThat(given.get(a.id()).outcome()).isNull();
    }

    @Test
    void anOrderWithoutItsPaymentsQueryIdSendsNothingAndGoesToFinance() {
        String orderId = given.order(ORDER_FEN, PaymentChannel.BANK_CARD, ProductCategory.CARD_KEY, 1, "SUCCEED");
        String id = given.open(orderId, Reason.INVALID_CARD_KEY).id();
        disputes.merchantResponse(MERCHANT1, id, new MerchantAnswer(MerchantDecision.ACCEPT, null, "同意退款", null));
        Accepted a = new Accepted(id, orderId, given.refundKey(id));

        given.runRefundJob(a.id());

        assertThat(unionpay.refundRequests()).isEmpty();
        assertRefund(a, RefundState.FAILED, null);
        assertThat(refunds.of(id).get(0).failureReason()).contains("no queryId");
        assertThat(given.get(id).status()).isEqualTo(DisputeStatus.REFUND_EXCEPTION);
    }

    @Test
    void aForgedResultIs401AndChangesNothing() throws Exception {
        Accepted a = processing();
        Refund before = refunds.of(a.id()).get(0);
        int entries = timeline.of(a.id()).size();

        HttpResponse<String> forged = post(unionpay.notice(a.unionOrderId(), "00", ORDER_FEN,
                unionpay.forgerKeys.getPrivate()));
        String genuine = unionpay.notice(a.unionOrderId(), "00", ORDER_FEN, unionpay.unionPayKeys.getPrivate());
        HttpResponse<String> tampered = post(genuine.replace("txnAmt=6800", "txnAmt=680000"));
        HttpResponse<String> unsigned = post(genuine.replaceAll("&?signature=[^&]*", ""));

        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.body()).contains("signature does not verify");
        assertThat(tampered.statusCode()).isEqualTo(401);
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(refunds.of(a.id())).containsExactly(before);
        assertThat(timeline.of(a.id())).hasSize(entries);
        assertThat(given.get(a.id()).status()).isEqualTo(DisputeStatus.REFUNDING);
    }

    @Test
    void theArrivalDeadlineOfABankCardRefundCountsThreeOfficialWorkingDays() {
        // Wednesday 30 September 2026, 10:00 in Beijing: 1-7 October are National Day holidays and
        // Saturday 10 October is a make-up working day, so the third working day is 10 October.
        ClockUtil.setCurrentTime(Date.from(Instant.parse("2026-09-30T02:00:00Z")));
        Accepted a = accepted();
        unionpay.refundAnswers(a.unionOrderId(), "00", "成功[0000000]");

        given.runRefundJob(a.id());

        Instant due = Instant.parse("2026-10-10T02:00:00Z");
        assertThat(given.deadlines(a.id())).containsEntry("REFUND_ARRIVAL", due);
        Job timer = management.createJobQuery().processInstanceId(given.instance(a.id()).getId())
                .activityId(Element.TIMER_REFUND_ARRIVAL_DUE).singleResult();
        assertThat(timer.getDuedate().toInstant()).isEqualTo(due);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    record Accepted(String id, String orderId, String key) {
        String unionOrderId() {
            return key.replace("-", "");
        }
    }

    private String bankCardOrder() {
        String orderId = given.order(ORDER_FEN, PaymentChannel.BANK_CARD, ProductCategory.CARD_KEY, 1, "SUCCEED");
        jdbc.sql("update sandbox_order set payment_reference = ? where order_id = ?").params(PAYMENT_QUERY_ID, orderId)
                .update();
        return orderId;
    }

    private Accepted accepted() {
        String orderId = bankCardOrder();
        String id = given.acceptedDispute(orderId);
        return new Accepted(id, orderId, given.refundKey(id));
    }

    private Accepted processing() {
        Accepted a = accepted();
        unionpay.refundAnswers(a.unionOrderId(), "00", "成功[0000000]");
        given.runRefundJob(a.id());
        assertRefund(a, RefundState.PROCESSING, null);
        assertThat(given.get(a.id()).status()).isEqualTo(DisputeStatus.REFUNDING);
        return a;
    }

    private void assertRefund(Accepted a, RefundState state, Long settledFen) {
        assertThat(refunds.of(a.id())).singleElement().satisfies(r -> {
            assertThat(r.idempotencyKey()).isEqualTo(a.key());
            assertThat(r.status()).isEqualTo(state);
            assertThat(r.settledAmountFen()).isEqualTo(settledFen);
        });
    }

    private HttpResponse<String> post(String form) throws Exception {
        return given.postNotification("unionpay", "application/x-www-form-urlencoded;charset=UTF-8", form, Map.of());
    }
}
