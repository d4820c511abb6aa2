package cn.kameng.refunddesk.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import cn.kameng.refunddesk.complaint.ComplaintService;
import cn.kameng.refunddesk.dispute.ComplaintChannel;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;
import cn.kameng.refunddesk.workflow.DisputeService;

/**
 * The saved Tasklist filters, read through the FilterService as each demo user signed in: a user sees
 * the filters of their own groups and, through them, only their groups' tasks.
 */
@DisputeServiceTest
class TasklistFiltersTest {

    static final String REVIEWS = "我的审核 Reviews";
    static final String ARBITRATION = "仲裁队列 Arbitration queue";
    static final String FOUR_EYES = "四眼审批 Four-eyes approvals";
    static final String COMPLAINTS = "外部投诉 External complaints";
    static final String REFUND_EXCEPTIONS = "退款异常 Refund exceptions";

    @Autowired FilterService filters;
    @Autowired IdentityService identity;
    @Autowired AuthorizationService authorizations;
    @Autowired IdentitySetup setup;
    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired ComplaintService complaints;

    @BeforeEach
    void now() {
        ClockUtil.reset();
    }

    @AfterEach
    void signOut() {
        identity.clearAuthentication();
        ClockUtil.reset();
    }

    @Test
    void eachUserSeesTheFiltersOfTheirOwnGroupsOnly() {
        assertThat(filterNames("reviewer1")).containsExactlyInAnyOrder(REVIEWS, IdentitySetup.FILTER_OVERDUE);
        assertThat(filterNames("arbiter1")).containsExactlyInAnyOrder(ARBITRATION, IdentitySetup.FILTER_APPEALS,
                IdentitySetup.FILTER_OVERDUE);
        assertThat(filterNames("senior1")).containsExactlyInAnyOrder(FOUR_EYES, IdentitySetup.FILTER_OVERDUE);
        assertThat(filterNames("complaints1")).containsExactlyInAnyOrder(COMPLAINTS,
                IdentitySetup.FILTER_COMPLAINTS_DUE_24H, IdentitySetup.FILTER_OVERDUE);
        assertThat(filterNames("finance1")).containsExactlyInAnyOrder(REFUND_EXCEPTIONS,
                IdentitySetup.FILTER_RECEIVABLE_RECOVERY, IdentitySetup.FILTER_OVERDUE);
        assertThat(filterNames("ops1")).isEmpty();
        assertThat(filterNames("buyer1")).isEmpty();
    }

    @Test
    void startingAgainAddsNoSecondFilterNorGrant() {
        long filtersBefore = filters.createFilterQuery().count();
        long grantsBefore = authorizations.createAuthorizationQuery().count();

        setup.setUp();
        setup.setUp();

        assertThat(filters.createFilterQuery().count()).isEqualTo(filtersBefore);
        assertThat(authorizations.createAuthorizationQuery().count()).isEqualTo(grantsBefore);
        assertThat(filters.createFilterQuery().filterName(IdentitySetup.FILTER_OVERDUE).count()).isEqualTo(1);
    }

    @Test
    void aReviewWaitsInTheReviewersQueueAndNowhereElse() {
        Dispute d = inReview();
        String review = given.task(d.id(), ProcessIds.Task.REVIEW_REFUND_REQUEST).getId();

        assertThat(taskIds("reviewer1", REVIEWS)).contains(review);
        assertThat(taskIds("arbiter1", ARBITRATION)).doesNotContain(review);
        assertThat(taskIds("complaints1", COMPLAINTS)).doesNotContain(review);
        String reviews = filterId(REVIEWS);
        as("arbiter1", () -> assertThatThrownBy(() -> filters.list(reviews)).isInstanceOf(AuthorizationException.class));
    }

    @Test
    void overdueShowsEachUserTheLateTasksOfTheirOwnGroups() {
        Dispute d = inReview();
        String review = given.task(d.id(), ProcessIds.Task.REVIEW_REFUND_REQUEST).getId();
        assertThat(taskIds("reviewer1", IdentitySetup.FILTER_OVERDUE)).doesNotContain(review);

        given.moveClock(Duration.ofDays(5)); // past the 1 working day review due date, whatever the weekday
        assertThat(taskIds("reviewer1", IdentitySetup.FILTER_OVERDUE)).contains(review);
        assertThat(taskIds("arbiter1", IdentitySetup.FILTER_OVERDUE)).doesNotContain(review);
        assertThat(taskIds("finance1", IdentitySetup.FILTER_OVERDUE)).doesNotContain(review);
    }

