package cn.kameng.refunddesk.robustness;

import static cn.kameng.refunddesk.support.TestDisputes.BUYER1;
import static cn.kameng.refunddesk.support.TestDisputes.MERCHANT1;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

import cn.kameng.refunddesk.calendar.Deadlines;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.Notification;
import cn.kameng.refunddesk.dispute.NotificationOutbox;
import cn.kameng.refunddesk.dispute.Outcome;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.dispute.Timeline;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;
import cn.kameng.refunddesk.process.ProcessIds.Element;
import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.refund.Refund;
import cn.kameng.refunddesk.refund.RefundRecords;
import cn.kameng.refunddesk.refund.RefundState;
import cn.kameng.refunddesk.support.RestartableService;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;
import cn.kameng.refunddesk.workflow.DisputeService;

/**
 * The service is stopped and started again while a dispute waits: first with a review task and its
 * escalation timer pending, then with the refund sent and its arrival timer pending. Each start is
 * a new Spring context (a new engine, a new pool) on the same H2 file under target/; what the
 * customer, the reviewer and the timers rely on must all be there, and the dispute must finish.
 */
class RestartMidDisputeTest {

    private static final long AMOUNT_FEN = 5000;

    @RegisterExtension
    final RestartableService service = new RestartableService();

    private void restart() {
        service.restart();
    }

    private <T> T bean(Class<T> type) {
        return service.bean(type);
    }

    @Test
    void aDisputeWaitingForReviewAndThenForTheRefundSurvivesTwoRestartsAndIsRefunded() {
        service.start();
        TestDisputes given = bean(TestDisputes.class);
        String orderId = given.order(AMOUNT_FEN, PaymentChannel.ALIPAY, ProductCategory.CARD_KEY, 1, "SUCCEED");
        String id = given.open(orderId, Reason.INVALID_CARD_KEY).id();
        bean(DisputeService.class).merchantResponse(MERCHANT1, id,
                new MerchantAnswer(MerchantDecision.REFUSE, null, "卡密发货时有效", null));
        given.bringRequiredEvidence(id);
        bean(DisputeService.class).formalRequest(BUYER1, id, "卡密显示已被使用，附截图");

        Snapshot underReview = snapshot(id);
        assertThat(underReview.dispute().status()).isEqualTo(DisputeStatus.UNDER_REVIEW);
        assertThat(underReview.tokens()).containsExactly(Element.USER_TASK_REVIEW);
        assertThat(underReview.tasks()).singleElement().satisfies(t -> {
            assertThat(t.key()).isEqualTo(ProcessIds.Task.REVIEW_REFUND_REQUEST);
            assertThat(t.due()).isNotNull();
            assertThat(t.candidateGroups()).containsExactly("reviewers");
            assertThat(t.formFacts()).containsEntry("disputeId", id);
            assertThat(t.localVariables()).as("the form reads the dispute; nothing is copied onto the task").isEmpty();
        });
        assertThat(underReview.jobs()).singleElement()
                .satisfies(j -> assertThat(j.activity()).isEqualTo(Element.TIMER_REVIEW_ESCALATION));
        assertThat(underReview.deadlines()).containsKeys("REVIEW", "REVIEW_ESCALATION");

        restart();

        assertThat(snapshot(id)).as("everything the dispute was waiting with is back after the restart")
                .isEqualTo(underReview);
        assertThat(bean(RepositoryService.class).createProcessDefinitionQuery()
                .processDefinitionKey(ProcessIds.PROCESS_REFUND_DISPUTE).count())
                .as("the unchanged model is not deployed again").isEqualTo(1);

        // The escalation timer fires in the new engine: three working days passed without a review.
        given = bean(TestDisputes.class);
        JobView escalation = underReview.jobs().get(0);
        ClockUtil.setCurrentTime(Date.from(escalation.due().toInstant().plus(Duration.ofMinutes(1))));
        given.runDueJobs(id);
        Dispute escalated = given.get(id);
        assertThat(escalated.escalationAllowed()).isTrue();
        assertThat(events(id)).endsWith("REVIEW_OVERDUE", "ESCALATION_AVAILABLE");
        Task review = given.task(id, ProcessIds.Task.REVIEW_REFUND_REQUEST);
        assertThat(review.getId()).isEqualTo(underReview.tasks().get(0).id());
        assertThat(review.getPriority()).isGreaterThan(underReview.tasks().get(0).priority());

        // The reviewer approves in the new engine; the refund is sent.
        TaskService tasks = bean(TaskService.class);
        tasks.claim(review.getId(), "reviewer1");
        tasks.complete(review.getId(), Map.of(ProcessIds.Var.REVIEW_DECISION, "APPROVE",
                ProcessIds.Var.APPROVED_AMOUNT_FEN, AMOUNT_FEN, ProcessIds.Var.REVIEW_NOTE, "商家未能证明卡密有效"));
        assertThat(given.get(id).status()).isEqualTo(DisputeStatus.REFUNDING);
        given.runDueJobs(id);

        Snapshot refunding = snapshot(id);
        assertThat(refunding.tokens()).containsExactly(Element.EVENT_GATEWAY_REFUND_SETTLEMENT);
        assertThat(refunding.jobs()).singleElement()
                .satisfies(j -> assertThat(j.activity()).isEqualTo(Element.TIMER_REFUND_ARRIVAL_DUE));
        assertThat(refunding.subscriptions()).contains(ProcessIds.Message.REFUND_SETTLED);
        assertThat(refunding.refunds()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(RefundState.PROCESSING);
            assertThat(r.idempotencyKey()).matches(TestDisputes.refundKeyPattern(id, 1));
        });
        assertThat(gatewayRefunds(id)).isEqualTo(1);

