package cn.kameng.refunddesk.webhook;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import cn.kameng.refunddesk.calendar.DeadlineKind;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeRepository;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.Journal;
import cn.kameng.refunddesk.dispute.ServiceClock;

/**
 * {@code dispute.merchant_reply_due_soon}: the one event no journal entry marks. Once per merchant-reply
 * deadline, when a dispute still waits for the merchant and the deadline is at most
 * {@code dispute.webhooks.merchant-reply-due-soon} away. Its once-key (the dispute and the deadline) keeps
 * two nodes from writing it twice.
 */
@Component
class MerchantReplyDueSoon {

    private static final Logger log = LoggerFactory.getLogger(MerchantReplyDueSoon.class);

    private final JdbcClient jdbc;
    private final WebhookEvents events;
    private final WebhookStore store;
    private final Subscribers subscribers;
    private final DisputeRepository disputes;
    private final TransactionTemplate transactions;
    private final Duration lead;

    MerchantReplyDueSoon(JdbcClient jdbc, WebhookEvents events, WebhookStore store, Subscribers subscribers,
            DisputeRepository disputes, TransactionTemplate transactions,
            @Value("${dispute.webhooks.merchant-reply-due-soon:PT12H}") Duration lead) {
        if (lead.isNegative() || lead.isZero()) {
            throw new IllegalStateException("dispute.webhooks.merchant-reply-due-soon must be a positive duration "
                    + "(got " + lead + ")");
        }
        this.jdbc = jdbc;
        this.events = events;
        this.store = store;
        this.subscribers = subscribers;
        this.disputes = disputes;
        this.transactions = transactions;
        this.lead = lead;
    }

    private record Due(String disputeId, Instant dueAt) {
    }

    /** Writes the event for every dispute whose merchant reply is due soon and has none yet; returns how many. */
    @Scheduled(fixedDelayString = "${dispute.webhooks.due-soon-check-interval:PT1M}")
    int check() {
        if (subscribers.all().isEmpty()) {
            return 0;
        }
        Instant now = ServiceClock.now();
        List<Due> due = jdbc.sql("""
                select dd.dispute_id, dd.due_at from dispute_deadline dd join dispute d on d.id = dd.dispute_id
                where dd.kind = ? and d.status = ? and dd.due_at > ? and dd.due_at <= ?
                order by dd.due_at""")
                .params(DeadlineKind.MERCHANT_REPLY.name(), DisputeStatus.AWAITING_MERCHANT.name(),
                        Timestamp.from(now), Timestamp.from(now.plus(lead)))
                .query((rs, i) -> new Due(rs.getString(1), rs.getTimestamp(2).toInstant())).list();
        int written = 0;
        for (Due d : due) {
            String onceKey = d.disputeId() + "/merchant_reply_due_soon/" + d.dueAt().getEpochSecond();
            if (store.onceKeyTaken(onceKey)) {
                continue;
            }
            try {
                transactions.executeWithoutResult(tx -> {
                    Dispute dispute = disputes.get(d.disputeId());
                    Map<String, Object> data = WebhookEvents.common(dispute);
                    data.put("kind", "MERCHANT_REPLY_DUE_SOON");
                    data.put("actor", Journal.SYSTEM);
                    data.put("dueAt", d.dueAt().toString());
                    data.put("message", "商家答复期限将至：" + d.dueAt().atZone(ServiceClock.BEIJING).toLocalDateTime());
                    events.publish(d.disputeId(), WebhookEventType.MERCHANT_REPLY_DUE_SOON, now, data, onceKey);
                });
                written++;
            } catch (DuplicateKeyException e) {
                log.debug("Another node wrote {} first", onceKey);
            }
        }
        return written;
    }
}
