package cn.kameng.refunddesk.workflow;

import static cn.kameng.refunddesk.support.TestDisputes.BUYER1;
import static cn.kameng.refunddesk.support.TestDisputes.MERCHANT1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.time.Duration;
import java.util.Date;
import java.util.Map;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.assertions.bpmn.AbstractAssertions;
import org.camunda.community.process_test_coverage.spring_test.platform7.ProcessEngineCoverageConfiguration;
import org.camunda.community.process_test_coverage.spring_test.platform7.ProcessEngineCoverageTestExecutionListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestExecutionListeners;

import cn.kameng.refunddesk.calendar.WorkingDays;
import cn.kameng.refunddesk.complaint.ComplaintService;
import cn.kameng.refunddesk.dispute.ComplaintChannel;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.DomainException.WrongState;
import cn.kameng.refunddesk.dispute.DomainException;
import cn.kameng.refunddesk.dispute.Outcome;
import cn.kameng.refunddesk.dispute.Party;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;
import cn.kameng.refunddesk.process.ProcessIds.Element;
import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.refund.RefundRecords;
import cn.kameng.refunddesk.refund.RefundState;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;

/**
 * Every path through refund-dispute.bpmn, external-complaint.bpmn and appeal.bpmn, with time moved by ClockUtil
 * and jobs run explicitly. The coverage listener fails the class unless every flow node and sequence
 * flow is covered (target/process-test-coverage shows the report).
 */
