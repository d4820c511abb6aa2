package cn.kameng.refunddesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngines;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;

import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;

/** A staff decision a rule refuses is the client's 400: logged at INFO with its sentence, not at ERROR. */
@DisputeServiceTest
@ExtendWith(OutputCaptureExtension.class)
class RefusedDecisionLoggingTest {

    @Autowired TestRestTemplate http;
    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired ProcessEngine engine;

    @BeforeEach
    void restUsesThisContextsEngine() {
        ProcessEngines.registerProcessEngine(engine);
    }

    @Test
    void aRefusedReviewIsLoggedAtInfoWithoutAStackTrace(CapturedOutput output) {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        disputes.merchantResponse(TestDisputes.MERCHANT1, d.id(),
                new MerchantAnswer(MerchantDecision.REFUSE, null, "卡密发货时有效", null));
        given.bringRequiredEvidence(d.id());
        disputes.formalRequest(TestDisputes.BUYER1, d.id(), "卡密显示已被使用");
        Task task = given.task(d.id(), "reviewRefundRequest");
        assertThat(http.withBasicAuth("reviewer1", "demo").postForEntity("/engine-rest/task/" + task.getId()
                + "/claim", Map.of("userId", "reviewer1"), String.class).getStatusCode().value()).isEqualTo(204);
        int before = output.length();

        ResponseEntity<String> refused = http.withBasicAuth("reviewer1", "demo").postForEntity(
                "/engine-rest/task/" + task.getId() + "/complete", Map.of("variables", Map.of(
                        "reviewDecision", Map.of("value", "APPROVE", "type", "String"),
                        "approvedAmountFen", Map.of("value", 2501, "type", "Long"),
                        "reviewNote", Map.of("value", "同意", "type", "String"))), String.class);

        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat(refused.getBody()).contains("approvedAmountFen must be between 1 and the amount paid");
        String logged = output.toString().substring(before);
        assertThat(logged).contains("INFO").contains("Staff decision refused (400)")
                .contains("approvedAmountFen must be between 1 and the amount paid");
        assertThat(logged.lines().filter(l -> l.contains(" ERROR ")).toList()).isEmpty();
        assertThat(logged).doesNotContain("DecisionRefused:").doesNotContain("\tat org.camunda");
    }
}
