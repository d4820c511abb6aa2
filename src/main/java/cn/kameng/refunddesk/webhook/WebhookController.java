package cn.kameng.refunddesk.webhook;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import cn.kameng.refunddesk.dispute.Caller;
import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.DomainException.NotFound;
import cn.kameng.refunddesk.dispute.DomainException.NotYours;
import cn.kameng.refunddesk.security.CurrentCaller;

/** Operations' view of the webhooks: the delivery log of a dispute, the failing deliveries, and redelivery. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
class WebhookController {

    /** A delivery with every attempt made. */
    record DeliveryLog(WebhookStore.Delivery delivery, List<WebhookStore.Attempt> attempts) {
    }

    record Redelivery(@NotBlank @Size(max = 100) String subscriber) {
    }

    private final WebhookStore store;
    private final Subscribers subscribers;
    private final CurrentCaller caller;

    WebhookController(WebhookStore store, Subscribers subscribers, CurrentCaller caller) {
        this.store = store;
        this.subscribers = subscribers;
        this.caller = caller;
    }

    /** {@code ?disputeId=}: every delivery of the dispute's events; {@code ?failing=true}: undelivered after a failure. */
    @GetMapping("/webhook-deliveries")
    List<DeliveryLog> deliveries(@RequestParam(required = false) String disputeId,
            @RequestParam(defaultValue = "false") boolean failing) {
        operations();
        if ((disputeId == null || disputeId.isBlank()) == !failing) {
            throw new BadInput("ask for one of disputeId=<dispute id> (its deliveries) or failing=true (the "
                    + "deliveries not accepted yet after a failed attempt)");
        }
        List<WebhookStore.Delivery> found = failing ? store.failing(200) : store.ofDispute(disputeId);
        return found.stream().map(d -> new DeliveryLog(d, store.attempts(d.id()))).toList();
    }

    /**
     * Sends the event to the subscriber again, with the same event id and body (the relay sends it next,
     * signed afresh). Later events of the dispute still pending to that subscriber wait for it.
     */
    @PostMapping(path = "/webhook-events/{eventId}/redeliver", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    DeliveryLog redeliver(@PathVariable String eventId, @Valid @RequestBody Redelivery body) {
        operations();
        if (!store.eventExists(eventId)) {
            throw new NotFound("there is no webhook event '" + eventId + "'");
        }
        if (subscribers.named(body.subscriber()).isEmpty()) {
            throw BadInput.field("subscriber", "'" + body.subscriber() + "' is not a configured subscriber; they are "
                    + subscribers.all().stream().map(Subscribers.Subscriber::name).toList());
        }
        if (!store.redeliver(eventId, body.subscriber())) {
            throw new NotFound("event '" + eventId + "' was never for subscriber '" + body.subscriber()
                    + "' (its type is not in the subscriber's events)");
        }
        WebhookStore.Delivery d = store.delivery(eventId, body.subscriber()).orElseThrow();
        return new DeliveryLog(d, store.attempts(d.id()));
    }

    private void operations() {
        Caller who = caller.get();
        if (!who.in(Caller.OPERATIONS) && !who.in(Caller.ADMINS)) {
            throw new NotYours("the webhook delivery log and redelivery are for operations and administrators");
        }
    }
}
