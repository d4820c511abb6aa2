package cn.kameng.refunddesk.webhook;

import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.Backoff;
import cn.kameng.refunddesk.dispute.ServiceClock;

/**
 * Sends committed webhook events to their subscribers, per subscriber and dispute strictly in sequence
 * order. A failed delivery (any answer but 2xx, a timeout, a refused connection) is tried again after the
 * notification outbox's doubling pause ({@code dispute.notifications.retry-after}, at most
 * {@code max-retry-after}) and never given up; it holds back only the later events of its own dispute to
 * that subscriber. Each delivery is claimed with a conditional update before it is sent, so two nodes
 * never send one event at the same time.
 */
@Component
class WebhookRelay {

    private static final Logger log = LoggerFactory.getLogger(WebhookRelay.class);

    /** Rounds of one relay run: each round sends the next event of every dispute whose previous one just went. */
    private static final int MAX_ROUNDS = 50;
    private static final int BATCH = 100;

    private final WebhookStore store;
    private final Subscribers subscribers;
    private final WebhookSender sender;
    private final Backoff backoff;
    private final Duration claimFor;

    WebhookRelay(WebhookStore store, Subscribers subscribers, WebhookSender sender,
            @Value("${dispute.notifications.retry-after:PT30S}") Duration retryAfter,
            @Value("${dispute.notifications.max-retry-after:PT1H}") Duration maxRetryAfter) {
        this.store = store;
        this.subscribers = subscribers;
        this.sender = sender;
        this.backoff = new Backoff(retryAfter, maxRetryAfter);
        // longer than any one send can take, so a claim outlives its send; a crashed node's claim then expires
        this.claimFor = subscribers.connectTimeout().plus(subscribers.readTimeout()).multipliedBy(2)
                .plusSeconds(30);
    }

    @Scheduled(fixedDelayString = "${dispute.webhooks.relay-interval:PT5S}")
    void relay() {
        if (subscribers.all().isEmpty()) {
            return; // nothing was written, nothing to send
        }
        for (int round = 0; round < MAX_ROUNDS; round++) {
            if (relayRound() == 0) {
                return;
            }
        }
    }

    /** One round: every delivery due now that heads its chain; returns how many were accepted. */
    int relayRound() {
        int accepted = 0;
        for (WebhookStore.Due due : store.due(ServiceClock.now(), BATCH)) {
            Instant now = ServiceClock.now();
            if (!store.claim(due.id(), now, now.plus(claimFor))) {
                continue; // another relay has it
            }
            Subscribers.Subscriber to = subscribers.named(due.subscriber()).orElse(null);
            if (to == null) {
                // taken out of the configuration: kept, not sent, until it comes back
                store.markFailed(due.id(), "no subscriber called '" + due.subscriber() + "' is configured",
                        now.plus(backoff.pauseAfter(due.attempts() + 1)));
                continue;
            }
            WebhookSender.Result result = sender.send(to, due.eventId(), due.type(), due.body());
            store.logAttempt(due.id(), new WebhookStore.Attempt(now, result.httpStatus(), result.error(),
                    result.durationMs()));
            if (result.accepted()) {
                store.markDelivered(due.id(), ServiceClock.now());
                accepted++;
            } else {
                int failures = due.attempts() + 1;
                Duration pause = backoff.pauseAfter(failures);
                store.markFailed(due.id(), result.error(), ServiceClock.now().plus(pause));
                log.warn("Webhook {} ({} #{} of {}) to {} not accepted (attempt {}), next try in {}: {}",
                        due.eventId(), due.type(), due.sequence(), due.disputeId(), to, failures, pause, result.error());
            }
        }
        return accepted;
    }
}