@DisputeServiceTest
@Import({ProcessEngineCoverageConfiguration.class, RefundDisputeScenarioTest.FullCoverage.class})
@TestExecutionListeners(value = ProcessEngineCoverageTestExecutionListener.class,
        mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
class RefundDisputeScenarioTest {

    /** The class fails unless every flow node and sequence flow of the processes it ran is covered. */
    @org.springframework.boot.test.context.TestConfiguration
    static class FullCoverage {
        @org.springframework.context.annotation.Bean
        @org.springframework.context.annotation.Primary
        org.camunda.community.process_test_coverage.spring_test.common.ProcessEngineCoverageProperties fullCoverage() {
            return org.camunda.community.process_test_coverage.spring_test.common.ProcessEngineCoverageProperties
                    .Companion.builder().assertClassCoverageAtLeast(1.0).build();
        }
    }

    @Autowired ProcessEngine engine;
    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired ComplaintService complaints;
    @Autowired TaskService tasks;
    @Autowired ManagementService management;
    @Autowired RefundRecords refunds;
    @Autowired cn.kameng.refunddesk.appeal.Appeals appeals;
    @Autowired cn.kameng.refunddesk.ledger.DepositLedger ledger;

    @BeforeEach
    void setUp() {
        AbstractAssertions.init(engine);
        ClockUtil.setCurrentTime(new Date());
    }

    @AfterEach
    void resetClock() {
        ClockUtil.reset();
    }

    private ProcessInstance process(Dispute d) {
        return historyInstance(d.id());
    }

    private ProcessInstance historyInstance(String disputeId) {
        String id = given.lastInstanceId(disputeId);
        ProcessInstance running = engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(id)
                .singleResult();
        return running != null ? running : new EndedInstance(id, disputeId);
    }

    @Test
    void aBuyerFaultClaimIsRecordedAndClosedAsIneligibleWithTheReason() {
        Dispute d = given.open(2500, Reason.MISTAKEN_PURCHASE);

        Dispute closed = given.get(d.id());
        assertThat(closed.status()).isEqualTo(DisputeStatus.CLOSED);
        assertThat(closed.outcome()).isEqualTo(Outcome.INELIGIBLE);
        assertThat(closed.outcomeReason()).contains("误购");
        assertThat(process(d)).hasPassed(Element.SERVICE_TASK_CLOSE_INELIGIBLE, Element.END_CLOSED_WITHOUT_REFUND)
                .isEnded();
    }

    @Test
    void aClaimAfterItsCategorysRefundWindowIsRefusedWithTheWindowInTheReason() {
        // Card keys: 7 days after delivery. Exactly 7 × 24 h is still inside; one hour later is the 8th day.
        Dispute inTime = given.open(given.order(2500, PaymentChannel.ALIPAY, ProductCategory.CARD_KEY, 7, "SUCCEED"),
                Reason.INVALID_CARD_KEY);
        assertThat(given.get(inTime.id()).status()).isEqualTo(DisputeStatus.AWAITING_MERCHANT);

        String lateCardKey = given.order(2500, PaymentChannel.ALIPAY, ProductCategory.CARD_KEY, 7, "SUCCEED");
        String gameAccount = given.order(2500, PaymentChannel.ALIPAY, ProductCategory.GAME_ACCOUNT, 15, "SUCCEED");
        String lateGameAccount = given.order(2500, PaymentChannel.ALIPAY, ProductCategory.GAME_ACCOUNT, 15, "SUCCEED");
        Dispute accountInTime = given.open(gameAccount, Reason.ACCOUNT_UNUSABLE);
        given.moveClock(Duration.ofHours(1));
        Dispute late = given.open(lateCardKey, Reason.INVALID_CARD_KEY);
        Dispute accountLate = given.open(lateGameAccount, Reason.ACCOUNT_UNUSABLE);

        assertClosed(late, Outcome.INELIGIBLE);
        assertThat(given.get(late.id()).outcomeReason()).contains("7天");
        assertThat(given.get(accountInTime.id()).status()).isEqualTo(DisputeStatus.AWAITING_MERCHANT);
        assertClosed(accountLate, Outcome.INELIGIBLE);
        assertThat(given.get(accountLate.id()).outcomeReason()).contains("15天");
        assertThat(given.gatewayRefunds(late.orderId()) + given.gatewayRefunds(lateGameAccount)).isZero();
    }

    @Test
    void aDuplicateChargeSkipsTheMerchantAndIsRefundedByThePlatform() {
        Dispute d = given.open(2500, Reason.DUPLICATE_CHARGE);

        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.REFUNDING);
        assertThat(process(d)).isWaitingAt(Element.SERVICE_TASK_REQUEST_REFUND)
                .hasNotPassed(Element.SERVICE_TASK_NOTIFY_MERCHANT);
        given.runDueJobs(d.id());
        assertThat(process(d)).isWaitingAt(Element.EVENT_GATEWAY_REFUND_SETTLEMENT);
        assertThat(given.settleRefunds()).isEqualTo(1);
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);

        disputes.arrivalConfirmation(BUYER1, d.id(), true, null);

        Dispute closed = given.get(d.id());
        assertThat(closed.outcome()).isEqualTo(Outcome.REFUNDED);
        assertThat(refunds.of(d.id())).singleElement().satisfies(r -> {
            assertThat(r.amountFen()).isEqualTo(2500);
            assertThat(r.idempotencyKey()).matches(TestDisputes.refundKeyPattern(d.id(), 1));
        });
        assertThat(process(d)).hasPassed(Element.SERVICE_TASK_CLOSE_REFUNDED).isEnded();
    }

    // ------------------------------------------------------------------ helpers

    private static final long THRESHOLD = 100000;

    private Task taskOf(Dispute d, String key) {
        Task task = given.task(d.id(), key);
        assertThat(task).as("task %s of %s", key, d.id()).isNotNull();
        return task;
    }

    /** Claims and completes a task as a signed-in user, as Tasklist does. */
    private void completeAs(String user, Task task, Map<String, Object> variables) {
        tasks.setAssignee(task.getId(), user);
        java.util.List<String> groups = engine.getIdentityService().createGroupQuery().groupMember(user).list().stream()
                .map(org.camunda.bpm.engine.identity.Group::getId).toList();
        engine.getIdentityService().setAuthentication(user, groups);
        try {
            tasks.complete(task.getId(), variables);
        } finally {
            engine.getIdentityService().clearAuthentication();
        }
    }

    private void refuse(Dispute d) {
        disputes.merchantResponse(MERCHANT1, d.id(), new MerchantAnswer(MerchantDecision.REFUSE, null, "卡密已被使用", null));
    }

    private void refundSettlesAndArrives(Dispute d) {
        given.runDueJobs(d.id());
        assertThat(given.settleRefunds()).isEqualTo(1);
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);
        disputes.arrivalConfirmation(BUYER1, d.id(), true, null);
    }

    private void intervene(Dispute d) {
        refuse(d);
        disputes.intervention(BUYER1, d.id(), "商家拒绝，申请平台介入");
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.IN_ARBITRATION);
    }

    private void merchantBringsProof(Dispute d) {
        given.addEvidence(d.id(), "merchant1", "MERCHANT", "USAGE_LOG");
        disputes.merchantProof(TestDisputes.MERCHANT1, d.id(), "使用记录已上传");
    }

    private void assertClosed(Dispute d, Outcome outcome) {
        Dispute closed = given.get(d.id());
        assertThat(closed.status()).isEqualTo(DisputeStatus.CLOSED);
        assertThat(closed.outcome()).isEqualTo(outcome);
        assertThat(closed.closedAt()).isNotNull();
    }

    // ------------------------------------------------------------------ step 1: the merchant

    @Test
    void merchantAcceptsInFullAndTheDisputeClosesItselfSevenDaysAfterTheRefundSucceeded() {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        assertThat(process(d)).isWaitingAt(Element.EVENT_GATEWAY_MERCHANT_ANSWER);
        assertThat(given.deadlines(d.id())).containsKey("MERCHANT_REPLY");

        disputes.merchantResponse(MERCHANT1, d.id(), new MerchantAnswer(MerchantDecision.ACCEPT, null, "同意退款", null));
        given.runDueJobs(d.id());
        given.settleRefunds();
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);

        given.moveClock(Duration.ofDays(7).plusMinutes(1));
        given.runDueJobs(d.id());

        assertClosed(d, Outcome.REFUNDED);
        assertThat(process(d)).hasPassed(Element.TIMER_AUTO_CLOSE, Element.SERVICE_TASK_CLOSE_REFUNDED).isEnded();
    }

    /** merchant1 has no deposit: the fund paid first, finance recovers a part, the task comes back, the rest is written off. */
    @Test
    void whatTheFundPaidFirstIsRecoveredInPartsOrWrittenOffByFinance() {
        Dispute d = given.open(2000, Reason.INVALID_CARD_KEY);
        disputes.merchantResponse(MERCHANT1, d.id(), new MerchantAnswer(MerchantDecision.ACCEPT, null, "同意退款", null));
        refundSettlesAndArrives(d);
        assertClosed(d, Outcome.REFUNDED);

        completeAs("finance1", taskOf(d, ProcessIds.Task.RECOVER_RECEIVABLE), Map.of(
                ProcessIds.Var.RECOVERY_DECISION, "RECOVERED", ProcessIds.Var.RECOVERED_AMOUNT_FEN, 500L));
        completeAs("finance1", taskOf(d, ProcessIds.Task.RECOVER_RECEIVABLE), Map.of(
                ProcessIds.Var.RECOVERY_DECISION, "WRITTEN_OFF", ProcessIds.Var.RECOVERY_NOTE, "商家已注销"));
        assertThat(given.task(d.id(), ProcessIds.Task.RECOVER_RECEIVABLE)).isNull();
        assertThat(given.timeline(d.id())).containsSubsequence("RECEIVABLE_RECORDED", "CLOSED_REFUNDED");
    }

    /** merchant1 pays everything it owes back by its account, outside finance's task: the task ends by itself. */
    @Test
    void whatTheFundPaidFirstAndTheMerchantPaidBackByItsAccountEndsFinancesTaskByItself() {
        Dispute d = given.open(1800, Reason.INVALID_CARD_KEY);
        disputes.merchantResponse(MERCHANT1, d.id(), new MerchantAnswer(MerchantDecision.ACCEPT, null, "同意退款", null));
        refundSettlesAndArrives(d);
        assertThat(taskOf(d, ProcessIds.Task.RECOVER_RECEIVABLE)).isNotNull();

        ledger.recover("merchant1", ledger.balances("merchant1").receivableFen(), "商家转账结清", "finance1");

        assertThat(given.task(d.id(), ProcessIds.Task.RECOVER_RECEIVABLE)).isNull();
        assertThat(engine.getHistoryService().createHistoricActivityInstanceQuery()
                .activityId(Element.END_RECEIVABLE_CLEARED_ELSEWHERE).list())
                .anySatisfy(a -> assertThat(engine.getHistoryService().createHistoricProcessInstanceQuery()
                        .processInstanceId(a.getProcessInstanceId()).singleResult().getBusinessKey()).isEqualTo(d.id()));
    }

    /** The buyer withdrew the complaint at WeChat Pay: our complaint task ends, the dispute carries on. */
    @Test
    void aComplaintClosedAtTheChannelEndsItsTaskAndTheDisputeCarriesOn() {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        refuse(d);
        var complaint = complaints.receive(ComplaintChannel.WECHAT_PAY, "WX-C-" + d.id(), d.orderId(), "卡密无效").complaint();
        assertThat(given.complaintTask(complaint.id())).isNotNull();

        assertThat(complaints.closeAtChannel(complaint.id(), "wechatpay-complaint-v2", "PROCESSED")).isTrue();
        assertThat(complaints.closeAtChannel(complaint.id(), "wechatpay-complaint-v2", "PROCESSED")).as("once").isFalse();

        assertThat(given.complaintTask(complaint.id())).isNull();
        assertThat(given.complaintStatus(complaint.id())).isEqualTo("CLOSED_AT_CHANNEL");
        assertThat(engine.getHistoryService().createHistoricActivityInstanceQuery()
                .activityId(Element.END_COMPLAINT_CLOSED_AT_CHANNEL).count()).isPositive();
        assertThat(given.get(d.id()).status()).as("the dispute carries on").isNotEqualTo(DisputeStatus.CLOSED);
    }

    @Test
    void aPartialOfferTheCustomerAcceptsRefundsThatAmount() {
        Dispute d = given.open(5000, Reason.NOT_AS_DESCRIBED);
        disputes.merchantResponse(MERCHANT1, d.id(), new MerchantAnswer(MerchantDecision.ACCEPT, 3000L, "部分退款", null));
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.AWAITING_OFFER_RESPONSE);

        disputes.offerResponse(BUYER1, d.id(), true);
        refundSettlesAndArrives(d);

        assertClosed(d, Outcome.PARTIALLY_REFUNDED);
        assertThat(given.get(d.id()).approvedAmountFen()).isEqualTo(3000L);
        assertThat(refunds.of(d.id())).singleElement().satisfies(r -> assertThat(r.amountFen()).isEqualTo(3000));
    }

    @Test
    void aDeclinedOfferMovesOnAndACustomerWhoThenDoesNothingForSevenDaysAbandons() {
        Dispute d = given.open(5000, Reason.NOT_AS_DESCRIBED);
        disputes.merchantResponse(MERCHANT1, d.id(), new MerchantAnswer(MerchantDecision.ACCEPT, 1000L, "部分退款", null));
        disputes.offerResponse(BUYER1, d.id(), false);
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.MERCHANT_REFUSED);
        assertThat(process(d)).isWaitingAt(Element.EVENT_GATEWAY_CUSTOMER_NEXT_STEP);

        given.moveClock(Duration.ofDays(7).plusMinutes(1));
        given.runDueJobs(d.id());

        assertClosed(d, Outcome.ABANDONED);
        assertThat(process(d)).hasPassed(Element.TIMER_CUSTOMER_INACTIVE, Element.SERVICE_TASK_CLOSE_ABANDONED);
    }

    @Test
    void anOfferLeftUnansweredForSevenDaysIsAbandoned() {
        Dispute d = given.open(5000, Reason.NOT_AS_DESCRIBED);
        disputes.merchantResponse(MERCHANT1, d.id(), new MerchantAnswer(MerchantDecision.ACCEPT, 1000L, "部分退款", null));

        given.moveClock(Duration.ofDays(7).plusMinutes(1));
        given.runDueJobs(d.id());

        assertClosed(d, Outcome.ABANDONED);
        assertThat(process(d)).hasPassed(Element.TIMER_OFFER_RESPONSE_DUE);
    }

    @Test
    void aReplacementThatWorksClosesTheDisputeAsReplaced() {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        disputes.merchantResponse(MERCHANT1, d.id(), new MerchantAnswer(MerchantDecision.REPLACE, null, "已补发", "NEW-KEY-1"));
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.AWAITING_REPLACEMENT_CONFIRMATION);

        disputes.replacementConfirmation(BUYER1, d.id(), true);

        assertClosed(d, Outcome.REPLACED);
        assertThat(refunds.of(d.id())).isEmpty();
    }

    @Test
    void aReplacementTheCustomerDoesNotAnswerForSevenDaysCountsAsWorking() {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        disputes.merchantResponse(MERCHANT1, d.id(), new MerchantAnswer(MerchantDecision.REPLACE, null, "已补发", "NEW-KEY-2"));

        given.moveClock(Duration.ofDays(7).plusMinutes(1));
        given.runDueJobs(d.id());

        assertClosed(d, Outcome.REPLACED);
        assertThat(process(d)).hasPassed(Element.TIMER_REPLACEMENT_CONFIRMATION_DUE);
    }

    // ------------------------------------------------------------------ step 2: formal request and review

    @Test
    void aSilentMerchantIsPassedAfter48HoursAndTheReviewerApprovesTheFormalRequest() {
        Dispute d = given.open(2500, Reason.NOT_DELIVERED);
        given.moveClock(Duration.ofHours(47));
        given.runDueJobs(d.id());
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.AWAITING_MERCHANT);

        given.moveClock(Duration.ofHours(1).plusMinutes(1));
        given.runDueJobs(d.id());
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.MERCHANT_REFUSED);
        assertThat(process(d)).hasPassed(Element.TIMER_MERCHANT_REPLY_DUE, Element.SERVICE_TASK_RECORD_MERCHANT_SILENCE);

        given.bringRequiredEvidence(d.id());

        disputes.formalRequest(BUYER1, d.id(), "商家未发货");
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.UNDER_REVIEW);
        Task review = taskOf(d, ProcessIds.Task.REVIEW_REFUND_REQUEST);
        assertThat(review.getDueDate()).isEqualTo(Date.from(given.deadlines(d.id()).get("REVIEW")));
        assertThat(tasks.getVariablesLocal(review.getId())).as("no copies of the case on the task").isEmpty();
        assertThat(given.formFacts("reviewer1", review.getId())).containsEntry("orderId", d.orderId())
                .containsEntry("description", given.get(d.id()).description())
                .containsKeys("paidAmountYuan", "timelineSummary", "evidenceLinks", "evidenceChecks", "merchantAnswer");

        completeAs("reviewer1", review, Map.of(ProcessIds.Var.REVIEW_DECISION, "APPROVE",
                ProcessIds.Var.APPROVED_AMOUNT_FEN, 2500, ProcessIds.Var.REVIEW_NOTE, "商家未发货，同意"));
        refundSettlesAndArrives(d);

        assertClosed(d, Outcome.REFUNDED);
    }

    @Test
    void aReviewCompletionThatBreaksTheRulesFailsAndLeavesTheTaskOpen() {
        Dispute d = given.open(2500, Reason.NOT_DELIVERED);
        refuse(d);
        given.bringRequiredEvidence(d.id());
        disputes.formalRequest(BUYER1, d.id(), "申请退款");
        Task review = taskOf(d, ProcessIds.Task.REVIEW_REFUND_REQUEST);

        assertThatThrownBy(() -> completeAs("reviewer1", review, Map.of(ProcessIds.Var.REVIEW_DECISION, "APPROVE",
                ProcessIds.Var.APPROVED_AMOUNT_FEN, 999999, ProcessIds.Var.REVIEW_NOTE, "x")))
                .hasMessageContaining("approvedAmountFen");
        assertThatThrownBy(() -> completeAs("reviewer1", review, Map.of(ProcessIds.Var.REVIEW_DECISION, "REJECT")))
                .hasMessageContaining("reviewNote");

        assertThat(given.task(d.id(), ProcessIds.Task.REVIEW_REFUND_REQUEST)).isNotNull();
        assertThat(given.get(d.id()).approvedAmountFen()).isNull();
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.UNDER_REVIEW);
    }

    @Test
    void aReviewUntouchedForThreeWorkingDaysEscalatesAndOnlyThenMayTheCustomerAskForIntervention() {
        ClockUtil.setCurrentTime(Date.from(java.time.ZonedDateTime.of(2026, 12, 2, 10, 0, 0, 0,
                cn.kameng.refunddesk.calendar.WorkingDays.BEIJING).toInstant())); // a Wednesday
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        refuse(d);
        given.bringRequiredEvidence(d.id());
        disputes.formalRequest(BUYER1, d.id(), "卡密无效");
        int priority = taskOf(d, ProcessIds.Task.REVIEW_REFUND_REQUEST).getPriority();

        assertThatThrownBy(() -> disputes.escalation(BUYER1, d.id(), "太慢了"))
                .isInstanceOf(WrongState.class).hasMessageContaining("3 working days");

        // Wednesday 10:00 + 3 working days = Monday 10:00 (the weekend does not count)
        assertThat(given.deadlines(d.id()).get("REVIEW_ESCALATION")).isEqualTo(java.time.ZonedDateTime.of(2026, 12, 7,
                10, 0, 0, 0, cn.kameng.refunddesk.calendar.WorkingDays.BEIJING).toInstant());
        given.moveClock(Duration.ofDays(5).plusMinutes(1));
        given.runDueJobs(d.id());

        assertThat(process(d)).hasPassed(Element.TIMER_REVIEW_ESCALATION, Element.SERVICE_TASK_ESCALATE_REVIEW)
                .isWaitingAt(Element.USER_TASK_REVIEW);
        assertThat(taskOf(d, ProcessIds.Task.REVIEW_REFUND_REQUEST).getPriority()).isGreaterThan(priority);
        assertThat(given.get(d.id()).escalationAllowed()).isTrue();
        assertThat(given.deadlines(d.id())).as("the escalation point has passed; the review stays due")
                .containsOnlyKeys("REVIEW");

        disputes.escalation(BUYER1, d.id(), "审核超时，申请升级");

        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.IN_ARBITRATION);
        assertThat(process(d)).hasPassed(Element.MESSAGE_ESCALATION_REQUESTED, Element.SERVICE_TASK_OPEN_INTERVENTION);
        assertThat(given.task(d.id(), ProcessIds.Task.REVIEW_REFUND_REQUEST)).isNull();
    }

    @Test
    void aRejectedRequestTheCustomerDoesNotTakeFurtherClosesAsRejected() {
        Dispute d = given.open(2500, Reason.OTHER);
        refuse(d);
        given.bringRequiredEvidence(d.id());
        disputes.formalRequest(BUYER1, d.id(), "申请退款");
        completeAs("reviewer1", taskOf(d, ProcessIds.Task.REVIEW_REFUND_REQUEST), Map.of(
                ProcessIds.Var.REVIEW_DECISION, "REJECT", ProcessIds.Var.REVIEW_NOTE, "证据不足"));
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.REVIEW_REJECTED);

        given.moveClock(Duration.ofDays(7).plusMinutes(1));
        given.runDueJobs(d.id());

        assertClosed(d, Outcome.REJECTED);
        assertThat(given.get(d.id()).outcomeReason()).isEqualTo("证据不足");
        assertThat(process(d)).hasPassed(Element.TIMER_REJECTION_ACCEPTED, Element.SERVICE_TASK_CLOSE_REJECTED_AFTER_REVIEW);
    }

    // ------------------------------------------------------------------ step 3: intervention and arbitration

    @Test
    void aMerchantThatBringsNoProofIsShownToTheArbiterAsFailingItsBurdenAndEvidenceRequestsComeBack() {
        Dispute d = given.open(200000, Reason.INVALID_CARD_KEY);
        refuse(d);
        given.bringRequiredEvidence(d.id());
        disputes.formalRequest(BUYER1, d.id(), "卡密无效");
        completeAs("reviewer1", taskOf(d, ProcessIds.Task.REVIEW_REFUND_REQUEST), Map.of(
                ProcessIds.Var.REVIEW_DECISION, "REJECT", ProcessIds.Var.REVIEW_NOTE, "需平台仲裁"));
        disputes.intervention(BUYER1, d.id(), "不服驳回");
        assertThat(process(d)).hasPassed(Element.SERVICE_TASK_OPEN_INTERVENTION).isWaitingAt(Element.EVENT_GATEWAY_MERCHANT_PROOF);

        given.moveClock(Duration.ofHours(48).plusMinutes(1));
        given.runDueJobs(d.id());

        assertThat(given.get(d.id()).merchantProofMissing()).isTrue();
        Task arbitrate = taskOf(d, ProcessIds.Task.ARBITRATE_DISPUTE);
        assertThat((String) given.formFacts("arbiter1", arbitrate.getId()).get("burdenOfProofNote")).contains("商家举证不能");

        completeAs("arbiter1", arbitrate, Map.of(ProcessIds.Var.RULING, "REQUEST_EVIDENCE",
                ProcessIds.Var.EVIDENCE_FROM, "MERCHANT", ProcessIds.Var.RULING_REASON, "请商家提供使用记录"));
        assertThat(given.get(d.id()).evidenceRequestedFrom()).isEqualTo(Party.MERCHANT);
        assertThatThrownBy(() -> disputes.additionalEvidence(BUYER1, d.id(), "我也补充"))
                .isInstanceOf(DomainException.class);
        given.addEvidence(d.id(), "merchant1", "MERCHANT", "USAGE_LOG");
        disputes.merchantProof(MERCHANT1, d.id(), "已补充使用记录");
        assertThat(process(d)).hasPassed(Element.SERVICE_TASK_REQUEST_ADDITIONAL_EVIDENCE)
                .isWaitingAt(Element.USER_TASK_ARBITRATE);
        // The merchant has now brought proof: the next arbiter is no longer told it failed its burden.
        assertThat(given.get(d.id()).merchantProofMissing()).isFalse();
        assertThat((String) given.formFacts("arbiter1", taskOf(d, ProcessIds.Task.ARBITRATE_DISPUTE).getId())
                .get("burdenOfProofNote")).isEmpty();

        completeAs("arbiter1", taskOf(d, ProcessIds.Task.ARBITRATE_DISPUTE), Map.of(ProcessIds.Var.RULING,
                "REQUEST_EVIDENCE", ProcessIds.Var.EVIDENCE_FROM, "CUSTOMER", ProcessIds.Var.RULING_REASON, "请买家补充截图"));
        given.moveClock(Duration.ofHours(48).plusMinutes(1));
        given.runDueJobs(d.id());
        assertThat(process(d)).hasPassed(Element.TIMER_ADDITIONAL_EVIDENCE_DUE).isWaitingAt(Element.USER_TASK_ARBITRATE);

        completeAs("arbiter1", taskOf(d, ProcessIds.Task.ARBITRATE_DISPUTE), Map.of(ProcessIds.Var.RULING, "REJECT",
                ProcessIds.Var.RULING_REASON, "买家未能补充证据"));
        Task approval = taskOf(d, ProcessIds.Task.APPROVE_RULING);
        assertThatThrownBy(() -> completeAs("arbiter1", approval, Map.of(ProcessIds.Var.RULING_APPROVED, true)))
                .hasMessageContaining("four-eyes");
        completeAs("senior1", approval, Map.of(ProcessIds.Var.RULING_APPROVED, true));

        assertClosed(d, Outcome.REJECTED);
        assertThat(process(d)).hasPassed(Element.SERVICE_TASK_CLOSE_REJECTED_BY_RULING);
    }

    @Test
    void aVanishedMerchantGoesStraightToArbitrationAndASeniorSendsALargeRulingBackBeforeApprovingIt() {
        Dispute d = given.open(150000, Reason.MERCHANT_VANISHED);
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.IN_ARBITRATION);
        assertThat(process(d)).hasNotPassed(Element.SERVICE_TASK_NOTIFY_MERCHANT);
        given.moveClock(Duration.ofHours(49));
        given.runDueJobs(d.id());

        completeAs("arbiter1", taskOf(d, ProcessIds.Task.ARBITRATE_DISPUTE), Map.of(ProcessIds.Var.RULING,
                "REFUND_PARTIAL", ProcessIds.Var.APPROVED_AMOUNT_FEN, 120000, ProcessIds.Var.RULING_REASON, "部分已使用"));
        Task first = taskOf(d, ProcessIds.Task.APPROVE_RULING);
        assertThat(given.deadlines(d.id())).as("the arbiter has ruled; the senior's 1 working day runs")
                .containsOnlyKeys("RULING_APPROVAL");
        assertThat(first.getDueDate()).isEqualTo(Date.from(given.deadlines(d.id()).get("RULING_APPROVAL")));
        assertThat(given.formFacts("senior1", first.getId()).get("rulingAmountText")).isEqualTo("¥1,200.00（120000 分）");
        completeAs("senior1", first, Map.of(ProcessIds.Var.RULING_APPROVED, false,
                ProcessIds.Var.APPROVAL_NOTE, "商家已跑路，应全额退款"));
        assertThat(process(d)).isWaitingAt(Element.USER_TASK_ARBITRATE);
        assertThat(given.get(d.id()).approvedAmountFen()).as("a ruling sent back approves nothing").isNull();
        assertThat(given.deadlines(d.id())).containsOnlyKeys("ARBITRATION");

        // The full refund leaves the earlier round's 120000 in the form variable; the approver sees what is paid.
        completeAs("arbiter2", taskOf(d, ProcessIds.Task.ARBITRATE_DISPUTE), Map.of(ProcessIds.Var.RULING,
                "REFUND_FULL", ProcessIds.Var.RULING_REASON, "商家跑路，全额退款"));
        Task second = taskOf(d, ProcessIds.Task.APPROVE_RULING);
        assertThat(given.formFacts("senior1", second.getId()).get("rulingAmountText")).isEqualTo("¥1,500.00（150000 分）");
        completeAs("senior1", second, Map.of(ProcessIds.Var.RULING_APPROVED, true));
        refundSettlesAndArrives(d);

        assertClosed(d, Outcome.REFUNDED);
        assertThat(refunds.of(d.id())).singleElement().satisfies(r -> assertThat(r.amountFen()).isEqualTo(150000));
    }

    @Test
    void aSmallRulingForTheCustomerNeedsNoSecondPairOfEyes() {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        disputes.merchantResponse(MERCHANT1, d.id(), new MerchantAnswer(MerchantDecision.REPLACE, null, "补发", "K2"));
        disputes.replacementConfirmation(BUYER1, d.id(), false);
        disputes.intervention(BUYER1, d.id(), "补发的卡密也无效");
        merchantBringsProof(d);
        assertThat(given.get(d.id()).merchantProofMissing()).isFalse();

        completeAs("arbiter1", taskOf(d, ProcessIds.Task.ARBITRATE_DISPUTE), Map.of(ProcessIds.Var.RULING, "REFUND_FULL",
                ProcessIds.Var.RULING_REASON, "使用记录显示卡密在购买前已被使用"));
        assertThat(given.task(d.id(), ProcessIds.Task.APPROVE_RULING)).isNull();
        refundSettlesAndArrives(d);

        assertClosed(d, Outcome.REFUNDED);
        assertThat(process(d)).hasPassed(Element.TIMER_MERCHANT_PROOF_DUE.replace("timer", "message").replace("Due", "Complete"));
    }

    @Test
    void aRejectedBuyerAppealsOnceAndADifferentArbiterDecidesItInItsOwnProcess() {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        intervene(d);
        merchantBringsProof(d);
        completeAs("arbiter1", taskOf(d, ProcessIds.Task.ARBITRATE_DISPUTE), Map.of(ProcessIds.Var.RULING, "REJECT",
                ProcessIds.Var.RULING_REASON, "使用记录显示卡密已被买家使用"));
        assertClosed(d, Outcome.REJECTED);

        appeals.file(BUYER1, d.id(), "使用记录中的设备不是我的");
        var appeal = engine.getRuntimeService().createProcessInstanceQuery().processInstanceBusinessKey(d.id())
                .processDefinitionKey(ProcessIds.PROCESS_APPEAL).singleResult();
        assertThat(appeal).isWaitingAt(Element.USER_TASK_DECIDE_APPEAL);
        completeAs("arbiter2", taskOf(d, ProcessIds.Task.DECIDE_APPEAL), Map.of(ProcessIds.Var.APPEAL_DECISION, "UPHOLD",
                ProcessIds.Var.APPEAL_NOTE, "设备指纹与买家账号一致"));

        assertThat(appeal).hasPassed(Element.START_APPEAL_FILED, Element.END_APPEAL_DECIDED).isEnded();
        assertClosed(d, Outcome.REJECTED);
    }

    @Test
    void forgedEvidenceRejectsTheClaimAndRestrictsTheCustomersAccount() {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        intervene(d);
        merchantBringsProof(d);

        completeAs("arbiter1", taskOf(d, ProcessIds.Task.ARBITRATE_DISPUTE), Map.of(ProcessIds.Var.RULING,
                "FRAUDULENT_EVIDENCE", ProcessIds.Var.RULING_REASON, "截图经核实为伪造"));

        assertClosed(d, Outcome.REJECTED);
        assertThat(given.restrictions("buyer1", d.id())).isEqualTo(1);
        assertThat(process(d)).hasPassed(Element.SERVICE_TASK_RESTRICT_CUSTOMER);
        given.liftRestrictions("buyer1"); // the next tests open disputes as buyer1 (restriction/RestrictionTest)
    }

    // ------------------------------------------------------------------ withdrawal and step 4: complaints

    @Test
    void theCustomerMayWithdrawBeforeTheRefundStartsButNotAfter() {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        intervene(d);

        disputes.withdrawal(BUYER1, d.id(), "已与商家私下解决");

        assertClosed(d, Outcome.WITHDRAWN);
        assertThat(process(d)).hasPassed(Element.BOUNDARY_WITHDRAWN, Element.SERVICE_TASK_CLOSE_WITHDRAWN).isEnded();
        assertThat(given.task(d.id(), ProcessIds.Task.ARBITRATE_DISPUTE)).isNull();

        Dispute refunding = given.open(2500, Reason.DUPLICATE_CHARGE);
        assertThatThrownBy(() -> disputes.withdrawal(BUYER1, refunding.id(), "算了"))
                .isInstanceOf(WrongState.class).hasMessageContaining("before the refund starts");
    }

    @Test
    void aComplaintOrderingARefundOnAnOpenDisputeJumpsToTheRefundOnlyOnce() {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        refuse(d);
        var complaint = complaints.receive(ComplaintChannel.WECHAT_PAY, "WX-" + d.id(), d.orderId(), "商家拒绝退款").complaint();
        assertThat(complaint.dueAt()).isEqualTo(ClockUtil.getCurrentTime().toInstant().plus(Duration.ofHours(24)));
        Task handle = given.complaintTask(complaint.id());
        assertThat(handle.getDueDate()).isEqualTo(Date.from(complaint.dueAt()));

        completeAs("complaints1", handle, Map.of(ProcessIds.Var.COMPLAINT_OUTCOME, "REFUND",
                ProcessIds.Var.COMPLAINT_RESPONSE, "已安排退款"));
        given.runDueJobs(d.id());
        assertThat(process(d)).hasPassed(Element.BOUNDARY_COMPLAINT_REFUND_ORDERED);
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.REFUNDING);
        assertThat(given.deadlines(d.id())).as("the customer's 7 days no longer run once the refund starts")
                .containsOnlyKeys("REFUND_ARRIVAL");

        var second = complaints.receive(ComplaintChannel.CONSUMER_12315, "12315-" + d.id(), d.orderId(), "再投诉").complaint();
        completeAs("complaints1", given.complaintTask(second.id()), Map.of(ProcessIds.Var.COMPLAINT_OUTCOME, "REFUND",
                ProcessIds.Var.COMPLAINT_RESPONSE, "退款已在处理"));
        given.runDueJobs(d.id());
        refundSettlesAndArrives(d);

        assertClosed(d, Outcome.REFUNDED);
        assertThat(refunds.of(d.id())).hasSize(1);
        assertThat(given.gatewayRefunds(d.orderId())).isEqualTo(1);
    }

    @Test
    void anOrderRefundedOnceCannotBeRefundedAgainByANewDisputeOrAComplaint() {
        Dispute first = given.open(2500, Reason.DUPLICATE_CHARGE);
        refundSettlesAndArrives(first);
        assertClosed(first, Outcome.REFUNDED);

        assertThatThrownBy(() -> given.open(first.orderId(), Reason.DUPLICATE_CHARGE))
                .isInstanceOf(WrongState.class)
                .hasMessageContaining("already refunded").hasMessageContaining(first.id());

        var complaint = complaints.receive(ComplaintChannel.WECHAT_PAY, "WX-" + first.id(), first.orderId(), "再次退款")
                .complaint();
        completeAs("complaints1", given.complaintTask(complaint.id()), Map.of(ProcessIds.Var.COMPLAINT_OUTCOME,
                "REFUND", ProcessIds.Var.COMPLAINT_RESPONSE, "同意退款"));
        given.runDueJobs(first.id());

        assertClosed(first, Outcome.REFUNDED);
        assertThat(given.gatewayRefunds(first.orderId())).isEqualTo(1);
    }

    @Test
    void aComplaintLinkedToAnOldClosedDisputeRefundsTheOrdersNewOpenDisputeInstead() {
        Dispute old = given.open(2500, Reason.MISTAKEN_PURCHASE);
        assertClosed(old, Outcome.INELIGIBLE);
        var complaint = complaints.receive(ComplaintChannel.HEIMAO, "HM-" + old.id(), old.orderId(), "黑猫投诉").complaint();
        assertThat(complaint.disputeId()).isEqualTo(old.id());
        Dispute current = given.open(old.orderId(), Reason.INVALID_CARD_KEY);

        completeAs("complaints1", given.complaintTask(complaint.id()), Map.of(ProcessIds.Var.COMPLAINT_OUTCOME,
                "REFUND", ProcessIds.Var.COMPLAINT_RESPONSE, "平台同意退款"));
        given.runDueJobs(old.id());

        assertThat(process(current)).hasPassed(Element.BOUNDARY_COMPLAINT_REFUND_ORDERED);
        refundSettlesAndArrives(current);
        assertClosed(current, Outcome.REFUNDED);
        assertClosed(old, Outcome.INELIGIBLE);
        assertThat(given.gatewayRefunds(old.orderId())).isEqualTo(1);
    }

    @Test
    void anOverdueComplaintOnAClosedDisputeIsFlaggedAndItsRefundReopensTheDispute() {
        Dispute d = given.open(2500, Reason.MISTAKEN_PURCHASE);
        assertClosed(d, Outcome.INELIGIBLE);
        var complaint = complaints.receive(ComplaintChannel.HEIMAO, "HM-" + d.id(), d.orderId(), "黑猫投诉").complaint();
        int priority = given.complaintTask(complaint.id()).getPriority();

        given.moveClock(Duration.ofHours(24).plusMinutes(1));
        given.runDueJobs(d.id());
        assertThat(given.complaintTask(complaint.id()).getPriority()).isGreaterThan(priority);

        completeAs("complaints1", given.complaintTask(complaint.id()), Map.of(ProcessIds.Var.COMPLAINT_OUTCOME, "REFUND",
                ProcessIds.Var.COMPLAINT_RESPONSE, "平台同意退款"));
        given.runDueJobs(d.id());
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.REFUNDING);
        assertThat(process(d)).hasPassed(Element.START_REFUND_ORDERED_AFTER_CLOSE);
        refundSettlesAndArrives(d);

        assertClosed(d, Outcome.REFUNDED);
    }

    @Test
    void aComplaintHandlerSeesThatTheBuyerWithdrewTheDisputeTheComplaintIsAbout() {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        intervene(d);
        var complaint = complaints.receive(ComplaintChannel.CONSUMER_12315, "12315-" + d.id(), d.orderId(), "12315 投诉").complaint();
        assertThat(given.formFacts("complaints1", given.complaintTask(complaint.id()).getId()))
                .containsEntry("withdrawnNote", "")
                .hasEntrySatisfying("disputeStatusText", s -> assertThat((String) s).startsWith("平台仲裁中"));

        disputes.withdrawal(BUYER1, d.id(), "已与商家私下解决");

        Map<String, Object> facts = given.formFacts("complaints1", given.complaintTask(complaint.id()).getId());
        assertThat((String) facts.get("withdrawnNote")).contains("买家已于").contains("撤回此争议");
        assertThat((String) facts.get("disputeStatusText")).isEqualTo("已结案 · 买家已撤回（买家撤回）");
    }

    @Test
    void aComplaintThatIsUpheldChangesNothingOnTheDispute() {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        var complaint = complaints.receive(ComplaintChannel.ALIPAY, "ALI-" + d.id(), d.orderId(), "支付宝争议").complaint();

        completeAs("complaints1", given.complaintTask(complaint.id()), Map.of(ProcessIds.Var.COMPLAINT_OUTCOME, "UPHOLD",
                ProcessIds.Var.COMPLAINT_RESPONSE, "商家正在处理中"));

        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.AWAITING_MERCHANT);
        assertThat(given.complaintStatus(complaint.id())).isEqualTo("ANSWERED");
    }

    // ------------------------------------------------------------------ step 5: refund exceptions

    @Test
    void aFailedRefundGoesToFinanceAndARetryUsesANewKeyAndRefundsOnce() {
        Dispute d = given.open(given.order(2500, PaymentChannel.WECHAT_PAY, ProductCategory.CARD_KEY, 1, "FAIL"),
                Reason.DUPLICATE_CHARGE);
        given.runDueJobs(d.id());
        given.settleRefunds();
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.REFUND_EXCEPTION);
        Task exception = taskOf(d, ProcessIds.Task.RESOLVE_REFUND_EXCEPTION);
        assertThat(given.formFacts("finance1", exception.getId())).containsEntry("refundStatus", "渠道拒绝，未退款");

        assertThat(given.deadlines(d.id())).containsKey("REFUND_EXCEPTION");
        given.setGatewayBehaviour(d.orderId(), "SUCCEED");
        completeAs("finance1", exception, Map.of(ProcessIds.Var.EXCEPTION_RESOLUTION, "RETRY",
                ProcessIds.Var.FINANCE_NOTE, "渠道故障已恢复"));
        given.runDueJobs(d.id());
        assertThat(given.deadlines(d.id())).as("finance is done; the new refund's arrival is what is due")
                .containsOnlyKeys("REFUND_ARRIVAL");
        refundSettlesAndArrives(d);

        assertClosed(d, Outcome.REFUNDED);
        assertThat(refunds.of(d.id())).extracting(r -> r.idempotencyKey() + ":" + r.status())
                .satisfiesExactly(first -> assertThat(first).matches(TestDisputes.refundKeyPattern(d.id(), 1) + ":FAILED"),
                        second -> assertThat(second).matches(TestDisputes.refundKeyPattern(d.id(), 2) + ":SUCCEEDED"));
    }

    @Test
    void anAbnormalBankCardRefundIsSentToThePlatformBalanceInstead() {
        Dispute d = given.open(given.order(2500, PaymentChannel.WECHAT_PAY, ProductCategory.CARD_KEY, 1, "ABNORMAL"),
                Reason.DUPLICATE_CHARGE);
        given.runDueJobs(d.id());
        given.settleRefunds();
        completeAs("finance1", taskOf(d, ProcessIds.Task.RESOLVE_REFUND_EXCEPTION), Map.of(
                ProcessIds.Var.EXCEPTION_RESOLUTION, "REFUND_TO_BALANCE", ProcessIds.Var.FINANCE_NOTE, "银行卡异常，退至余额"));
        given.setGatewayBehaviour(d.orderId(), "SUCCEED");
        refundSettlesAndArrives(d);

        assertClosed(d, Outcome.REFUNDED);
        assertThat(refunds.of(d.id())).extracting(r -> r.channel()).containsExactly(PaymentChannel.WECHAT_PAY,
                PaymentChannel.PLATFORM_BALANCE);
    }

    @Test
    void aRefundThatNeverArrivesIsQueriedAtItsDeadlineAndFollowedAgainButNeitherRepeatedNorClosedWhileMoneyMayMove() {
        Dispute d = given.open(given.order(2500, PaymentChannel.BANK_CARD, ProductCategory.CARD_KEY, 1, "NEVER_SETTLE"),
                Reason.DUPLICATE_CHARGE);
        given.runDueJobs(d.id());
        given.settleRefunds();
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.REFUNDING);

        given.moveClock(Duration.ofDays(6));
        given.runDueJobs(d.id());

        assertThat(process(d)).hasPassed(Element.TIMER_REFUND_ARRIVAL_DUE, Element.SERVICE_TASK_QUERY_REFUND);
        Task exception = taskOf(d, ProcessIds.Task.RESOLVE_REFUND_EXCEPTION);
        assertThatThrownBy(() -> completeAs("finance1", exception, Map.of(ProcessIds.Var.EXCEPTION_RESOLUTION,
                "REFUND_TO_BALANCE", ProcessIds.Var.FINANCE_NOTE, "退到余额"))).hasMessageContaining("twice");
        assertThatThrownBy(() -> completeAs("finance1", exception, Map.of(ProcessIds.Var.EXCEPTION_RESOLUTION,
                "RESOLVED_MANUALLY", ProcessIds.Var.FINANCE_NOTE, "应该到了"))).hasMessageContaining("still at the gateway");

        // RETRY while the gateway still holds the refund: follow the same refund again, in a new arrival window.
        completeAs("finance1", exception, Map.of(ProcessIds.Var.EXCEPTION_RESOLUTION, "RETRY",
                ProcessIds.Var.FINANCE_NOTE, "已联系银行，继续等待"));
        given.runDueJobs(d.id());
        assertThat(process(d)).isWaitingAt(Element.EVENT_GATEWAY_REFUND_SETTLEMENT);
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.REFUNDING);

        given.setPendingGatewayBehaviour(d.orderId(), "SUCCEED");
        given.settleRefunds();
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);
        disputes.arrivalConfirmation(BUYER1, d.id(), true, null);

        assertClosed(d, Outcome.REFUNDED);
        assertThat(refunds.of(d.id())).singleElement().satisfies(r -> {
            assertThat(r.idempotencyKey()).matches(TestDisputes.refundKeyPattern(d.id(), 1));
            assertThat(r.status()).isEqualTo(RefundState.SUCCEEDED);
        });
        assertThat(given.gatewayRefunds(d.orderId())).isEqualTo(1);
    }

    @Test
    void aShortArrivalReportedByTheCustomerGoesToFinance() {
        Dispute d = given.open(2500, Reason.DUPLICATE_CHARGE);
        given.runDueJobs(d.id());
        given.settleRefunds();

        disputes.arrivalConfirmation(BUYER1, d.id(), true, 2400L);

        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.REFUND_EXCEPTION);
        assertThat(process(d)).hasPassed(Element.EVENT_GATEWAY_ARRIVAL).isWaitingAt(Element.USER_TASK_RESOLVE_REFUND_EXCEPTION);
        Task exception = taskOf(d, ProcessIds.Task.RESOLVE_REFUND_EXCEPTION);
        assertThat((String) given.formFacts("finance1", exception.getId()).get("refundFailureReason")).contains("¥24.00");
        assertThatThrownBy(() -> completeAs("finance1", exception, Map.of(ProcessIds.Var.EXCEPTION_RESOLUTION,
                "RETRY", ProcessIds.Var.FINANCE_NOTE, "再退一次"))).hasMessageContaining("twice");

        // The money moved; finance pays the difference by hand and closes the case.
        completeAs("finance1", exception, Map.of(ProcessIds.Var.EXCEPTION_RESOLUTION, "RESOLVED_MANUALLY",
                ProcessIds.Var.FINANCE_NOTE, "差额 ¥1.00 已线下补付"));
        assertClosed(d, Outcome.REFUNDED);
        assertThat(given.gatewayRefunds(d.orderId())).isEqualTo(1);
    }

    @Test
    void aGatewayAnswerLostInATimeoutIsPickedUpByTheRetryWithTheSameKey() {
        Dispute d = given.open(given.order(2500, PaymentChannel.ALIPAY, ProductCategory.CARD_KEY, 1, "TIMEOUT_ONCE"),
                Reason.DUPLICATE_CHARGE);
        var job = management.createJobQuery().processInstanceId(process(d).getId()).singleResult();
        assertThatThrownBy(() -> management.executeJob(job.getId())).hasMessageContaining("TIMEOUT_ONCE");
        given.settleRefunds();

        given.moveClock(Duration.ofMinutes(2));
        given.runDueJobs(d.id());

        assertThat(process(d)).hasPassed(Element.SERVICE_TASK_AWAIT_ARRIVAL)
                .hasNotPassed(Element.EVENT_GATEWAY_REFUND_SETTLEMENT);
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);
        assertThat(given.gatewayRefunds(d.orderId())).isEqualTo(1);
        assertThat(refunds.of(d.id())).singleElement().satisfies(r -> assertThat(r.idempotencyKey()).matches(TestDisputes.refundKeyPattern(d.id(), 1)));
    }
}
