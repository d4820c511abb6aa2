package cn.kameng.refunddesk.wechatpay;

import static cn.kameng.refunddesk.support.TestDisputes.BUYER1;
import static cn.kameng.refunddesk.support.TestDisputes.MERCHANT1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.time.Duration;
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
import cn.kameng.refunddesk.wechatpay.WechatPayStub.Notice;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;
import cn.kameng.refunddesk.workflow.DisputeService;

/**
 * Refunds of WeChat Pay orders through the real wechatpay-java SDK against WireMock answering as WeChat
 * Pay APIv3 does: signed answers, notifications signed and encrypted with keys made for the test. WeChat
 * Pay sees one refund request per out_refund_no, whatever happens; ABNORMAL, CLOSED and an amount other
 * than the approved one go to finance; forged and unknown notifications change nothing.
 */
@DisputeServiceTest
class WechatPayRefundTest {

    private static final long ORDER_FEN = 6800;
    static final WechatPayStub wechat = new WechatPayStub();

    @DynamicPropertySource
    static void wechatPay(DynamicPropertyRegistry registry) {
        wechat.properties().forEach((k, v) -> registry.add(k, () -> v));
    }

    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired ManagementService management;
    @Autowired RuntimeService runtime;
    @Autowired TaskService tasks;
    @Autowired RefundRecords refunds;
    @Autowired Timeline timeline;
    @LocalServerPort int port;

    @BeforeEach
    void setUp() {
        ClockUtil.setCurrentTime(new Date());
        wechat.reset();
    }

    @AfterEach
    void tearDown() {
        ClockUtil.reset();
    }

    @AfterAll
    static void stop() {
        wechat.close();
    }

    @Test
    void aRefundWechatPayCompletesAtOnceAwaitsTheCustomersConfirmation() {
        Accepted a = accepted();
        wechat.refundAnswers(a.key(), "SUCCESS", ORDER_FEN, ORDER_FEN);

        given.runRefundJob(a.id());

        assertThat(wechat.refundRequests()).singleElement().satisfies(body -> {
            assertThat(body).containsEntry("out_refund_no", a.key()).containsEntry("out_trade_no", a.orderId());
            assertThat(body.get("amount")).isEqualTo(Map.of("refund", 6800, "total", 6800, "currency", "CNY"));
        });
        assertRefund(a, RefundState.SUCCEEDED, ORDER_FEN);
        assertThat(refunds.of(a.id()).get(0).arrivalNote()).contains("招商银行信用卡0403");
        assertThat(given.get(a.id()).status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);
        disputes.arrivalConfirmation(BUYER1, a.id(), true, null);
        assertThat(given.get(a.id()).outcome()).isEqualTo(Outcome.REFUNDED);
    }

    @Test
    void aPartialOfferTheCustomerAcceptedRefundsOnlyThatAmountOfTheOrdersTotal() {
        String orderId = given.order(ORDER_FEN, PaymentChannel.WECHAT_PAY, ProductCategory.CARD_KEY, 1, "SUCCEED");
        String id = given.open(orderId, Reason.NOT_AS_DESCRIBED).id();
        disputes.merchantResponse(MERCHANT1, id, new MerchantAnswer(MerchantDecision.ACCEPT, 3000L, "部分退款", null));
        disputes.offerResponse(BUYER1, id, true);
        Accepted a = new Accepted(id, orderId, given.refundKey(id));
        wechat.refundAnswers(a.key(), "SUCCESS", 3000, ORDER_FEN);

        given.runRefundJob(a.id());

        assertThat(wechat.refundRequests()).singleElement().satisfies(body ->
                assertThat(body.get("amount")).isEqualTo(Map.of("refund", 3000, "total", 6800, "currency", "CNY")));
        assertRefund(a, RefundState.SUCCEEDED, 3000L);
        disputes.arrivalConfirmation(BUYER1, id, true, null);
        assertThat(given.get(id).outcome()).isEqualTo(Outcome.PARTIALLY_REFUNDED);
    }

