package cn.kameng.refunddesk.platform;

import java.io.IOException;
import java.time.Instant;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;

import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.DomainException.NotFound;
import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.ledger.DepositLedger;
import cn.kameng.refunddesk.ledger.OnceOnly;

/**
 * What the platform tells us about merchants' money (issue 15): a deposit (保证金) paid, or a receivable paid back,
 * signed as our calls on the platform are (docs/platform-api.yaml, "Calls the platform makes on us"). Recorded at
 * most once per event id, in the same transaction as the ledger movement. On only where platform.api is
 * configured; elsewhere 404.
 */
@RestController
class DepositEventController {

    static final String PATH = "/api/v1/platform/deposit-events";
    static final long MAX_FEN = 100_000_000_00L;

    /** What happened at the platform. */
    enum DepositEventType {
        /** The merchant paid its deposit, or topped it up: credited to the deposit. */
        DEPOSIT_PAID,
        /** The merchant paid back what the fund advanced for it: a recovery of its receivable. */
        RECEIVABLE_PAID
    }

    /** The platform's event, strict JSON. */
    record DepositEvent(String eventId, DepositEventType type, String merchantId, Long amountFen, Instant occurredAt) {
    }

    /** What was recorded for an event: the same again answers this, and moves nothing. */
    record DepositEventRecorded(String eventId, DepositEventType type, String merchantId, long amountFen,
            DepositLedger.Balances balances) {
    }

    private static final ObjectMapper STRICT = JsonMapper.builder().findAndAddModules()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS).build();

    private final ObjectProvider<PlatformApiProperties> properties;
    private final DepositLedger ledger;
    private final OnceOnly onceOnly;
    private final InboundNonces nonces;

    DepositEventController(ObjectProvider<PlatformApiProperties> properties, DepositLedger ledger, OnceOnly onceOnly,
            JdbcClient jdbc) {
        this.properties = properties;
        this.ledger = ledger;
        this.onceOnly = onceOnly;
        this.nonces = new InboundNonces(jdbc);
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "The platform tells us a merchant paid its deposit or paid "
            + "back a receivable",
            description = "Signed with the platform API's HMAC scheme (X-Kameng-Key-Id, -Timestamp, -Nonce, "
                    + "-Signature; docs/platform-api.yaml). Recorded once per eventId: the same event again answers "
                    + "200 with the same result and moves no money; the same eventId with another body is 409. "
                    + "404 where platform.api is not configured.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
                            schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = DepositEvent.class))),
            responses = {
                @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "Recorded "
                        + "now, or earlier under this eventId (then nothing moved)"),
                @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "401", description = "The "
                        + "signature headers are missing, do not verify, are outside the replay window or reuse a "
                        + "nonce; the problem's detail says which",
                        content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/problem+json",
                                schema = @io.swagger.v3.oas.annotations.media.Schema(ref = "#/components/schemas/Problem")))
            })
    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    DepositEventRecorded receive(HttpServletRequest request, @RequestBody byte[] body,
            @RequestHeader(name = RequestSigner.KEY_ID, required = false) String keyId,
            @RequestHeader(name = RequestSigner.TIMESTAMP, required = false) String timestamp,
            @RequestHeader(name = RequestSigner.NONCE, required = false) String nonce,
            @RequestHeader(name = RequestSigner.SIGNATURE, required = false) String signature) {
        // the properties are always bound (@ConfigurationPropertiesScan); base-url is what switches platform.api on,
        // and with it PlatformApiConfiguration's start-up checks of the key id and key
        PlatformApiProperties p = properties.getIfAvailable();
        if (p == null || p.baseUrl() == null) {
            throw new NotFound("the platform's deposit events are taken only where platform.api is configured");
        }
        InboundSignature verifier = new InboundSignature(p.keyId(), p.keyBytes(), p.inboundReplayWindow());
        Instant now = ServiceClock.now();
        String target = request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        verifier.verify(request.getMethod(), target, keyId, timestamp, nonce, signature, body, now);
        nonces.remember(nonce, now, verifier.window());
        DepositEvent event = valid(parse(body));
        String note = (event.type() == DepositEventType.DEPOSIT_PAID ? "平台通知：商家保证金到账" : "平台通知：商家归还先行赔付款")
                + "（event " + event.eventId() + "，" + event.occurredAt() + "）";
        return onceOnly.once("platform-event:" + event.eventId(), event, "eventId " + event.eventId(),
                DepositEventRecorded.class, () -> {
                    DepositLedger.Statement after = event.type() == DepositEventType.DEPOSIT_PAID
                            ? ledger.topUp(event.merchantId(), event.amountFen(), note, "platform")
                            : ledger.recover(event.merchantId(), event.amountFen(), note, "platform");
                    return new DepositEventRecorded(event.eventId(), event.type(), event.merchantId(),
                            event.amountFen(), after.balances());
                }).answer();
    }

    private static DepositEvent parse(byte[] body) {
        try {
            DepositEvent event = STRICT.readValue(body, DepositEvent.class);
            if (event == null) {
                throw new BadInput("the body must be a deposit event: {eventId, type, merchantId, amountFen, occurredAt}");
            }
            return event;
        } catch (UnrecognizedPropertyException e) {
            throw BadInput.field(e.getPropertyName(), "is not a field of a deposit event (eventId, type, merchantId, "
                    + "amountFen, occurredAt)");
        } catch (InvalidFormatException e) {
            String field = field(e);
            throw BadInput.field(field, field.equals("type") ? "must be DEPOSIT_PAID or RECEIVABLE_PAID, not '"
                    + e.getValue() + "'" : "'" + e.getValue() + "' is not of the right kind");
        } catch (MismatchedInputException e) {
            throw BadInput.field(field(e), "is not of the right kind (amountFen: an integer number of fen; occurredAt:"
                    + " an ISO-8601 instant such as 2026-12-03T08:00:00Z)");
        } catch (JsonProcessingException e) {
            throw new BadInput("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadInput("the body could not be read");
        }
    }

    private static String field(MismatchedInputException e) {
        String path = e.getPath().stream().map(r -> r.getFieldName() == null ? "" : r.getFieldName())
                .collect(Collectors.joining("."));
        return path.isEmpty() ? "body" : path;
    }

    private static DepositEvent valid(DepositEvent e) {
        if (e.eventId() == null || !e.eventId().matches("[\\x21-\\x7E]{1,100}")) {
            throw BadInput.field("eventId", "is required: 1 to 100 printable ASCII characters, the platform's id of "
                    + "the event");
        }
        if (e.type() == null) {
            throw BadInput.field("type", "is required: DEPOSIT_PAID or RECEIVABLE_PAID");
        }
        if (e.merchantId() == null || e.merchantId().isBlank() || e.merchantId().length() > 64) {
            throw BadInput.field("merchantId", "is required: the merchant's id, at most 64 characters");
        }
        if (e.amountFen() == null || e.amountFen() <= 0 || e.amountFen() > MAX_FEN) {
            throw BadInput.field("amountFen", "must be a positive integer number of fen, at most " + MAX_FEN);
        }
        if (e.occurredAt() == null) {
            throw BadInput.field("occurredAt", "is required: when it happened at the platform, an ISO-8601 instant");
        }
        return e;
    }
}
