package cn.kameng.refunddesk.webhook;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.Journal;

/**
 * Writes the webhook event of a journal entry, in the transaction of the change (transactional outbox):
 * the envelope as it will be signed and sent, its sequence number in the dispute, and one delivery for
 * each subscriber that wants its type. Without subscribers nothing is written.
 */
@Component
class WebhookEvents {

    static final String SPEC_VERSION = "1";

    /** The versioned envelope (docs/webhooks.md); its fields in this order on the wire. */
    record Envelope(String specVersion, String id, String type, String occurredAt, String disputeId, int sequence,
            Map<String, Object> data) {
    }

    private final WebhookStore store;
    private final Subscribers subscribers;
    private final ObjectMapper json;

    WebhookEvents(WebhookStore store, Subscribers subscribers, ObjectMapper json) {
        this.store = store;
        this.subscribers = subscribers;
        this.json = json;
    }

    /** Synchronous, in the caller's transaction: a failure here rolls the change back (nothing half-told). */
    @EventListener
    void on(Journal.Recorded entry) {
        WebhookEventType.fromJournal(entry.event()).ifPresent(mapped -> {
            Map<String, Object> data = common(entry.dispute());
            data.put("kind", entry.event());
            data.put("actor", entry.actor());
            data.putAll(mapped.extra());
            if (mapped.type() == WebhookEventType.APPEAL_FILED) { // the appellant: the party the ruling went against
                data.put("party", entry.dispute().partyOf(entry.actor()).name());
            }
            data.put("message", entry.message());
            publish(entry.dispute().id(), mapped.type(), entry.at(), data, null);
        });
    }

    /** The dispute's parties and order, in every event's data. */
    static Map<String, Object> common(Dispute d) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("orderId", d.orderId());
        data.put("customerId", d.customerId());
        data.put("merchantId", d.merchantId());
        return data;
    }

    /**
     * Writes one event (call inside the transaction of what it reports). {@code onceKey}, when given,
     * makes a second event with the same key fail with the unique constraint.
     */
    void publish(String disputeId, WebhookEventType type, Instant at, Map<String, Object> data, String onceKey) {
        if (subscribers.all().isEmpty()) {
            return;
        }
        int sequence = store.nextSequence(disputeId);
        String id = UUID.randomUUID().toString();
        String body;
        try {
            body = json.writeValueAsString(new Envelope(SPEC_VERSION, id, type.wireName(), at.toString(), disputeId,
                    sequence, data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the webhook envelope of " + type.wireName() + " could not be written", e);
        }
        store.insertEvent(id, disputeId, sequence, type, at, body, onceKey);
        subscribers.all().stream().filter(s -> s.wants(type))
                .forEach(s -> store.insertDelivery(id, s.name(), disputeId, sequence));
    }
}
