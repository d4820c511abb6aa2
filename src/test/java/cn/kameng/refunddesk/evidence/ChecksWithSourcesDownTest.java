package cn.kameng.refunddesk.evidence;

import static cn.kameng.refunddesk.support.TestDisputes.BUYER1;
import static cn.kameng.refunddesk.support.TestDisputes.MERCHANT1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.order.OrderDirectory;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;
import cn.kameng.refunddesk.workflow.DisputeService;

/** The order directory and the platform chat are down: the checks say they could not run, and the dispute goes on. */
@DisputeServiceTest
class ChecksWithSourcesDownTest {

    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired EvidenceChecks checks;
    @MockitoSpyBean OrderDirectory orders;
    @MockitoSpyBean PlatformChatLog chat;

    @Test
    void aCheckWhoseSourceIsDownSaysCannotRunAndTheReviewStillStarts() {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        disputes.merchantResponse(MERCHANT1, d.id(), new MerchantAnswer(MerchantDecision.REFUSE, null, "卡密已被使用", null));
        given.bringRequiredEvidence(d.id());
        doThrow(new IllegalStateException("order directory timed out")).when(orders).find(anyString());
        doThrow(new IllegalStateException("chat service 503")).when(chat).of(anyString());

        disputes.formalRequest(BUYER1, d.id(), "卡密无效", "KEY-whatever");

        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.UNDER_REVIEW);
        assertThat(checks.of(d.id())).extracting(c -> c.name() + " " + c.result()).containsExactly(
                "ORDER_OF_CUSTOMER CANNOT_RUN", "PAYMENT_MATCHES CANNOT_RUN", "CARD_KEY_MATCHES CANNOT_RUN",
                "CARD_KEY_REDEMPTION CANNOT_RUN", "CHAT_LOG_ATTACHED CANNOT_RUN", "CUSTOMER_REQUIRED_EVIDENCE PASSED");
        assertThat(checks.of(d.id())).filteredOn(c -> c.result() == EvidenceChecks.Result.CANNOT_RUN)
                .allSatisfy(c -> assertThat(c.detail()).contains("不可用"));
    }
}
