package cn.kameng.refunddesk.engine;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import cn.kameng.refunddesk.complaint.ComplaintService;
import cn.kameng.refunddesk.dispute.Party;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.process.ProcessIds.Var;
import cn.kameng.refunddesk.refund.GatewayUnavailableException;
import cn.kameng.refunddesk.refund.RefundService;
import cn.kameng.refunddesk.workflow.DisputeSteps;
import cn.kameng.refunddesk.workflow.ExceptionResolution;

/**
 * The delegates the BPMN names in {@code camunda:delegateExpression}. Each is one line: read the
 * business key and a typed variable or two, call the application service, set the result.
 */
@Configuration(proxyBeanMethods = false)
class StepDelegates {

    private static String disputeId(DelegateExecution execution) {
        return execution.getProcessBusinessKey();
    }

    @Bean
    JavaDelegate assessEligibility(DisputeSteps steps) {
        return ex -> ex.setVariable(Var.ELIGIBILITY, steps.assessEligibility(disputeId(ex)).name());
    }

    @Bean
    JavaDelegate closeIneligible(DisputeSteps steps) {
        return ex -> steps.closeIneligible(disputeId(ex));
    }

    @Bean
    JavaDelegate notifyMerchant(DisputeSteps steps) {
        return ex -> steps.notifyMerchant(disputeId(ex));
    }

    @Bean
    JavaDelegate recordMerchantSilence(DisputeSteps steps) {
        return ex -> steps.recordMerchantSilence(disputeId(ex));
    }

    @Bean
    JavaDelegate presentPartialOffer(DisputeSteps steps) {
        return ex -> steps.presentPartialOffer(disputeId(ex));
    }

    @Bean
    JavaDelegate awaitReplacementConfirmation(DisputeSteps steps) {
        return ex -> steps.awaitReplacementConfirmation(disputeId(ex));
    }

    @Bean
    JavaDelegate closeReplaced(DisputeSteps steps) {
        return ex -> steps.closeReplaced(disputeId(ex));
    }

    @Bean
    JavaDelegate recordMerchantRefusal(DisputeSteps steps) {
        return ex -> steps.recordMerchantRefusal(disputeId(ex));
    }

    @Bean
    JavaDelegate closeAbandoned(DisputeSteps steps) {
        return ex -> steps.closeAbandoned(disputeId(ex));
    }

    @Bean
    JavaDelegate checkEvidence(DisputeSteps steps) {
        return ex -> steps.checkEvidence(disputeId(ex));
    }

    @Bean
    JavaDelegate escalateReview(DisputeSteps steps) {
        return ex -> steps.escalateReview(disputeId(ex));
    }

    @Bean
    JavaDelegate recordReviewRejection(DisputeSteps steps) {
        return ex -> steps.recordReviewRejection(disputeId(ex));
    }

    @Bean
    JavaDelegate closeRejectedAfterReview(DisputeSteps steps) {
        return ex -> steps.closeRejectedAfterReview(disputeId(ex));
    }

    @Bean
    JavaDelegate openIntervention(DisputeSteps steps) {
        return ex -> steps.openIntervention(disputeId(ex));
    }

    @Bean
    JavaDelegate assessBurdenOfProof(DisputeSteps steps) {
        return ex -> steps.assessBurdenOfProof(disputeId(ex));
    }

    @Bean
    JavaDelegate requestAdditionalEvidence(DisputeSteps steps) {
        return ex -> steps.requestAdditionalEvidence(disputeId(ex), Party.valueOf((String) ex.getVariable(Var.EVIDENCE_FROM)));
    }

    @Bean
    JavaDelegate closeAdditionalEvidence(DisputeSteps steps) {
        return ex -> steps.additionalEvidenceClosed(disputeId(ex));
    }

    @Bean
    JavaDelegate restrictCustomer(DisputeSteps steps) {
        return ex -> steps.restrictCustomer(disputeId(ex));
    }

    @Bean
    JavaDelegate closeRejectedByRuling(DisputeSteps steps) {
        return ex -> steps.closeRejectedByRuling(disputeId(ex));
    }

    @Bean
    JavaDelegate approveRefund(DisputeSteps steps) {
        return ex -> {
            steps.approveRefund(disputeId(ex));
            ex.setVariable(Var.REFUND_APPROVED, true);
        };
    }

    @Bean
    JavaDelegate closeWithdrawn(DisputeSteps steps) {
        return ex -> steps.closeWithdrawn(disputeId(ex));
    }

    @Bean
    JavaDelegate prepareRefund(RefundService refunds) {
        return ex -> refunds.prepare(disputeId(ex),
                ExceptionResolution.REFUND_TO_BALANCE.name().equals(ex.getVariable(Var.EXCEPTION_RESOLUTION))
                        ? PaymentChannel.PLATFORM_BALANCE : null);
    }

    @Bean
    JavaDelegate requestRefund(RefundService refunds) {
        return ex -> {
            try {
                ex.setVariable(Var.REFUND_RESULT, refunds.request(disputeId(ex)).name());
            } catch (GatewayUnavailableException e) {
                throw new RefundRequestFailed(disputeId(ex), e); // the incident Cockpit shows, in plain words
            }
        };
    }

    @Bean
    JavaDelegate queryRefund(RefundService refunds) {
        return ex -> ex.setVariable(Var.REFUND_RESULT, refunds.query(disputeId(ex)).name());
    }

    @Bean
    JavaDelegate awaitArrivalConfirmation(DisputeSteps steps) {
        return ex -> steps.awaitArrivalConfirmation(disputeId(ex));
    }

    @Bean
    JavaDelegate openRefundException(DisputeSteps steps) {
        return ex -> steps.openRefundException(disputeId(ex));
    }

    @Bean
    JavaDelegate closeRefunded(DisputeSteps steps) {
        return ex -> steps.closeRefunded(disputeId(ex));
    }

    @Bean
    JavaDelegate flagComplaintOverdue(ComplaintService complaints) {
        return ex -> complaints.flagOverdue((String) ex.getVariable(Var.COMPLAINT_ID));
    }

    @Bean
    JavaDelegate orderComplaintRefund(ComplaintService complaints) {
        return ex -> complaints.orderRefund((String) ex.getVariable(Var.COMPLAINT_ID));
    }
}
