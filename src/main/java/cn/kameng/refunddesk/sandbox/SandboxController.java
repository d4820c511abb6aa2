package cn.kameng.refunddesk.sandbox;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.DomainException.NotFound;
import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.order.Order;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;

/** Default profile only: make orders and steer the simulated gateway. Absent (404) elsewhere. */
@RestController
@Profile("default")
@RequestMapping(path = "/api/v1/sandbox", produces = MediaType.APPLICATION_JSON_VALUE)
class SandboxController {

    record OrderBody(@NotBlank @Size(max = 64) String buyerId, @NotBlank @Size(max = 64) String merchantId,
            @NotNull @Positive Long amountFen, @NotNull PaymentChannel paymentChannel,
            @NotNull ProductCategory productCategory, Instant deliveredAt, @Size(max = 200) String deliveredCardKey,
            GatewayBehaviour gatewayBehaviour,
            /** The payment's ID at its channel (UnionPay queryId), for a real gateway's refund; optional. */
            @Size(max = 64) String paymentReference) {
    }

    record BehaviourBody(@NotNull GatewayBehaviour behaviour) {
    }

    private final SandboxOrderDirectory orders;
    private final SandboxSettlement settlement;

    SandboxController(SandboxOrderDirectory orders, SandboxSettlement settlement) {
        this.orders = orders;
        this.settlement = settlement;
    }

    @PostMapping(path = "/orders", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, String>> createOrder(@Valid @RequestBody OrderBody body) {
        if (body.deliveredAt() != null && body.deliveredAt().isAfter(ServiceClock.now())) {
            throw BadInput.field("deliveredAt", "must not be in the future");
        }
        String orderId = "ORD-" + UUID.randomUUID().toString().substring(0, 13).toUpperCase(java.util.Locale.ROOT);
        orders.create(new Order(orderId, body.buyerId(), body.merchantId(), body.amountFen(), body.paymentChannel(),
                body.productCategory(), body.deliveredAt(),
                body.deliveredCardKey(), body.paymentReference()), body.gatewayBehaviour() == null ? GatewayBehaviour.SUCCEED : body.gatewayBehaviour());
        return ResponseEntity.created(URI.create("/api/v1/sandbox/orders/" + orderId)).body(Map.of("orderId", orderId));
    }

    @org.springframework.web.bind.annotation.GetMapping("/orders/{orderId}")
    Map<String, Object> order(@PathVariable String orderId) {
        Order order = orders.find(orderId).orElseThrow(() -> new NotFound("there is no sandbox order " + orderId));
        Map<String, Object> view = new java.util.LinkedHashMap<>();
        view.put("orderId", order.orderId());
        view.put("buyerId", order.buyerId());
        view.put("merchantId", order.merchantId());
        view.put("amountFen", order.amountFen());
        view.put("paymentChannel", order.paymentChannel());
        view.put("productCategory", order.productCategory());
        view.put("deliveredAt", order.deliveredAt());
        view.put("gatewayBehaviour", orders.behaviour(orderId));
        view.put("paymentReference", order.paymentReference());
        return view;
    }

    @PutMapping(path = "/orders/{orderId}/gateway-behaviour", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, String> behaviour(@PathVariable String orderId, @Valid @RequestBody BehaviourBody body) {
        if (!orders.setBehaviour(orderId, body.behaviour())) {
            throw new NotFound("there is no sandbox order " + orderId);
        }
        return Map.of("orderId", orderId, "behaviour", body.behaviour().name());
    }

    /** Settles pending sandbox refunds now instead of after the configured delay. */
    @PostMapping("/gateway/settle")
    Map<String, Integer> settle(@RequestParam(defaultValue = "true") boolean all) {
        return Map.of("notificationsSent", settlement.settle(all));
    }
}
