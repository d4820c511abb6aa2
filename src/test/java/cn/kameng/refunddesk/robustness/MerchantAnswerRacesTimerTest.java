package cn.kameng.refunddesk.robustness;

import static cn.kameng.refunddesk.support.TestDisputes.MERCHANT1;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.DomainException.WrongState;
import cn.kameng.refunddesk.dispute.MerchantReply;
import cn.kameng.refunddesk.dispute.Notification;
import cn.kameng.refunddesk.dispute.NotificationOutbox;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.dispute.Timeline;
import cn.kameng.refunddesk.process.ProcessIds.Element;
import cn.kameng.refunddesk.process.ProcessIds.Message;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;
import cn.kameng.refunddesk.workflow.DisputeService;

/**
 * The merchant answers at the very moment the 48-hour reply timer fires. The API locks the dispute
 * row and correlates a message; the timer goes through the engine. Whoever commits first wins, and the
 * other must leave no trace: never both (a refusal recorded and MERCHANT_SILENT), never neither, never
 * a half-written answer. Each pair is started together on two threads, 20 disputes per decision.
 */
@DisputeServiceTest
class MerchantAnswerRacesTimerTest {

    private static final int DISPUTES = 20;
    private static final long AMOUNT_FEN = 3000;

    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired ManagementService management;
    @Autowired RuntimeService runtime;
    @Autowired Timeline timeline;
    @Autowired NotificationOutbox outbox;
    @Autowired JdbcClient jdbc;

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
    void aRefusalRacingTheReplyTimerMovesTheDisputeExactlyOnce() throws Exception {
        raceMany(new MerchantAnswer(MerchantDecision.REFUSE, null, "卡密已被使用，有使用记录", null));
    }

    @Test
    void anAcceptanceRacingTheReplyTimerMovesTheDisputeExactlyOnce() throws Exception {
        raceMany(new MerchantAnswer(MerchantDecision.ACCEPT, null, "同意退款", null));
    }