    @Test
    void complaintsDueWithin24HoursAreTheFastChannelsOnes() {
        Dispute heimao = inReview();
        Dispute consumer12315 = inReview();
        String fast = complaints.receive(ComplaintChannel.HEIMAO, "HM-" + heimao.id(), heimao.orderId(), "黑猫投诉：要求退款")
                .complaint().id();
        String slow = complaints.receive(ComplaintChannel.CONSUMER_12315, "12315-" + consumer12315.id(),
                consumer12315.orderId(), "12315：要求退款").complaint().id();
        String fastTask = given.complaintTask(fast).getId();
        String slowTask = given.complaintTask(slow).getId();

        List<String> dueSoon = taskIds("complaints1", IdentitySetup.FILTER_COMPLAINTS_DUE_24H);
        assertThat(dueSoon).contains(fastTask).doesNotContain(slowTask);
        assertThat(taskIds("complaints1", COMPLAINTS)).contains(fastTask, slowTask);
        assertThat(taskIds("reviewer1", REVIEWS)).doesNotContain(fastTask, slowTask);
    }

    @Test
    void financeFindsWhatTheFundPaidFirstUnder应收追偿AndTheRefundsThatFailedUnder退款异常() {
        // merchant1 has no deposit: the fund pays this refund first, and finance is to recover it
        String refunded = given.acceptedDispute(given.order(2500));
        given.runDueJobs(refunded);
        assertThat(given.settleRefunds()).isEqualTo(1);
        disputes.arrivalConfirmation(TestDisputes.BUYER1, refunded, true, null);
        Task recovery = given.task(refunded, ProcessIds.Task.RECOVER_RECEIVABLE);
        assertThat(recovery).as("finance's recovery task").isNotNull();
        // the gateway refuses this one: a refund exception for finance
        String failed = given.acceptedDispute(given.order(2500, cn.kameng.refunddesk.order.PaymentChannel.ALIPAY,
                cn.kameng.refunddesk.order.ProductCategory.CARD_KEY, 1, "FAIL"));
        given.runDueJobs(failed);
        assertThat(given.settleRefunds()).isEqualTo(1);
        given.runDueJobs(failed);
        String exception = given.task(failed, ProcessIds.Task.RESOLVE_REFUND_EXCEPTION).getId();

        assertThat(taskIds("finance1", IdentitySetup.FILTER_RECEIVABLE_RECOVERY)).contains(recovery.getId())
                .doesNotContain(exception);
        assertThat(taskIds("finance1", REFUND_EXCEPTIONS)).contains(exception).doesNotContain(recovery.getId());
        String recoveries = filterId(IdentitySetup.FILTER_RECEIVABLE_RECOVERY);
        as("arbiter1", () -> assertThatThrownBy(() -> filters.list(recoveries)).isInstanceOf(AuthorizationException.class));

        // merchant1 pays it back: nothing is left owed nor open for the tests after this one
        given.completeAs("finance1", recovery, java.util.Map.of(ProcessIds.Var.RECOVERY_DECISION, "RECOVERED",
                ProcessIds.Var.RECOVERED_AMOUNT_FEN, 2500L));
        assertThat(taskIds("finance1", IdentitySetup.FILTER_RECEIVABLE_RECOVERY)).doesNotContain(recovery.getId());
    }

    private Dispute inReview() {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        disputes.merchantResponse(TestDisputes.MERCHANT1, d.id(),
                new MerchantAnswer(MerchantDecision.REFUSE, null, "卡密已被使用", null));
        given.bringRequiredEvidence(d.id());
        disputes.formalRequest(TestDisputes.BUYER1, d.id(), "申请退款");
        return d;
    }

    private List<String> filterNames(String user) {
        return as(user, () -> filters.createFilterQuery().list().stream().map(Filter::getName).toList());
    }

    private List<String> taskIds(String user, String filterName) {
        String id = filterId(filterName);
        return as(user, () -> filters.<Task>list(id).stream().map(Task::getId).toList());
    }

    private String filterId(String name) {
        return filters.createFilterQuery().filterName(name).singleResult().getId();
    }

    private <T> T as(String user, Supplier<T> action) {
        List<String> groups = identity.createGroupQuery().groupMember(user).list().stream().map(Group::getId).toList();
        identity.setAuthentication(user, groups);
        try {
            return action.get();
        } finally {
            identity.clearAuthentication();
        }
    }

    private void as(String user, Runnable action) {
        as(user, () -> {
            action.run();
            return null;
        });
    }
}
