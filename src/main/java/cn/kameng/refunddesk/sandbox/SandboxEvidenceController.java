package cn.kameng.refunddesk.sandbox;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import cn.kameng.refunddesk.dispute.Caller;
import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.DomainException.NotFound;
import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.evidence.CardKeySupplier;
import cn.kameng.refunddesk.evidence.PlatformChatLog;
import cn.kameng.refunddesk.security.CurrentCaller;

/** The sandbox supplier's card-key records and the sandbox platform chat, for trying the evidence checks. */
@RestController
@Profile("default")
@RequestMapping(path = "/api/v1/sandbox", produces = MediaType.APPLICATION_JSON_VALUE)
class SandboxEvidenceController {

    record CardKeyBody(@NotNull CardKeySupplier.Status status, Instant redeemedAt, @Size(max = 64) String redeemedBy) {
    }

    /** A line of the chat; its sender is the signed-in caller, never a name in the body. */
    record ChatBody(@NotBlank @Size(max = 4000) String text) {
    }

    private final SandboxCardKeySupplier supplier;
    private final SandboxChatLog chat;
    private final SandboxOrderDirectory orders;

    private final CurrentCaller callers;

    SandboxEvidenceController(SandboxCardKeySupplier supplier, SandboxChatLog chat, SandboxOrderDirectory orders,
            CurrentCaller callers) {
        this.callers = callers;
        this.supplier = supplier;
        this.chat = chat;
        this.orders = orders;
    }

    /** What the supplier says about a card key (a key it has no record of counts as UNUSED). */
    @PutMapping(path = "/card-keys/{cardKey}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Transactional
    Map<String, Object> cardKey(@PathVariable String cardKey, @Valid @RequestBody CardKeyBody body) {
        if (cardKey.length() > 200) {
            throw BadInput.field("cardKey", "has more than 200 characters");
        }
        supplier.set(cardKey, new CardKeySupplier.Redemption(body.status(), body.redeemedAt(), body.redeemedBy()));
        return Map.of("cardKey", cardKey, "status", body.status().name());
    }

    /**
     * A message about the order in the platform's chat, sent by the caller: the order's buyer or merchant (or
     * operations, as themselves). Anyone else is told there is no such order.
     */
    @PostMapping(path = "/orders/{orderId}/chat", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> chat(@PathVariable String orderId, @Valid @RequestBody ChatBody body) {
        Caller caller = callers.get();
        boolean mayWrite = orders.find(orderId).filter(o -> caller.userId().equals(o.buyerId())
                || caller.userId().equals(o.merchantId()) || caller.in(Caller.ADMINS) || caller.in(Caller.OPERATIONS))
                .isPresent();
        if (!mayWrite) {
            throw new NotFound("there is no sandbox order " + orderId);
        }
        chat.add(orderId, new PlatformChatLog.Message(ServiceClock.now(), caller.userId(), body.text()));
        return ResponseEntity.created(URI.create("/api/v1/sandbox/orders/" + orderId + "/chat"))
                .body(Map.of("orderId", orderId, "sender", caller.userId()));
    }
}