    @Test
    void aProcessingRefundIsSettledByItsNotificationOnceWhateverItsDuplicates() throws Exception {
        Accepted a = processing();

        Notice notice = wechat.notice(a.key(), a.orderId(), "SUCCESS", ORDER_FEN, ORDER_FEN,
                wechat.platformKeys.getPrivate());
        assertThat(post(notice).statusCode()).isEqualTo(200);

        assertRefund(a, RefundState.SUCCEEDED, ORDER_FEN);
        Dispute waiting = given.get(a.id());
        assertThat(waiting.status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);
        Refund settled = refunds.of(a.id()).get(0);
        int entries = timeline.of(a.id()).size();

        HttpResponse<String> again = post(notice);
        HttpResponse<String> resent = post(wechat.notice(a.key(), a.orderId(), "SUCCESS", ORDER_FEN, ORDER_FEN,
                wechat.platformKeys.getPrivate()));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(resent.statusCode()).isEqualTo(200);
        assertThat(refunds.of(a.id())).containsExactly(settled);
        assertThat(timeline.of(a.id())).hasSize(entries);
        assertThat(given.get(a.id())).isEqualTo(waiting);
        assertThat(wechat.refundRequests()).hasSize(1);
    }

    @Test
    void anAbnormalRefundGoesToFinanceToSendTheMoneyAnotherWay() throws Exception {
        Accepted a = processing();

        assertThat(post(wechat.notice(a.key(), a.orderId(), "ABNORMAL", ORDER_FEN, ORDER_FEN,
                wechat.platformKeys.getPrivate())).statusCode()).isEqualTo(200);

        assertRefund(a, RefundState.ABNORMAL, null);
        assertThat(refunds.of(a.id()).get(0).failureReason()).contains("ABNORMAL").contains("finance");
        assertThat(given.get(a.id()).status()).isEqualTo(DisputeStatus.REFUND_EXCEPTION);
        assertThat(tasks.createTaskQuery().processInstanceBusinessKey(a.id())
                .taskDefinitionKey(Task.RESOLVE_REFUND_EXCEPTION).count()).isEqualTo(1);
        assertThat(wechat.refundRequests()).hasSize(1);
    }

    @Test
    void aClosedRefundMovedNoMoneyAndGoesToFinance() throws Exception {
        Accepted a = processing();

        assertThat(post(wechat.notice(a.key(), a.orderId(), "CLOSED", ORDER_FEN, ORDER_FEN,
                wechat.platformKeys.getPrivate())).statusCode()).isEqualTo(200);

        assertRefund(a, RefundState.CLOSED, null);
        assertThat(given.get(a.id()).status()).isEqualTo(DisputeStatus.REFUND_EXCEPTION);
        assertThat(given.get(a.id()).outcome()).isNull();
    }

    @Test
    void aNotifiedAmountOtherThanTheApprovedOneOpensTheFinanceTaskInsteadOfClosing() throws Exception {
        Accepted a = processing();

        assertThat(post(wechat.notice(a.key(), a.orderId(), "SUCCESS", 6000, ORDER_FEN,
                wechat.platformKeys.getPrivate())).statusCode()).isEqualTo(200);

        assertRefund(a, RefundState.SUCCEEDED, 6000L);
        assertThat(given.get(a.id()).status()).isEqualTo(DisputeStatus.REFUND_EXCEPTION);
        assertThat(tasks.createTaskQuery().processInstanceBusinessKey(a.id())
                .taskDefinitionKey(Task.RESOLVE_REFUND_EXCEPTION).count()).isEqualTo(1);
        assertThat(given.get(a.id()).outcome()).isNull();
    }

