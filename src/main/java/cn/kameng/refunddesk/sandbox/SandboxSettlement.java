package cn.kameng.refunddesk.sandbox;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Profile;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import cn.kameng.refunddesk.refund.RefundService;

/** Plays the gateway's side: settles due sandbox refunds and posts their signed notifications. */
@Component
@Profile("default")
public class SandboxSettlement {

    private static final Logger log = LoggerFactory.getLogger(SandboxSettlement.class);

    private final SandboxPaymentGateway gateway;
    private final RefundService refunds;
    private final TransactionTemplate tx;
    private final boolean autoSettle;

    SandboxSettlement(SandboxPaymentGateway gateway, RefundService refunds, TransactionTemplate tx,
            @Value("${dispute.sandbox.gateway.auto-settle:true}") boolean autoSettle) {
        this.gateway = gateway;
        this.refunds = refunds;
        this.tx = tx;
        this.autoSettle = autoSettle;
    }

    @Scheduled(fixedDelayString = "${dispute.sandbox.gateway.settle-interval:PT2S}")
    void settleOnSchedule() {
        if (autoSettle) {
            settle(false);
        }
    }

    /**
     * The signature the sandbox gateway puts on {@code body} (header {@code x-sandbox-signature}), for tests
     * and demos that play the gateway themselves. Never served over HTTP.
     */
    public String signature(String body) {
        return gateway.sign(body);
    }

    /** Settles what is due ({@code all}: every pending refund at once) and delivers the notifications. */
    public int settle(boolean all) {
        List<SandboxPaymentGateway.Notice> notices = tx.execute(status -> gateway.settleDue(all));
        for (SandboxPaymentGateway.Notice notice : notices) {
            String body = gateway.body(notice);
            try {
                refunds.onNotification(SandboxPaymentGateway.NAME,
                        Map.of(SandboxPaymentGateway.SIGNATURE_HEADER, gateway.sign(body)), body);
            } catch (RuntimeException e) {
                log.warn("Sandbox notification for refund {} was not taken: {}", notice.idempotencyKey(), e.getMessage());
            }
        }
        return notices.size();
    }
}
