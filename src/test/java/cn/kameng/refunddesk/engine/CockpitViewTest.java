package cn.kameng.refunddesk.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;
import cn.kameng.refunddesk.workflow.DisputeService;

/**
 * What operations see in Cockpit: each dispute's process found by its dispute id (the business key),
 * a failed refund's incident that says what failed and what to do, and process variables that hold
 * ids, amounts and decisions, never what the customer or merchant wrote.
 */
@DisputeServiceTest
class CockpitViewTest {

    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired RuntimeService runtime;
    @Autowired ManagementService management;

    @BeforeEach
    @AfterEach
    void resetClock() {
        ClockUtil.reset();
    }

    @Test
    void aRefundTheGatewayNeverTakesEndsInAnIncidentSayingWhatFailedAndWhatToDo() {
        Dispute d = given.open(given.order(2500), Reason.INVALID_CARD_KEY);
        given.setGatewayBehaviour(d.orderId(), "TIMEOUT");
        disputes.merchantResponse(TestDisputes.MERCHANT1, d.id(), new MerchantAnswer(MerchantDecision.ACCEPT, null, "同意退款", null));

        assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(d.id()).count())
                .as("found by the dispute id").isEqualTo(1);
        Job job = management.createJobQuery().processInstanceId(given.instance(d.id()).getId())
                .activityId(ProcessIds.Element.SERVICE_TASK_REQUEST_REFUND).singleResult();
        assertThatThrownBy(() -> management.executeJob(job.getId())).isInstanceOf(RefundRequestFailed.class);
        management.setJobRetries(job.getId(), 1); // skip the rest of the R5/PT1M cycle: this is the last attempt
        assertThatThrownBy(() -> management.executeJob(job.getId())).isInstanceOf(RefundRequestFailed.class);

        Incident incident = runtime.createIncidentQuery().processInstanceId(given.instance(d.id()).getId()).singleResult();
        assertThat(incident.getIncidentMessage())
                .as("what failed and what to do, first: Cockpit's incident list shows the beginning")
                .startsWith("退款请求未送达支付渠道：渠道恢复后在 Cockpit 对此作业点击重试")
                .contains("不会重复退款")
                .contains("争议 " + d.id())
                .contains("sandbox gateway timed out")
                .contains("retry this job in Cockpit");
    }

    @Test
    void processVariablesHoldIdsAmountsAndDecisionsButNoneOfThePartiesWords() {
        Dispute d = given.open(given.order(2500), Reason.INVALID_CARD_KEY);
        disputes.merchantResponse(TestDisputes.MERCHANT1, d.id(), new MerchantAnswer(MerchantDecision.REFUSE, null,
                "买家张三手机13800000000已使用卡密", null));
        given.bringRequiredEvidence(d.id());
        disputes.formalRequest(TestDisputes.BUYER1, d.id(), "我的住址是某某路1号，卡密无效");

        Map<String, Object> variables = runtime.getVariables(given.instance(d.id()).getId());
        assertThat(variables.values()).allSatisfy(value -> assertThat(value)
                .satisfiesAnyOf(v -> assertThat(v).isInstanceOf(Number.class),
                        v -> assertThat(v).isInstanceOf(Boolean.class),
                        v -> assertThat(v).isInstanceOf(java.util.Date.class),
                        v -> assertThat(String.valueOf(v)).matches("[A-Za-z0-9_\\-]{1,64}")));
        assertThat(variables.toString()).doesNotContain("张三", "13800000000", "住址", "测试争议");
    }
}
