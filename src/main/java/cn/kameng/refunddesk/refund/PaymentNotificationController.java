package cn.kameng.refunddesk.refund;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import cn.kameng.refunddesk.dispute.DomainException.BadInput;

/**
 * Where payment gateways post refund notifications. Not behind HTTP Basic (gateways cannot sign in):
 * each gateway's adapter verifies the notification's signature, and a forged one is 401.
 */
@RestController
class PaymentNotificationController {

    record Ack(String code, String message) {
    }

    private final RefundService refunds;

    PaymentNotificationController(RefundService refunds) {
        this.refunds = refunds;
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "A payment gateway reports a refund's outcome",
            description = "For the gateways only: no sign-in, the body is checked against the gateway's signature "
                    + "in its headers; answered in the gateway's own format.")
    @PostMapping(path = "/api/v1/payment-notifications/{gateway}")
    ResponseEntity<?> receive(@PathVariable String gateway, @RequestHeader Map<String, String> headers,
            @RequestBody(required = false) String body) {
        if (body == null || body.isBlank()) {
            throw BadInput.field("body", "the notification is empty");
        }
        Map<String, String> lower = new TreeMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        String acknowledgement = refunds.onNotification(gateway, lower, body);
        return acknowledgement != null
                ? ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(acknowledgement)
                : ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(new Ack("SUCCESS", "OK"));
    }
}