        restart();

        assertThat(snapshot(id)).as("the refund under way and its arrival timer are back after the restart")
                .isEqualTo(refunding);

        // The gateway's notification arrives at the new instance; the customer confirms.
        given = bean(TestDisputes.class);
        assertThat(given.settleRefunds()).isEqualTo(1);
        assertThat(given.get(id).status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);
        bean(DisputeService.class).arrivalConfirmation(BUYER1, id, true, null);

        Dispute closed = given.get(id);
        assertThat(closed.status()).isEqualTo(DisputeStatus.CLOSED);
        assertThat(closed.outcome()).isEqualTo(Outcome.REFUNDED);
        assertThat(closed.approvedAmountFen()).isEqualTo(AMOUNT_FEN);
        assertThat(bean(RefundRecords.class).of(id)).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(RefundState.SUCCEEDED);
            assertThat(r.settledAmountFen()).isEqualTo(AMOUNT_FEN);
            assertThat(r.receivedAmountFen()).isEqualTo(AMOUNT_FEN);
        });
        assertThat(gatewayRefunds(id)).as("one refund at the gateway, across both restarts").isEqualTo(1);
        assertThat(events(id)).containsExactly("OPENED", "MERCHANT_NOTIFIED", "MERCHANT_REFUSE", "CUSTOMER_MAY_FILE",
                "FORMAL_REQUEST", "EVIDENCE_CHECKED", "UNDER_REVIEW", "REVIEW_OVERDUE", "ESCALATION_AVAILABLE",
                "REVIEW_APPROVED", "REFUND_APPROVED", "REFUND_STARTED", "REFUND_SUCCEEDED", "ARRIVAL_CONFIRMED",
                "RECEIVABLE_RECORDED", "CLOSED_REFUNDED"); // no deposit: the fund paid first (finance recovers it)
        assertThat(bean(RuntimeService.class).createProcessInstanceQuery().processInstanceBusinessKey(id)
                .processDefinitionKey(cn.kameng.refunddesk.process.ProcessIds.PROCESS_REFUND_DISPUTE).count()).isZero();
        assertThat(bean(ManagementService.class).createJobQuery().count()).isZero();
    }

    // ---- what a restart must not lose -------------------------------------------------------------

    record JobView(String id, String activity, Date due, int retries, String exception) {
    }

    record TaskView(String id, String key, String name, String assignee, Date due, Date created, int priority,
            List<String> candidateGroups, Map<String, Object> formFacts, Map<String, Object> localVariables) {
    }

    record Snapshot(Dispute dispute, List<Timeline.Entry> timeline, List<Notification> notifications,
            Map<String, java.time.Instant> deadlines, List<Refund> refunds, String processInstanceId,
            String processDefinitionId, List<String> tokens, Map<String, Object> variables,
            List<String> subscriptions, List<JobView> jobs, List<TaskView> tasks) {
    }

    private Snapshot snapshot(String id) {
        RuntimeService runtime = bean(RuntimeService.class);
        ManagementService management = bean(ManagementService.class);
        TaskService tasks = bean(TaskService.class);
        var instance = bean(TestDisputes.class).instance(id);
        List<JobView> jobs = management.createJobQuery().processInstanceId(instance.getId()).list().stream()
                .map(j -> new JobView(j.getId(), activityOf(management, j), j.getDuedate(), j.getRetries(),
                        j.getExceptionMessage()))
                .sorted(Comparator.comparing(JobView::id)).toList();
        List<TaskView> taskViews = tasks.createTaskQuery().processInstanceId(instance.getId()).list().stream()
                .map(t -> new TaskView(t.getId(), t.getTaskDefinitionKey(), t.getName(), t.getAssignee(), t.getDueDate(),
                        t.getCreateTime(), t.getPriority(),
                        tasks.getIdentityLinksForTask(t.getId()).stream().map(IdentityLink::getGroupId)
                                .filter(g -> g != null).sorted().toList(),
                        bean(TestDisputes.class).formFacts("admin", t.getId()),
                        new TreeMap<>(tasks.getVariablesLocal(t.getId()))))
                .sorted(Comparator.comparing(TaskView::id)).toList();
        return new Snapshot(bean(TestDisputes.class).get(id), bean(Timeline.class).of(id),
                bean(NotificationOutbox.class).forDispute(id), bean(Deadlines.class).of(id),
                bean(RefundRecords.class).of(id), instance.getId(), instance.getProcessDefinitionId(),
                Tokens.of(runtime, instance.getId()), new TreeMap<>(runtime.getVariables(instance.getId())),
                runtime.createEventSubscriptionQuery().processInstanceId(instance.getId()).list().stream()
                        .map(s -> s.getEventName() == null ? s.getEventType() : s.getEventName()).sorted().toList(),
                jobs, taskViews);
    }

    private static String activityOf(ManagementService management, Job job) {
        return management.createJobDefinitionQuery().jobDefinitionId(job.getJobDefinitionId()).singleResult()
                .getActivityId();
    }

    private List<String> events(String id) {
        return bean(Timeline.class).of(id).stream().map(Timeline.Entry::event).toList();
    }

    private int gatewayRefunds(String id) {
        return bean(JdbcClient.class).sql("select count(*) from sandbox_gateway_refund where idempotency_key like ?")
                .param(id + "-%").query(Integer.class).single();
    }
}
