package cn.kameng.refunddesk.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.DomainException.NotAuthentic;
import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.refund.GatewayUnavailableException;
import cn.kameng.refunddesk.refund.PaymentGateway;
import cn.kameng.refunddesk.refund.RefundState;

/**
 * A simulated payment channel for the embedded default: keeps its refunds in a table, settles them
 * after a delay and notifies with an HMAC-signed body, behaving per order as {@link GatewayBehaviour} says.
 */
@Component
@Profile("default")
class SandboxPaymentGateway implements PaymentGateway {

    static final String NAME = "sandbox";
    static final String SIGNATURE_HEADER = "x-sandbox-signature";

    record Notice(String idempotencyKey, String status, Long settledAmountFen, String reference, String failureReason) {
    }

    private final JdbcClient jdbc;
    private final SandboxOrderDirectory orders;
    private final ObjectMapper json;
    private final byte[] secret;
    private final Duration settleAfter;
    /** The gateway is another system: its state commits on its own, whatever happens to our transaction. */
    private final org.springframework.transaction.support.TransactionTemplate ownTransaction;

    SandboxPaymentGateway(JdbcClient jdbc, SandboxOrderDirectory orders, ObjectMapper json,
            @Value("${dispute.sandbox.gateway.notification-secret:}") String secret,
            @Value("${server.address:}") String serverAddress,
            @Value("${dispute.sandbox.gateway.settle-after}") Duration settleAfter,
            org.springframework.transaction.PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.orders = orders;
        this.json = json;
        this.secret = NotificationSecret.resolve(secret, serverAddress);
        this.settleAfter = settleAfter;
        this.ownTransaction = new org.springframework.transaction.support.TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(
                org.springframework.transaction.TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean serves(PaymentChannel channel) {
        return true;
    }

    @Override
    public RefundAnswer requestRefund(RefundRequest request) {
        GatewayBehaviour behaviour = orders.behaviour(request.orderId());
        if (behaviour == GatewayBehaviour.TIMEOUT) {
            throw new GatewayUnavailableException("sandbox gateway timed out (order " + request.orderId()
                    + " is set to TIMEOUT)");
        }
        Optional<RefundAnswer> known = ownTransaction.execute(tx -> {
            Optional<RefundAnswer> existing = answer(request.idempotencyKey());
            if (existing.isEmpty()) {
                Instant now = ServiceClock.now();
                jdbc.sql("""
                        insert into sandbox_gateway_refund (idempotency_key, order_id, amount_fen, behaviour, status,
                          requested_at, settle_at) values (?, ?, ?, ?, 'PROCESSING', ?, ?)""")
                        .params(request.idempotencyKey(), request.orderId(), request.amountFen(), behaviour.name(),
                                Timestamp.from(now), Timestamp.from(now.plus(settleAfter)))
                        .update();
            }
            return existing;
        });
        if (known.isPresent()) {
            return known.get();
        }
        if (behaviour == GatewayBehaviour.TIMEOUT_ONCE) {
            throw new GatewayUnavailableException("sandbox gateway took refund " + request.idempotencyKey()
                    + " but its answer was lost (TIMEOUT_ONCE)");
        }
        return new RefundAnswer(RefundState.PROCESSING, null, "SBX-" + request.idempotencyKey(), null);
    }

    @Override
    public RefundAnswer queryRefund(String idempotencyKey, String orderId) {
        return ownTransaction.execute(tx -> answer(idempotencyKey))
                .orElse(new RefundAnswer(RefundState.UNKNOWN, null, null, null));
    }

    private Optional<RefundAnswer> answer(String key) {
        return jdbc.sql("select status, amount_fen, behaviour from sandbox_gateway_refund where idempotency_key = ?")
                .param(key)
                .query((rs, i) -> {
                    RefundState state = RefundState.valueOf(rs.getString(1));
                    Long settled = state == RefundState.SUCCEEDED
                            ? settledAmount(rs.getLong(2), GatewayBehaviour.valueOf(rs.getString(3))) : null;
                    return new RefundAnswer(state, settled, "SBX-" + key, null);
                }).optional();
    }

    /** Settles every refund whose delay has passed (or every one, if {@code all}) and returns the notices to send. */
    List<Notice> settleDue(boolean all) {
        Instant now = ServiceClock.now();
        record Due(String key, long amountFen, GatewayBehaviour behaviour) {
        }
        List<Due> due = jdbc.sql("""
                select idempotency_key, amount_fen, behaviour from sandbox_gateway_refund
                where status = 'PROCESSING' and (? or settle_at <= ?)""")
                .params(all, Timestamp.from(now))
                .query((rs, i) -> new Due(rs.getString(1), rs.getLong(2), GatewayBehaviour.valueOf(rs.getString(3))))
                .list();
        List<Notice> notices = new java.util.ArrayList<>();
        for (Due row : due) {
            String key = row.key();
            GatewayBehaviour behaviour = row.behaviour();
            long amountFen = row.amountFen();
            if (behaviour == GatewayBehaviour.NEVER_SETTLE) {
                continue;
            }
            RefundState state = switch (behaviour) {
                case FAIL -> RefundState.FAILED;
                case ABNORMAL -> RefundState.ABNORMAL;
                default -> RefundState.SUCCEEDED;
            };
            jdbc.sql("update sandbox_gateway_refund set status = ?, notified_count = ? where idempotency_key = ?")
                    .params(state.name(), behaviour == GatewayBehaviour.NOTIFY_TWICE ? 2 : 1, key).update();
            Notice notice = new Notice(key, state.name(),
                    state == RefundState.SUCCEEDED ? settledAmount(amountFen, behaviour) : null, "SBX-" + key,
                    state == RefundState.SUCCEEDED ? null : "sandbox: " + behaviour);
            notices.add(notice);
            if (behaviour == GatewayBehaviour.NOTIFY_TWICE) {
                notices.add(notice);
            }
        }
        return notices;
    }

    private static long settledAmount(long amountFen, GatewayBehaviour behaviour) {
        return behaviour == GatewayBehaviour.SHORT ? amountFen - Math.max(1, amountFen / 100) : amountFen;
    }

    String body(Notice notice) {
        try {
            return json.writeValueAsString(notice);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    String sign(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public RefundNotification parseNotification(Map<String, String> headers, String body) {
        String signature = headers.get(SIGNATURE_HEADER);
        if (signature == null || !MessageDigest.isEqual(sign(body).getBytes(StandardCharsets.UTF_8),
                signature.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8))) {
            throw new NotAuthentic("the sandbox notification's signature does not verify");
        }
        try {
            Notice notice = json.readValue(body, Notice.class);
            if (notice == null) {
                throw BadInput.field("body", "must be a JSON object, not null");
            }
            Map<String, String> missing = new java.util.LinkedHashMap<>();
            if (notice.idempotencyKey() == null) {
                missing.put("idempotencyKey", "is required");
            }
            if (notice.status() == null) {
                missing.put("status", "is required");
            }
            if (!missing.isEmpty()) {
                throw new BadInput("the notification lacks " + missing.keySet(), missing);
            }
            return new RefundNotification(notice.idempotencyKey(), RefundState.valueOf(notice.status()),
                    notice.settledAmountFen(), notice.reference(), notice.failureReason());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new BadInput(
                    "the notification body is not a sandbox refund notice: " + e.getMessage());
        }
    }
}
