package cn.kameng.refunddesk.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a receiver does with a webhook before believing it (and what our tests do): the
 * {@code Kameng-Signature} must carry a timestamp within the tolerance of the receiver's clock (5 minutes
 * unless told) and a {@code v1} signature that the shared secret reproduces over {@code t + "." + body},
 * compared in constant time. Any {@code v1} that matches is enough (a secret being rotated may sign twice).
 */
public final class WebhookVerifier {

    /** The webhook is not to be believed; the message says why. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private final byte[] secret;
    private final Duration tolerance;

    public WebhookVerifier(String secret) {
        this(secret, DEFAULT_TOLERANCE);
    }

    public WebhookVerifier(String secret, Duration tolerance) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("the subscriber's secret is needed to verify its webhooks");
        }
        if (tolerance == null || tolerance.isNegative()) {
            throw new IllegalArgumentException("the replay tolerance must be zero or more (got " + tolerance + ")");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.tolerance = tolerance;
    }

    /** Checks the header against the raw body as received, at {@code now}; throws {@link Refused} if wrong. */
    public void verify(String signatureHeader, String body, Instant now) {
        if (signatureHeader == null || signatureHeader.isBlank()) {
            throw new Refused("no " + WebhookSignature.HEADER + " header");
        }
        Long t = null;
        List<String> signatures = new ArrayList<>();
        for (String part : signatureHeader.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                continue;
            }
            if (kv[0].equals("t")) {
                try {
                    t = Long.parseLong(kv[1]);
                } catch (NumberFormatException e) {
                    throw new Refused("the timestamp t='" + kv[1] + "' is not a number of seconds");
                }
            } else if (kv[0].equals(WebhookSignature.SCHEME)) {
                signatures.add(kv[1]);
            }
        }
        if (t == null) {
            throw new Refused("the signature header has no timestamp t=");
        }
        if (signatures.isEmpty()) {
            throw new Refused("the signature header has no " + WebhookSignature.SCHEME + "= signature");
        }
        Duration age = Duration.between(Instant.ofEpochSecond(t), now).abs();
        if (age.compareTo(tolerance) > 0) {
            throw new Refused("the signature's timestamp " + Instant.ofEpochSecond(t) + " is " + age
                    + " away from now, outside the replay window of " + tolerance);
        }
        byte[] expected = WebhookSignature.hmac(secret, t, body).getBytes(StandardCharsets.US_ASCII);
        for (String candidate : signatures) {
            if (MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII))) {
                return;
            }
        }
        throw new Refused("no " + WebhookSignature.SCHEME + " signature matches the body with this secret");
    }
}
