package cn.kameng.refunddesk.robustness;

import static cn.kameng.refunddesk.support.TestDisputes.BUYER1;
import static cn.kameng.refunddesk.support.TestDisputes.MERCHANT1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


import com.fasterxml.jackson.databind.ObjectMapper;

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
import org.springframework.jdbc.core.simple.JdbcClient;

import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.Outcome;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.dispute.Timeline;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;
import cn.kameng.refunddesk.process.ProcessIds.Element;
import cn.kameng.refunddesk.refund.Refund;
import cn.kameng.refunddesk.refund.RefundRecords;
import cn.kameng.refunddesk.refund.RefundState;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;
import cn.kameng.refunddesk.workflow.DisputeService;

/**
 * Nothing is refunded twice: not when two workers run the same refund job at once, not when the
 * gateway's first answer is lost and the job is retried, not when the gateway notifies twice (one
 * after the other or at the same moment). A gateway that never answers ends in an incident that
 * names the timeout, after the configured retries (R5/PT1M), and no money moved.
 */
@DisputeServiceTest
class RefundExactlyOnceTest {

    private static final long AMOUNT_FEN = 6800;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired ManagementService management;
    @Autowired RuntimeService runtime;
    @Autowired RefundRecords refunds;
    @Autowired Timeline timeline;
    @Autowired JdbcClient jdbc;
    @Autowired ObjectMapper json;
    @Autowired cn.kameng.refunddesk.sandbox.SandboxSettlement sandboxGateway;
    @LocalServerPort int port;

    private final Race race = new Race();

    @BeforeEach
    void setUp() {
        ClockUtil.setCurrentTime(new Date());
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        race.close();
        ClockUtil.reset();
    }

