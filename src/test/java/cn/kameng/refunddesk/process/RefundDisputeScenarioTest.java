package cn.kameng.refunddesk.process;

import static cn.kameng.refunddesk.support.TestDisputes.BUYER1;
import static cn.kameng.refunddesk.support.TestDisputes.MERCHANT1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.historyService;

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

import cn.kameng.refunddesk.complaint.ComplaintChannel;
import cn.kameng.refunddesk.complaint.ComplaintService;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeService;
import cn.kameng.refunddesk.dispute.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.dispute.DisputeService.MerchantDecision;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.Outcome;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;
import cn.kameng.refunddesk.process.ProcessIds.Element;
import cn.kameng.refunddesk.refund.RefundRecords;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.web.ApiProblem;

/**
 * Every path through refund-dispute.bpmn and external-complaint.bpmn, with time moved by ClockUtil
 * and jobs run explicitly. The coverage listener fails the class unless every flow node and sequence
 * flow is covered (target/process-test-coverage shows the report).
 */
@DisputeServiceTest
@Import(ProcessEngineCoverageConfiguration.class)
@TestExecutionListeners(value = ProcessEngineCoverageTestExecutionListener.class,
        mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
class RefundDisputeScenarioTest {

    @Autowired ProcessEngine engine;
    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired ComplaintService complaints;
    @Autowired TaskService tasks;
    @Autowired ManagementService management;
    @Autowired RefundRecords refunds;

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
            assertThat(r.idempotencyKey()).isEqualTo(d.id() + "-R1");
        });
        assertThat(process(d)).hasPassed(Element.SERVICE_TASK_CLOSE_REFUNDED).isEnded();
    }
}
