package cn.kameng.refunddesk.restriction;

import static cn.kameng.refunddesk.support.TestDisputes.BUYER1;
import static cn.kameng.refunddesk.support.TestDisputes.MERCHANT1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.DomainException.NotYours;
import cn.kameng.refunddesk.dispute.DomainException.WrongState;
import cn.kameng.refunddesk.dispute.DomainException;
import cn.kameng.refunddesk.dispute.Outcome;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService;

/**
 * A ruling of forged evidence restricts the buyer's account, and the restriction holds: the buyer cannot open
 * the next dispute (403 saying why and how to contest), may contest once, and a senior arbiter lifts or keeps it
 * in Tasklist with a reason.
 */
@DisputeServiceTest
class RestrictionTest {

    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired Restrictions restrictions;
    @Autowired ProcessEngine engine;
    @Autowired TaskService tasks;
    @Autowired HistoryService history;
    @Autowired JdbcClient jdbc;
    @Autowired Environment environment;

    /** Other test classes share this context and open disputes as buyer1: nothing restricted survives a test. */
    @AfterEach
    void liftEverything() {
        jdbc.sql("update account_restriction set status = 'LIFTED' where status <> 'LIFTED'").update();
    }

    @Test
    void aBuyerWhoForgedEvidenceCannotOpenTheNextDisputeAndIsToldHowToContest() {
        Dispute forged = rulingOfForgedEvidence();
        assertThat(given.restrictions("buyer1", forged.id())).isEqualTo(1);

        String nextOrder = given.order(1000);
        assertThatThrownBy(() -> given.open(nextOrder, Reason.NOT_DELIVERED))
                .isInstanceOf(NotYours.class)
                .hasMessageContaining("your account is restricted")
                .hasMessageContaining(forged.id())
                .hasMessageContaining("截图经核实为伪造")
                .hasMessageContaining("/contest");

        var answer = api().post().uri("/api/v1/disputes").headers(h -> h.setBasicAuth("buyer1", "demo"))
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body(Map.of("orderId", given.order(1000), "reason", "NOT_DELIVERED", "description", "又一单"))
                .retrieve().toEntity(JsonNode.class);
        assertThat(answer.getStatusCode().value()).isEqualTo(403);
        assertThat(answer.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(answer.getBody().path("detail").asText()).contains("restricted").contains(forged.id());
        assertThat(jdbc.sql("select count(*) from dispute where order_id = ?").param(nextOrder).query(Long.class).single())
                .as("nothing was opened").isZero();

        // another buyer is not held back by buyer1's restriction
        assertThat(disputes.open(TestDisputes.BUYER2, new DisputeService.OpenRequest(given.orderOf("buyer2", 500),
                Reason.NOT_DELIVERED, "买家二", null), null).dispute().status()).isEqualTo(DisputeStatus.AWAITING_MERCHANT);
    }

    @Test
    void aContestGoesToTheSeniorArbitersAndALiftLetsTheBuyerOpenDisputesAgain() {
        Dispute forged = rulingOfForgedEvidence();
        Restriction r = restrictions.of(BUYER1).stream().filter(x -> x.disputeId().equals(forged.id())).findFirst()
                .orElseThrow();

        var contested = api().post().uri("/api/v1/account-restrictions/{id}/contest", r.id())
                .headers(h -> h.setBasicAuth("buyer1", "demo"))
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body(Map.of("statement", "截图是原图，可提供手机相册原件")).retrieve().toEntity(JsonNode.class);
        assertThat(contested.getStatusCode().value()).isEqualTo(200);
        assertThat(contested.getBody().path("status").asText()).isEqualTo("CONTESTED");
        assertThatThrownBy(() -> given.open(given.order(1000), Reason.NOT_DELIVERED))
                .as("still restricted while the contest is open").isInstanceOf(NotYours.class)
                .hasMessageContaining("with a senior arbiter");

        Task review = given.task(forged.id(), ProcessIds.Task.REVIEW_ACCOUNT_RESTRICTION);
        assertThat(review).isNotNull();
        assertThat(tasks.getIdentityLinksForTask(review.getId())).anySatisfy(l ->
                assertThat(l.getGroupId()).isEqualTo("senior-arbiters"));
        assertThat(review.getDueDate()).as("due per dispute.sla.restriction-review-due").isNotNull();
        Map<String, Object> facts = given.formFacts("senior1", review.getId());
        assertThat(facts).containsEntry("contestStatement", "截图是原图，可提供手机相册原件")
                .containsEntry("restrictionReason", "截图经核实为伪造").containsEntry("arbiterId", "arbiter1")
                .containsKey("summaryText");
        assertThat(given.formFacts("buyer1", review.getId())).as("a party reads no staff form").isEmpty();

        assertThatThrownBy(() -> restrictions.contest(BUYER1, r.id(), "再申诉一次"))
                .as("a restriction is contested once").isInstanceOf(WrongState.class);

        given.completeAs("senior1", review, Map.of(ProcessIds.Var.RESTRICTION_DECISION, "LIFT",
                ProcessIds.Var.RESTRICTION_NOTE, "原图核实无误，解除限制"));

        Restriction lifted = restrictions.of(BUYER1).stream().filter(x -> x.id() == r.id()).findFirst().orElseThrow();
        assertThat(lifted.status()).isEqualTo(RestrictionStatus.LIFTED);
        assertThat(lifted.decidedBy()).isEqualTo("senior1");
        assertThat(lifted.decisionNote()).isEqualTo("原图核实无误，解除限制");
        assertThat(history.createHistoricVariableInstanceQuery().variableName(ProcessIds.Var.RESTRICTION_NOTE).count())
                .as("the senior's words stay on the dispute, out of the engine's history").isZero();
        assertThat(given.open(given.order(1000), Reason.NOT_DELIVERED).status()).isEqualTo(DisputeStatus.AWAITING_MERCHANT);
    }

    @Test
    void aKeptRestrictionStaysAndCannotBeContestedAgain() {
        Dispute forged = rulingOfForgedEvidence();
        Restriction r = restrictions.of(BUYER1).stream().filter(x -> x.disputeId().equals(forged.id())).findFirst()
                .orElseThrow();
        restrictions.contest(BUYER1, r.id(), "我没有伪造");
        Task review = given.task(forged.id(), ProcessIds.Task.REVIEW_ACCOUNT_RESTRICTION);

        assertThatThrownBy(() -> given.completeAs("senior1", review, Map.of(ProcessIds.Var.RESTRICTION_DECISION, "KEEP")))
                .as("a decision needs its reason").hasMessageContaining("restrictionNote is required");
        assertThatThrownBy(() -> given.completeAs("senior1", review, Map.of(ProcessIds.Var.RESTRICTION_DECISION, "FORGIVE",
                ProcessIds.Var.RESTRICTION_NOTE, "x y"))).hasMessageContaining("must be one of [LIFT, KEEP]");
        given.completeAs("senior1", review, Map.of(ProcessIds.Var.RESTRICTION_DECISION, "KEEP",
                ProcessIds.Var.RESTRICTION_NOTE, "EXIF 与订单时间矛盾，维持"));

        assertThatThrownBy(() -> given.open(given.order(1000), Reason.NOT_DELIVERED)).isInstanceOf(NotYours.class)
                .hasMessageContaining("kept").hasMessageContaining("EXIF 与订单时间矛盾，维持");
        assertThatThrownBy(() -> restrictions.contest(BUYER1, r.id(), "再试")).isInstanceOf(WrongState.class);
        assertThat(given.timeline(forged.id())).contains("RESTRICTION_CONTESTED", "RESTRICTION_KEPT");
    }

    @Test
    void aCustomerContestsOnlyTheirOwnRestriction() {
        Dispute forged = rulingOfForgedEvidence();
        Restriction r = restrictions.of(BUYER1).stream().filter(x -> x.disputeId().equals(forged.id())).findFirst()
                .orElseThrow();
        assertThatThrownBy(() -> restrictions.contest(TestDisputes.BUYER2, r.id(), "替别人申诉"))
                .isInstanceOf(cn.kameng.refunddesk.dispute.DomainException.NotFound.class);
        assertThat(restrictions.of(TestDisputes.BUYER2)).isEmpty();
    }

    /** The arbiter rules that the buyer forged the evidence of an intervened dispute. */
    private Dispute rulingOfForgedEvidence() {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        disputes.merchantResponse(MERCHANT1, d.id(), new DisputeService.MerchantAnswer(
                DisputeService.MerchantDecision.REFUSE, null, "卡密已使用", null));
        disputes.intervention(BUYER1, d.id(), "商家拒绝，申请平台介入");
        given.addEvidence(d.id(), "merchant1", "MERCHANT", "USAGE_LOG");
        disputes.merchantProof(MERCHANT1, d.id(), "使用记录已上传");
        given.completeAs("arbiter1", given.task(d.id(), ProcessIds.Task.ARBITRATE_DISPUTE), Map.of(ProcessIds.Var.RULING,
                "FRAUDULENT_EVIDENCE", ProcessIds.Var.RULING_REASON, "截图经核实为伪造"));
        assertThat(given.get(d.id()).outcome()).isEqualTo(Outcome.REJECTED);
        return d;
    }

    private RestClient api() {
        return RestClient.builder().baseUrl("http://localhost:" + environment.getProperty("local.server.port"))
                .defaultStatusHandler(status -> true, (request, response) -> { }).build();
    }
}