    @Test
    void twoWorkersRunningTheSameRefundJobAtOnceSendOneRefund() throws Exception {
        List<String> losers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Accepted a = acceptedDispute("SUCCEED");
            String jobId = refundJob(a.id()).getId();

            List<Throwable> failures = race.run(() -> management.executeJob(jobId), () -> management.executeJob(jobId))
                    .failures();

            String context = "dispute " + a.id() + ", failures " + failures;
            assertThat(failures).as("one worker ran the job, the other lost; " + context).hasSize(1);
            // How the loser fails depends on when it looked (see MerchantAnswerRacesTimerTest); what it must not
            // do is call the gateway again, mint a second key or leave its job to retry: checked below.
            losers.add(MerchantAnswerRacesTimerTest.loss(failures.get(0)));

            assertOneRefundAtTheGateway(a, RefundState.PROCESSING);
            assertThat(Tokens.of(runtime, a.instanceId())).as(context)
                    .containsExactly(Element.EVENT_GATEWAY_REFUND_SETTLEMENT);
            assertThat(jobActivities(a.instanceId())).as("the refund job is gone, the arrival timer waits; " + context)
                    .containsExactly(Element.TIMER_REFUND_ARRIVAL_DUE);
            assertThat(runtime.createIncidentQuery().processInstanceId(a.instanceId()).count()).as(context).isZero();
            assertThat(management.createJobQuery().processInstanceId(a.instanceId()).withException().count())
                    .as("no job carries the loser's failure; " + context).isZero();
            assertThat(events(a.id())).as(context).containsOnlyOnce("REFUND_STARTED");

            settle(a, 1);
            assertThat(given.get(a.id()).status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);
            assertOneRefundAtTheGateway(a, RefundState.SUCCEEDED);
        }
        System.out.println("[" + getClass().getSimpleName() + "] losing workers failed with " + losers);
    }

    @Test
    void aRetryAfterTheGatewaysAnswerWasLostFindsTheSameRefund() {
        Accepted a = acceptedDispute("TIMEOUT_ONCE");
        Job job = refundJob(a.id());

        assertThatThrownBy(() -> management.executeJob(job.getId())).hasMessageContaining("TIMEOUT_ONCE");

        // The gateway took the refund; our side does not know yet and will ask again with the same key.
        assertThat(gatewayRows(a)).singleElement().isEqualTo(given.refundKey(a.id()));
        assertThat(refunds.of(a.id())).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(RefundState.REQUESTED);
            assertThat(r.live()).isTrue();
        });
        Job failed = refundJob(a.id());
        assertThat(failed.getId()).isEqualTo(job.getId());
        assertThat(failed.getExceptionMessage()).contains("answer was lost");
        assertThat(failed.getRetries()).as("R5: five attempts in all, four left after the first").isEqualTo(4);
        assertThat(failed.getDuedate()).isEqualTo(Date.from(ClockUtil.getCurrentTime().toInstant()
                .plus(Duration.ofMinutes(1))));
        assertThat(runtime.createIncidentQuery().processInstanceId(a.instanceId()).count()).isZero();

        given.moveClock(Duration.ofMinutes(1).plusSeconds(1));
        management.executeJob(job.getId());

        assertOneRefundAtTheGateway(a, RefundState.PROCESSING);
        assertThat(refunds.of(a.id()).get(0).gatewayReference()).isEqualTo("SBX-" + refunds.of(a.id()).get(0).idempotencyKey());
        assertThat(Tokens.of(runtime, a.instanceId())).containsExactly(Element.EVENT_GATEWAY_REFUND_SETTLEMENT);
        settle(a, 1);
        finishAndCheck(a);
    }

    @Test
    void aGatewayThatNotifiesTwiceChangesNothingTheSecondTime() throws Exception {
        Accepted a = acceptedDispute("NOTIFY_TWICE");
        given.runDueJobs(a.id());

        settle(a, 2);

        assertOneRefundAtTheGateway(a, RefundState.SUCCEEDED);
        Dispute waiting = given.get(a.id());
        assertThat(waiting.status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);
        assertThat(events(a.id())).containsOnlyOnce("REFUND_SUCCEEDED");
        assertThat(Tokens.of(runtime, a.instanceId())).containsExactly(Element.EVENT_GATEWAY_ARRIVAL);
        assertThat(jobActivities(a.instanceId())).containsExactly(Element.TIMER_AUTO_CLOSE);

        // The same signed notice once more, over HTTP, as the gateway's retry would: 200, nothing moves.
        Refund refund = refunds.of(a.id()).get(0);
        int timelineBefore = timeline.of(a.id()).size();
        HttpResponse<String> again = postNotification(refund.idempotencyKey(), "SUCCEEDED", AMOUNT_FEN);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(refunds.of(a.id())).containsExactly(refund);
        assertThat(timeline.of(a.id())).hasSize(timelineBefore);
        assertThat(given.get(a.id())).isEqualTo(waiting);

        finishAndCheck(a);
        HttpResponse<String> late = postNotification(refund.idempotencyKey(), "SUCCEEDED", AMOUNT_FEN);
        assertThat(late.statusCode()).as("a notice after the dispute closed is still acknowledged").isEqualTo(200);
        assertThat(given.get(a.id()).outcome()).isEqualTo(Outcome.REFUNDED);
    }

    @Test
    void twoCopiesOfTheSameNotificationArrivingAtOnceMoveTheDisputeOnce() throws Exception {
        for (int i = 0; i < 5; i++) {
            Accepted a = acceptedDispute("NEVER_SETTLE");
            given.runDueJobs(a.id());
            String key = given.refundKey(a.id());

            List<HttpResponse<String>> answers = Collections.synchronizedList(new ArrayList<>());
            List<Throwable> failures = race.run(
                    () -> answers.add(postNotificationUnchecked(key, "SUCCEEDED", AMOUNT_FEN)),
                    () -> answers.add(postNotificationUnchecked(key, "SUCCEEDED", AMOUNT_FEN))).failures();

            assertThat(failures).isEmpty();
            assertThat(answers).as("both copies acknowledged").extracting(HttpResponse::statusCode)
                    .containsExactly(200, 200);
            assertThat(refunds.of(a.id())).singleElement().satisfies(r -> {
                assertThat(r.status()).isEqualTo(RefundState.SUCCEEDED);
                assertThat(r.settledAmountFen()).isEqualTo(AMOUNT_FEN);
            });
            assertThat(given.get(a.id()).status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);
            assertThat(events(a.id())).containsOnlyOnce("REFUND_SUCCEEDED");
            assertThat(Tokens.of(runtime, a.instanceId())).containsExactly(Element.EVENT_GATEWAY_ARRIVAL);
        }
    }

    @Test
    void aGatewayThatNeverAnswersEndsInAnIncidentNamingTheTimeoutAfterTheRetryCycle() {
        Accepted a = acceptedDispute("TIMEOUT");
        Job job = refundJob(a.id());

        int executions = 0;
        while (true) {
            Job current = refundJob(a.id());
            assertThat(current.getId()).isEqualTo(job.getId());
            if (current.getRetries() == 0) {
                break;
            }
            assertThat(current.getDuedate() == null || !current.getDuedate().after(ClockUtil.getCurrentTime()))
                    .as("the job is due when the clock says").isTrue();
            assertThatThrownBy(() -> management.executeJob(job.getId())).hasMessageContaining("timed out");
            executions++;
            assertThat(executions).as("the retries end").isLessThanOrEqualTo(10);
            Job after = refundJob(a.id());
            if (after.getRetries() > 0) {
                assertThat(after.getDuedate()).as("retried one minute later (PT1M)").isEqualTo(
                        Date.from(ClockUtil.getCurrentTime().toInstant().plus(Duration.ofMinutes(1))));
                assertThat(runtime.createIncidentQuery().processInstanceId(a.instanceId()).count())
                        .as("no incident while retries remain").isZero();
                ClockUtil.setCurrentTime(after.getDuedate());
            }
        }

        // Camunda counts R5 as five attempts in all (the first and four retries), not five retries after the first.
        assertThat(executions).as("five attempts (R5), one minute apart").isEqualTo(5);
        Incident incident = runtime.createIncidentQuery().processInstanceId(a.instanceId()).singleResult();
        assertThat(incident).isNotNull();
        assertThat(incident.getIncidentType()).isEqualTo(Incident.FAILED_JOB_HANDLER_TYPE);
        assertThat(incident.getActivityId()).isEqualTo(Element.SERVICE_TASK_REQUEST_REFUND);
        assertThat(incident.getIncidentMessage()).contains("sandbox gateway timed out").contains("TIMEOUT");
        assertThat(management.getJobExceptionStacktrace(job.getId())).contains("GatewayUnavailableException");

        // No money moved: the gateway holds nothing, our refund is still only requested, the dispute waits.
        assertThat(gatewayRows(a)).isEmpty();
        assertThat(refunds.of(a.id())).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(RefundState.REQUESTED));
        assertThat(given.get(a.id()).status()).isEqualTo(DisputeStatus.REFUNDING);

        // Operations repair it once the gateway is back: one retry from Cockpit, the same key, one refund.
        jdbc.sql("update sandbox_order set gateway_behaviour = 'SUCCEED' where order_id = ?").param(a.orderId()).update();
        management.setJobRetries(job.getId(), 1);
        management.executeJob(job.getId());
        assertThat(runtime.createIncidentQuery().processInstanceId(a.instanceId()).count()).isZero();
        assertOneRefundAtTheGateway(a, RefundState.PROCESSING);
        settle(a, 1);
        finishAndCheck(a);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    record Accepted(String id, String orderId, String instanceId) {
    }

    /**
     * A dispute the merchant accepted in full: the refund is stored, its job waits to call the gateway,
     * and the sandbox order's gateway_behaviour column is then set to how the gateway should behave.
     */
    private Accepted acceptedDispute(String gatewayBehaviour) {
        String orderId = given.order(AMOUNT_FEN, PaymentChannel.WECHAT_PAY, ProductCategory.CARD_KEY, 1, "SUCCEED");
        String id = given.open(orderId, Reason.INVALID_CARD_KEY).id();
        disputes.merchantResponse(MERCHANT1, id, new MerchantAnswer(MerchantDecision.ACCEPT, null, "同意退款", null));
        assertThat(jdbc.sql("update sandbox_order set gateway_behaviour = ? where order_id = ?")
                .params(gatewayBehaviour, orderId).update()).isEqualTo(1);
        Accepted a = new Accepted(id, orderId, given.instance(id).getId());
        assertThat(refundJob(id)).isNotNull();
        assertThat(refunds.of(id)).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(RefundState.REQUESTED));
        return a;
    }

    private Job refundJob(String disputeId) {
        return management.createJobQuery().processInstanceId(given.instance(disputeId).getId())
                .activityId(Element.SERVICE_TASK_REQUEST_REFUND).singleResult();
    }

    private List<String> jobActivities(String instanceId) {
        return management.createJobQuery().processInstanceId(instanceId).list().stream()
                .map(j -> management.createJobDefinitionQuery().jobDefinitionId(j.getJobDefinitionId()).singleResult()
                        .getActivityId())
                .toList();
    }

    /** Keys the sandbox gateway holds for the dispute's order. */
    private List<String> gatewayRows(Accepted a) {
        return jdbc.sql("select idempotency_key from sandbox_gateway_refund where order_id = ?").param(a.orderId())
                .query(String.class).list();
    }

    private void assertOneRefundAtTheGateway(Accepted a, RefundState ours) {
        assertThat(gatewayRows(a)).as("one refund at the gateway for the order").containsExactly(refunds.of(a.id()).get(0).idempotencyKey());
        assertThat(refunds.of(a.id())).as("one refund of ours, live").singleElement().satisfies(r -> {
            assertThat(r.idempotencyKey()).matches(TestDisputes.refundKeyPattern(a.id(), 1));
            assertThat(r.live()).isTrue();
            assertThat(r.amountFen()).isEqualTo(AMOUNT_FEN);
            assertThat(r.status()).isEqualTo(ours);
        });
    }

    /** The sandbox settles what it holds and notifies; this dispute's refund was notified {@code times}. */
    private void settle(Accepted a, int times) {
        given.settleRefunds();
        assertThat(jdbc.sql("select notified_count from sandbox_gateway_refund where idempotency_key = ?")
                .param(refunds.of(a.id()).get(0).idempotencyKey()).query(Integer.class).single()).as("notices sent for the refund").isEqualTo(times);
    }

    private void finishAndCheck(Accepted a) {
        assertThat(given.get(a.id()).status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);
        disputes.arrivalConfirmation(BUYER1, a.id(), true, null);
        Dispute closed = given.get(a.id());
        assertThat(closed.outcome()).isEqualTo(Outcome.REFUNDED);
        assertOneRefundAtTheGateway(a, RefundState.SUCCEEDED);
        assertThat(events(a.id())).containsOnlyOnce("REFUND_STARTED").containsOnlyOnce("REFUND_SUCCEEDED")
                .endsWith("ARRIVAL_CONFIRMED", "RECEIVABLE_RECORDED", "CLOSED_REFUNDED"); // merchant1 has no deposit
    }

    private List<String> events(String id) {
        return timeline.of(id).stream().map(Timeline.Entry::event).toList();
    }

    /** A notice signed as the sandbox gateway signs them, posted to the public notification endpoint. */
    private HttpResponse<String> postNotification(String key, String status, Long settledFen) throws Exception {
        Map<String, Object> notice = new LinkedHashMap<>();
        notice.put("idempotencyKey", key);
        notice.put("status", status);
        notice.put("settledAmountFen", settledFen);
        notice.put("reference", "SBX-" + key);
        notice.put("failureReason", null);
        String body = json.writeValueAsString(notice);
        String signature = sandboxGateway.signature(body);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/api/v1/payment-notifications/sandbox"))
                .header("Content-Type", "application/json")
                .header("X-Sandbox-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postNotificationUnchecked(String key, String status, Long settledFen) {
        try {
            return postNotification(key, status, settledFen);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
