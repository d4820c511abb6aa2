package cn.kameng.refunddesk.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngines;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import cn.kameng.refunddesk.api.Api.Res;
import cn.kameng.refunddesk.dispute.Caller;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;
import cn.kameng.refunddesk.workflow.DisputeService;

/**
 * Staff decisions sent the way Tasklist sends them (POST /engine-rest/task/{id}/submit-form) as the
 * real demo users: a decision that breaks a rule is a 400 whose message says which rule, the task stays
 * open and nothing is recorded; four eyes hold whatever client completes the task.
 */
@DisputeServiceTest
class TasklistDecisionsTest {

    @LocalServerPort int port;
    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired IdentityService identity;
    @Autowired ProcessEngine engine;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        // /engine-rest finds its engine by name ("default") in Camunda's static registry, which holds the
        // engine of the Spring context started last; point it back at this context's engine.
        ProcessEngines.registerProcessEngine(engine);
        ClockUtil.reset();
    }

    @AfterEach
    void resetClock() {
        ClockUtil.reset();
    }

    @Test
    void aReviewerIsToldWhatIsWrongAndTheTaskWaitsForACorrectDecision() {
        Dispute d = inReview(2500);
        String task = claim("reviewer1", d.id(), "reviewRefundRequest");

        Res tooMuch = submit("reviewer1", task, Map.of("reviewDecision", var("APPROVE", "String"),
                "approvedAmountFen", var(2501, "Long"), "reviewNote", var("同意", "String")));
        assertThat(tooMuch.status()).as("%s", tooMuch).isEqualTo(400);
        assertThat(tooMuch.text("/message")).contains("退款金额须在 1 至 2500 分之间")
                .doesNotContain("Exception while invoking");

        Res noReason = submit("reviewer1", task, Map.of("reviewDecision", var("REJECT", "String")));
        assertThat(noReason.status()).as("%s", noReason).isEqualTo(400);
        assertThat(noReason.text("/message")).contains("驳回必须填写理由");

        Res notANumber = submit("reviewer1", task, Map.of("reviewDecision", var("APPROVE", "String"),
                "approvedAmountFen", var("两千", "String")));
        assertThat(notANumber.status()).as("%s", notANumber).isEqualTo(400);
        assertThat(notANumber.text("/message")).contains("approvedAmountFen must be a whole number of fen");

        assertThat(api.as("reviewer1").get("/engine-rest/task/" + task).text("/assignee")).isEqualTo("reviewer1");
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.UNDER_REVIEW);
        assertThat(given.get(d.id()).approvedAmountFen()).isNull();

        Res approved = submit("reviewer1", task, Map.of("reviewDecision", var("APPROVE", "String"),
                "approvedAmountFen", var(2500, "Long"), "reviewNote", var("证据充分", "String")));
        assertThat(approved.status()).as("%s", approved).isEqualTo(204);
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.REFUNDING);
    }

    @Test
    void twentyCompletionsOfOneTaskAtOnceAreOne204AndTheRest409Or404() throws Exception {
        Dispute d = inReview(2500);
        String task = claim("reviewer1", d.id(), "reviewRefundRequest");
        Map<String, Object> approve = Map.of("reviewDecision", var("APPROVE", "String"),
                "approvedAmountFen", var(2500, "Long"), "reviewNote", var("证据充分", "String"));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(20);
        var start = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(pool.submit(() -> {
                start.await();
                return submit("reviewer1", task, approve).status();
            }));
        }
        start.countDown();
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        for (var answer : answers) {
            statuses.add(answer.get(60, java.util.concurrent.TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertThat(statuses).as("%s", statuses).filteredOn(s -> s == 204).hasSize(1);
        assertThat(statuses).as("%s", statuses).allMatch(s -> s == 204 || s == 409 || s == 404);
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.REFUNDING);
    }

    @Test
    void aPartialRulingNeedsAnAmountWithinWhatWasPaidAndEveryRulingAReason() {
        Dispute d = inArbitration(150000);
        String task = claim("arbiter1", d.id(), "arbitrateDispute");

        Res noAmount = submit("arbiter1", task, Map.of("ruling", var("REFUND_PARTIAL", "String"),
                "rulingReason", var("部分已使用", "String")));
        assertThat(noAmount.status()).as("%s", noAmount).isEqualTo(400);
        assertThat(noAmount.text("/message")).contains("approvedAmountFen must be between 1 and the amount paid");

        Res noReason = submit("arbiter1", task, Map.of("ruling", var("REJECT", "String")));
        assertThat(noReason.status()).as("%s", noReason).isEqualTo(400);
        assertThat(noReason.text("/message")).contains("裁决必须说明理由");

        assertThat(given.get(d.id()).ruledBy()).isNull();
        assertThat(given.task(d.id(), "arbitrateDispute")).isNotNull();
    }

    @Test
    void anArbiterWhoIsAlsoASeniorCannotApproveTheirOwnRulingWhateverTheClient() {
        String dual = "dual" + Long.toHexString(System.nanoTime());
        User user = identity.newUser(dual);
        user.setPassword(Api.DEMO_PASSWORD);
        identity.saveUser(user);
        identity.createMembership(dual, Caller.ARBITERS);
        identity.createMembership(dual, Caller.SENIOR_ARBITERS);

        Dispute d = inArbitration(150000);
        String arbitration = claim(dual, d.id(), "arbitrateDispute");
        assertThat(submit(dual, arbitration, Map.of("ruling", var("REFUND_FULL", "String"),
                "rulingReason", var("商家跑路", "String"))).status()).isEqualTo(204);

        String approval = engine.getTaskService().createTaskQuery().processInstanceBusinessKey(d.id())
                .taskDefinitionKey("approveRuling").singleResult().getId();
        // the approval is hidden from the arbiter who ruled (a revoke on the task): the engine refuses before the rule
        assertThat(api.as(dual).get("/engine-rest/task?processInstanceBusinessKey=" + d.id()).json())
                .as("not in any list of theirs").isEmpty();
        Res ownClaim = api.as(dual).post("/engine-rest/task/" + approval + "/claim", Map.of("userId", dual));
        assertThat(ownClaim.status()).as("%s", ownClaim).isIn(400, 403, 404);
        Res ownAssignment = api.as("admin").post("/engine-rest/task/" + approval + "/assignee", Map.of("userId", dual));
        assertThat(ownAssignment.status()).as("not even an administrator can hand it to them: %s", ownAssignment)
                .isEqualTo(400);
        // a candidate may complete without claiming: the completion itself is refused too, by either call
        Res own = submit(dual, approval, Map.of("rulingApproved", var(true, "Boolean")));
        assertThat(own.status()).as("%s", own).isIn(400, 403, 404);
        Res ownByComplete = api.as(dual).post("/engine-rest/task/" + approval + "/complete",
                Map.of("variables", Map.of("rulingApproved", var(true, "Boolean"))));
        assertThat(ownByComplete.status()).as("%s", ownByComplete).isIn(400, 403, 404);
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.IN_ARBITRATION);

        // the task was never held by them: another senior takes it straight from the queue
        String bySenior = claim("senior1", d.id(), "approveRuling");
        assertThat(submit("senior1", bySenior, Map.of("rulingApproved", var(true, "Boolean"))).status())
                .isEqualTo(204);
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.REFUNDING);
    }

    @Test
    void aFormOpensWithTheCaseFactsReadFromTheDisputeWhileTheTaskKeepsNoCopyOfThem() {
        Dispute d = inReview(2500);
        String task = claim("reviewer1", d.id(), "reviewRefundRequest");

        Res form = api.as("reviewer1").get("/engine-rest/task/" + task + "/form-variables");
        assertThat(form.status()).as("%s", form).isEqualTo(200);
        assertThat(form.text("/description/value")).isEqualTo(given.get(d.id()).description());
        assertThat(form.text("/merchantAnswer/value")).isEqualTo("拒绝：卡密已被使用");
        assertThat(form.at("/paidAmountFen/value").asLong()).isEqualTo(2500);
        assertThat(form.text("/evidenceLinks/value")).contains("](/api/v1/disputes/" + d.id() + "/evidence/EVD-");
        assertThat(form.text("/evidenceChecks/value")).contains("订单归属：相符").contains("支持买家的主张");
        assertThat(form.at("/approvedAmountFen/value").asLong()).as("prefilled with the amount claimed").isEqualTo(2500);
        assertThat(form.text("/missingEvidence/value")).isNotBlank();
        assertThat(engine.getTaskService().getVariablesLocal(task)).as("nothing copied onto the task").isEmpty();

        // evidence added while the task waits shows the next time the form is opened
        given.addEvidence(d.id(), "merchant1", "MERCHANT", "USAGE_LOG");
        assertThat(api.as("reviewer1").get("/engine-rest/task/" + task + "/form-variables")
                .text("/evidenceLinks/value")).contains("使用记录");

        Res customer = api.as("buyer1").get("/engine-rest/task/" + task + "/form-variables");
        assertThat(customer.status()).as("%s", customer).isNotEqualTo(200);
        assertThat(customer.raw()).doesNotContain("卡密已被使用");
    }

    @Test
    void theStaffsWordsAreKeptOnTheDisputeButNeverInTheProcessOrTheEnginesHistory() {
        Dispute d = inArbitration(150000);
        String arbitration = claim("arbiter1", d.id(), "arbitrateDispute");
        assertThat(submit("arbiter1", arbitration, Map.of("ruling", var("REFUND_FULL", "String"),
                "rulingReason", var("商家失联，买家李四13912345678的截图可信", "String"))).status()).isEqualTo(204);
        String approval = claim("senior1", d.id(), "approveRuling");
        assertThat(api.as("senior1").get("/engine-rest/task/" + approval + "/form-variables")
                .text("/rulingReasonText/value")).as("the approver reads the ruling's reasons from the dispute")
                .isEqualTo("商家失联，买家李四13912345678的截图可信");
        assertThat(submit("senior1", approval, Map.of("rulingApproved", var(true, "Boolean"),
                "approvalNote", var("已电话核实李四", "String"))).status()).isEqualTo(204);

        assertThat(given.get(d.id()).rulingReason()).isEqualTo("商家失联，买家李四13912345678的截图可信");
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.REFUNDING);
        String instance = given.instance(d.id()).getId();
        var history = engine.getHistoryService();
        var historicVariables = history.createHistoricVariableInstanceQuery().processInstanceId(instance).list();
        assertThat(historicVariables).extracting(v -> v.getName())
                .contains("ruling", "rulingApproved")
                .doesNotContain("rulingReason", "approvalNote", "description", "merchantAnswer", "timelineSummary");
        assertThat(historicVariables).extracting(v -> String.valueOf(v.getValue()))
                .noneMatch(v -> v.contains("李四") || v.contains("13912345678"));
        assertThat(history.createHistoricDetailQuery().processInstanceId(instance).list())
                .extracting(Object::toString).noneMatch(v -> v.contains("李四"));
        assertThat(engine.getRuntimeService().getVariables(instance)).doesNotContainKeys("rulingReason", "approvalNote");
    }

    @Test
    void operationsReadVariablesButCannotChangeThem() {
        Dispute d = inReview(2500);
        String instance = engine.getRuntimeService().createProcessInstanceQuery().processInstanceBusinessKey(d.id())
                .processDefinitionKey("refundDispute").singleResult().getId();
        assertThat(api.as("ops1").get("/engine-rest/process-instance/" + instance + "/variables").status()).isEqualTo(200);
        Res change = api.as("ops1").put("/engine-rest/process-instance/" + instance + "/variables/approvedAmountFen",
                Map.of("value", 1, "type", "Long"));
        assertThat(change.status()).as("%s", change).isEqualTo(403);
        Res modify = api.as("ops1").post("/engine-rest/process-instance/" + instance + "/variables",
                Map.of("modifications", Map.of("x", var("y", "String"))));
        assertThat(modify.status()).as("%s", modify).isEqualTo(403);
    }

    private Dispute inReview(long amountFen) {
        Dispute d = given.open(amountFen, Reason.INVALID_CARD_KEY);
        disputes.merchantResponse(TestDisputes.MERCHANT1, d.id(),
                new MerchantAnswer(MerchantDecision.REFUSE, null, "卡密已被使用", null));
        given.bringRequiredEvidence(d.id());
        disputes.formalRequest(TestDisputes.BUYER1, d.id(), "申请退款");
        return d;
    }

    private Dispute inArbitration(long amountFen) {
        Dispute d = given.open(amountFen, Reason.MERCHANT_VANISHED);
        given.moveClock(Duration.ofHours(49));
        given.runDueJobs(d.id());
        return d;
    }

    private String claim(String user, String disputeId, String taskKey) {
        Res found = api.as(user).get("/engine-rest/task?processInstanceBusinessKey=" + disputeId
                + "&taskDefinitionKey=" + taskKey);
        assertThat(found.json()).as("%s sees %s of %s: %s", user, taskKey, disputeId, found).hasSize(1);
        String id = found.text("/0/id");
        Res claimed = api.as(user).post("/engine-rest/task/" + id + "/claim", Map.of("userId", user));
        assertThat(claimed.status()).as("claim: %s", claimed).isEqualTo(204);
        return id;
    }

    private Res submit(String user, String taskId, Map<String, Object> variables) {
        return api.as(user).post("/engine-rest/task/" + taskId + "/submit-form", Map.of("variables", variables));
    }

    private static Map<String, Object> var(Object value, String type) {
        return Map.of("value", value, "type", type);
    }
}