    private void raceMany(MerchantAnswer answer) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < DISPUTES; i++) {
            ids.add(given.open(AMOUNT_FEN, Reason.INVALID_CARD_KEY).id());
        }
        given.moveClock(Duration.ofHours(48).plusMinutes(1));

        Random jitter = new Random(20240917L);
        Map<String, Integer> tally = new TreeMap<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            String instanceId = given.instance(id).getId();
            Job timer = management.createJobQuery().processInstanceId(instanceId)
                    .activityId(Element.TIMER_MERCHANT_REPLY_DUE).singleResult();
            assertThat(timer).as("reply timer of %s", id).isNotNull();
            assertThat(timer.getDuedate()).isBeforeOrEqualTo(ClockUtil.getCurrentTime());

            // Start both together; a small random head start for one side or the other varies who gets there first.
            long answerDelayMicros = i % 2 == 0 ? jitter.nextInt(20_000) : 0;
            long timerDelayMicros = i % 2 == 1 ? jitter.nextInt(3_000) : 0;
            Race.Result sides = race.run(answerDelayMicros, () -> disputes.merchantResponse(MERCHANT1, id, answer),
                    timerDelayMicros, () -> management.executeJob(timer.getId()));

            String result = checkExactlyOneWon(id, instanceId, answer, sides.first(), sides.second());
            tally.merge(result, 1, Integer::sum);
        }
        System.out.println("[" + getClass().getSimpleName() + "] " + answer.decision() + " races: " + tally);
        assertThat(tally.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(DISPUTES);
    }

    private String checkExactlyOneWon(String id, String instanceId, MerchantAnswer answer, Throwable answered,
            Throwable timed) {
        Dispute d = given.get(id);
        List<String> events = timeline.of(id).stream().map(Timeline.Entry::event).toList();
        List<String> notified = outbox.forDispute(id).stream().map(Notification::event).toList();
        String context = "dispute " + id + ": answer " + describe(answered) + ", timer " + describe(timed)
                + ", timeline " + events;

        assertThat((answered == null) ^ (timed == null)).as("exactly one side wins; " + context).isTrue();
        assertThat(runtime.createEventSubscriptionQuery().processInstanceId(instanceId).list())
                .as("no merchant-answer subscription is left; " + context)
                .noneMatch(s -> List.of(Message.MERCHANT_ACCEPTED, Message.MERCHANT_REFUSED,
                        Message.MERCHANT_OFFERED_PARTIAL_REFUND, Message.MERCHANT_SENT_REPLACEMENT)
                        .contains(s.getEventName()));
        assertThat(management.createJobQuery().processInstanceId(instanceId)
                .activityId(Element.TIMER_MERCHANT_REPLY_DUE).count())
                .as("the reply timer is gone, not left to fire again; " + context).isZero();
        assertThat(management.createJobQuery().processInstanceId(instanceId).withException().count())
                .as("no job carries a failure; " + context).isZero();
        assertThat(runtime.createIncidentQuery().processInstanceId(instanceId).count()).as(context).isZero();
        assertThat(jdbc.sql("select kind from dispute_deadline where dispute_id = ?").param(id)
                .query(String.class).list()).as("the reply deadline is cleared; " + context)
                .doesNotContain("MERCHANT_REPLY");

        if (answered == null) {
            // The loser is the timer: its transaction ran into the answer's changes and was rolled back. How it
            // fails depends on when it looked: OptimisticLockingException at its flush (usually), "No job found"
            // if the answer had already committed, or (seen on PostgreSQL) an NPE inside the engine when it read
            // the execution tree half before and half after the answer's commit. What matters is what follows:
            // nothing of the timer's was written (below) and its job is gone, not left to retry or to an incident.
            assertThat(timed).as("the timer lost; " + context).isInstanceOf(Exception.class);
            assertThat(events).as(context).doesNotContain("MERCHANT_SILENT");
            assertThat(notified).as(context).doesNotContain("MERCHANT_SILENT");
            assertThat(d.merchantMessage()).as(context).isEqualTo(answer.message());
            if (answer.decision() == MerchantDecision.REFUSE) {
                assertThat(d.merchantDecision()).as(context).isEqualTo(MerchantReply.REFUSE);
                assertThat(d.status()).as(context).isEqualTo(DisputeStatus.MERCHANT_REFUSED);
                assertThat(d.approvedAmountFen()).as(context).isNull();
                assertThat(events).as(context)
                        .containsExactly("OPENED", "MERCHANT_NOTIFIED", "MERCHANT_REFUSE", "CUSTOMER_MAY_FILE");
                assertThat(Tokens.of(runtime, instanceId)).as(context)
                        .containsExactly(Element.EVENT_GATEWAY_CUSTOMER_NEXT_STEP);
                assertThat(jobActivities(instanceId)).as(context).containsExactly(Element.TIMER_CUSTOMER_INACTIVE);
            } else {
                assertThat(d.merchantDecision()).as(context).isEqualTo(MerchantReply.ACCEPT);
                assertThat(d.status()).as(context).isEqualTo(DisputeStatus.REFUNDING);
                assertThat(d.approvedAmountFen()).as(context).isEqualTo(AMOUNT_FEN);
                assertThat(events).as(context).containsExactly("OPENED", "MERCHANT_NOTIFIED", "MERCHANT_ACCEPT",
                        "REFUND_APPROVED", "REFUND_STARTED");
                assertThat(Tokens.of(runtime, instanceId)).as(context)
                        .containsExactly(Element.SERVICE_TASK_REQUEST_REFUND);
                assertThat(jobActivities(instanceId)).as(context).containsExactly(Element.SERVICE_TASK_REQUEST_REFUND);
                assertThat(jdbc.sql("select count(*) from refund where dispute_id = ?").param(id)
                        .query(Integer.class).single()).as(context).isEqualTo(1);
            }
            return "answer won (timer: " + loss(timed) + ")";
        }

        // The timer won: the answer must be a 409 that wrote nothing.
        assertThat(answered).as("the answer lost with a 409; " + context)
                .isInstanceOf(WrongState.class);
        assertThat(d.status()).as(context).isEqualTo(DisputeStatus.MERCHANT_REFUSED);
        assertThat(d.merchantDecision()).as("no decision recorded from the answer; " + context).isEqualTo(MerchantReply.NO_ANSWER);
        assertThat(d.merchantMessage()).as(context).isNull();
        assertThat(d.approvedAmountFen()).as("no approved amount; " + context).isNull();
        assertThat(events).as("no timeline entry from the answer; " + context)
                .containsExactly("OPENED", "MERCHANT_NOTIFIED", "MERCHANT_SILENT", "CUSTOMER_MAY_FILE");
        assertThat(notified).as(context).noneMatch(e -> e.startsWith("MERCHANT_ACCEPT") || e.equals("MERCHANT_REFUSE"));
        assertThat(jdbc.sql("select count(*) from refund where dispute_id = ?").param(id).query(Integer.class).single())
                .as(context).isZero();
        assertThat(Tokens.of(runtime, instanceId)).as("one token; " + context)
                .containsExactly(Element.EVENT_GATEWAY_CUSTOMER_NEXT_STEP);
        assertThat(jobActivities(instanceId)).as(context).containsExactly(Element.TIMER_CUSTOMER_INACTIVE);
        return answered.getMessage().contains("reply window has closed")
                ? "timer won (answer: 409 at correlation)" : "timer won (answer: 409 at the status check)";
    }

    private List<String> jobActivities(String instanceId) {
        return management.createJobQuery().processInstanceId(instanceId).list().stream()
                .map(this::activityOf).toList();
    }

    private String activityOf(Job job) {
        return management.createJobDefinitionQuery().jobDefinitionId(job.getJobDefinitionId()).singleResult()
                .getActivityId();
    }

    /** The kind of failure, for the tally: OptimisticLockingException, "No job found", ... */
    static String loss(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        return failure.getClass().getSimpleName() + (message.contains("No job found") ? " (no job found)" : "");
    }

    private static String describe(Throwable failure) {
        return failure == null ? "succeeded" : "failed with " + failure;
    }
}