    @Test
    void aForgedNotificationIs401AndChangesNothing() throws Exception {
        Accepted a = processing();
        Refund before = refunds.of(a.id()).get(0);
        int entries = timeline.of(a.id()).size();

        HttpResponse<String> forged = post(wechat.notice(a.key(), a.orderId(), "SUCCESS", ORDER_FEN, ORDER_FEN,
                wechat.forgerKeys.getPrivate()));
        Notice unsigned = wechat.notice(a.key(), a.orderId(), "SUCCESS", ORDER_FEN, ORDER_FEN,
                wechat.platformKeys.getPrivate());
        HttpResponse<String> noHeaders = post(new Notice(Map.of(), unsigned.body()));

        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.body()).contains("signature does not verify");
        assertThat(noHeaders.statusCode()).isEqualTo(401);
        assertThat(refunds.of(a.id())).containsExactly(before);
        assertThat(timeline.of(a.id())).hasSize(entries);
        assertThat(given.get(a.id()).status()).isEqualTo(DisputeStatus.REFUNDING);
    }

    @Test
    void aNotificationForARefundWeNeverMadeIs404AndChangesNothing() throws Exception {
        Accepted a = processing();
        Refund before = refunds.of(a.id()).get(0);

        HttpResponse<String> unknown = post(wechat.notice("DSP-NOT-OURS-R1", a.orderId(), "SUCCESS", ORDER_FEN,
                ORDER_FEN, wechat.platformKeys.getPrivate()));

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("DSP-NOT-OURS-R1");
        assertThat(refunds.of(a.id())).containsExactly(before);
        assertThat(given.get(a.id()).status()).isEqualTo(DisputeStatus.REFUNDING);
    }

    @Test
    void aTimeoutIsFollowedByAQueryNotASecondRefundRequest() {
        Accepted a = accepted();
        wechat.refundAnswersTooLate(a.key(), Duration.ofSeconds(6));
        Job job = given.refundJob(a.id());

        assertThatThrownBy(() -> management.executeJob(job.getId()))
                .hasMessageContaining("WeChat Pay did not answer the refund request for refund " + a.key());
        assertRefund(a, RefundState.REQUESTED, null);

        wechat.queryAnswers(a.key(), "SUCCESS", ORDER_FEN, ORDER_FEN);
        given.moveClock(Duration.ofMinutes(1).plusSeconds(1));
        management.executeJob(job.getId());

        assertThat(wechat.refundRequests()).as("WeChat Pay saw one request for the key").hasSize(1);
        assertThat(wechat.queries(a.key())).isEqualTo(1);
        assertRefund(a, RefundState.SUCCEEDED, ORDER_FEN);
        assertThat(given.get(a.id()).status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);
    }

    @Test
    void aServerErrorStormEndsInAnIncidentWithOneRefundRequestAtMost() {
        Accepted a = accepted();
        wechat.everythingFails(500);
        Job job = given.refundJob(a.id());

        TestDisputes.RetriesExhausted retries = given.runRefundJobUntilIncident(a.id(), "WeChat Pay did not answer");

        assertThat(retries.attempts()).isEqualTo(5);
        Incident incident = retries.incident();
        assertThat(incident.getActivityId()).isEqualTo(Element.SERVICE_TASK_REQUEST_REFUND);
        assertThat(incident.getIncidentMessage()).contains("HTTP 500").contains("Whether money moved is unknown")
                .contains("Retry the job in Cockpit");
        assertThat(wechat.refundRequests()).as("one refund request; the retries asked first").hasSize(1);
        assertThat(wechat.queries(a.key())).isEqualTo(4);
        assertRefund(a, RefundState.REQUESTED, null);

        // WeChat Pay is back and never took it: one retry from Cockpit sends the same key once more.
        wechat.reset();
        wechat.queryFindsNothing(a.key());
        wechat.refundAnswers(a.key(), "PROCESSING", ORDER_FEN, ORDER_FEN);
        management.setJobRetries(job.getId(), 1);
        management.executeJob(job.getId());
        assertThat(wechat.refundRequests()).singleElement()
                .satisfies(body -> assertThat(body).containsEntry("out_refund_no", a.key()));
        assertRefund(a, RefundState.PROCESSING, null);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    record Accepted(String id, String orderId, String key) {
    }

    private Accepted accepted() {
        String orderId = given.order(ORDER_FEN, PaymentChannel.WECHAT_PAY, ProductCategory.CARD_KEY, 1, "SUCCEED");
        String id = given.acceptedDispute(orderId);
        return new Accepted(id, orderId, given.refundKey(id));
    }

    private Accepted processing() {
        Accepted a = accepted();
        wechat.refundAnswers(a.key(), "PROCESSING", ORDER_FEN, ORDER_FEN);
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

    private HttpResponse<String> post(Notice notice) throws Exception {
        return given.postNotification("wechatpay", "application/json", notice.body(), notice.headers());
    }
}
