package cn.kameng.refunddesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import cn.kameng.refunddesk.calendar.WorkingDays;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;
import cn.kameng.refunddesk.workflow.DisputeService;

/**
 * What a staff member sees of a task in Tasklist's list before opening it: a name that says which
 * dispute, how much and why; the due date from the SLA and a follow-up date halfway to it; a priority
 * that puts large and long-waiting disputes first.
 */
@DisputeServiceTest
class StaffTaskPresentationTest {

    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired TaskService tasks;
    @Autowired IdentityService identity;

    @BeforeEach
    void wednesdayMorningInBeijing() {
        ClockUtil.setCurrentTime(Date.from(ZonedDateTime.of(2026, 12, 2, 10, 0, 0, 0, WorkingDays.BEIJING).toInstant()));
    }

    @AfterEach
    void resetClock() {
        ClockUtil.reset();
    }

    @Test
    void theReviewTaskIsNamedAfterTheDisputeWithItsAmountReasonAndDeadline() {
        Dispute d = given.open(250000, Reason.INVALID_CARD_KEY);
        refuseAndFile(d);

        Task review = given.task(d.id(), ProcessIds.Task.REVIEW_REFUND_REQUEST);
        Instant due = given.deadlines(d.id()).get("REVIEW");
        assertThat(due).as("review-due 1WD from Wednesday 10:00").isEqualTo(
                ZonedDateTime.of(2026, 12, 3, 10, 0, 0, 0, WorkingDays.BEIJING).toInstant());
        assertThat(review.getName()).isEqualTo("审核退款申请 " + d.id() + " · ¥2,500.00 · 卡密无效 · 截止 12-03 10:00");
        assertThat(review.getDueDate()).isEqualTo(Date.from(due));
        assertThat(review.getFollowUpDate()).as("halfway from now to the due date")
                .isEqualTo(Date.from(ZonedDateTime.of(2026, 12, 2, 22, 0, 0, 0, WorkingDays.BEIJING).toInstant()));
    }

    @Test
    void largerAmountsComeFirst() {
        Dispute small = given.open(2500, Reason.INVALID_CARD_KEY);
        Dispute large = given.open(600000, Reason.INVALID_CARD_KEY);
        refuseAndFile(small);
        refuseAndFile(large);

        int smallPriority = given.task(small.id(), ProcessIds.Task.REVIEW_REFUND_REQUEST).getPriority();
        int largePriority = given.task(large.id(), ProcessIds.Task.REVIEW_REFUND_REQUEST).getPriority();
        assertThat(smallPriority).as("25 CNY, just opened").isEqualTo(50);
        assertThat(largePriority).as("6,000 CNY: all four amount tiers").isEqualTo(90);
    }

    @Test
    void aCustomerWhoHasWaitedLongerComesBeforeOneWhoJustArrived() {
        Dispute waited = given.open(2500, Reason.INVALID_CARD_KEY);
        given.moveClock(Duration.ofHours(49));
        given.runDueJobs(waited.id()); // the merchant stayed silent for 48 hours
        Dispute fresh = given.open(2500, Reason.INVALID_CARD_KEY);
        given.bringRequiredEvidence(waited.id());
        disputes.formalRequest(TestDisputes.BUYER1, waited.id(), "商家未答复");
        refuseAndFile(fresh);

        assertThat(given.task(waited.id(), ProcessIds.Task.REVIEW_REFUND_REQUEST).getPriority())
                .as("two full days since the dispute was opened").isEqualTo(60);
        assertThat(given.task(fresh.id(), ProcessIds.Task.REVIEW_REFUND_REQUEST).getPriority()).isEqualTo(50);
    }

    @Test
    void arbitrationAndFourEyesTasksCarryTheDisputeAndTheRulingAmount() {
        Dispute d = given.open(150000, Reason.MERCHANT_VANISHED);
        given.moveClock(Duration.ofHours(49));
        given.runDueJobs(d.id()); // the vanished merchant's 48 hours for proof run out
        Task arbitration = given.task(d.id(), ProcessIds.Task.ARBITRATE_DISPUTE);
        assertThat(arbitration.getName()).startsWith("仲裁 " + d.id() + " · ¥1,500.00 · ").contains(" · 截止 ");
        assertThat(arbitration.getPriority()).as("1,500 CNY (three tiers) and two days waited").isEqualTo(90);
        assertThat(arbitration.getFollowUpDate()).isAfter(ClockUtil.getCurrentTime()).isBefore(arbitration.getDueDate());

        completeAs("arbiter1", arbitration, Map.of(ProcessIds.Var.RULING, "REFUND_PARTIAL",
                ProcessIds.Var.APPROVED_AMOUNT_FEN, 120000, ProcessIds.Var.RULING_REASON, "部分已使用"));
        Task approval = given.task(d.id(), ProcessIds.Task.APPROVE_RULING);
        assertThat(approval.getName()).as("the amount the senior is asked to approve")
                .startsWith("四眼审批裁决 " + d.id() + " · ¥1,200.00 · ");
    }

    @Test
    void priorityTiersAreTheDocumentedOnes() {
        Instant now = Instant.parse("2026-12-02T02:00:00Z");
        assertThat(TaskPresentation.priority(9_999L, now, now)).isEqualTo(50);
        assertThat(TaskPresentation.priority(10_000L, now, now)).isEqualTo(60);
        assertThat(TaskPresentation.priority(100_000L, now, now)).isEqualTo(80);
        assertThat(TaskPresentation.priority(500_000L, now.minus(Duration.ofDays(30)), now))
                .as("waiting counts up to 30").isEqualTo(120);
    }

    private void refuseAndFile(Dispute d) {
        disputes.merchantResponse(TestDisputes.MERCHANT1, d.id(),
                new MerchantAnswer(MerchantDecision.REFUSE, null, "卡密已被使用", null));
        given.bringRequiredEvidence(d.id());
        disputes.formalRequest(TestDisputes.BUYER1, d.id(), "申请退款");
    }

    private void completeAs(String user, Task task, Map<String, Object> variables) {
        tasks.setAssignee(task.getId(), user);
        identity.setAuthentication(user, List.of("arbiters"));
        try {
            tasks.complete(task.getId(), variables);
        } finally {
            identity.clearAuthentication();
        }
    }
}
