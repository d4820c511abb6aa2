package cn.kameng.refunddesk.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Kameng-Signature} header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}
 * (docs/webhooks.md). The timestamp is signed with the body, so an old request cannot be replayed with a
 * fresh time.
 */
public final class WebhookSignature {

    public static final String HEADER = "Kameng-Signature";
    public static final String EVENT_ID_HEADER = "Kameng-Event-Id";
    public static final String EVENT_TYPE_HEADER = "Kameng-Event-Type";
    public static final String SPEC_VERSION_HEADER = "Kameng-Webhook-Version";
    public static final String SCHEME = "v1";

    private WebhookSignature() {
    }

    /** The header's value for a body sent at {@code unixSeconds}. */
    public static String header(byte[] secret, long unixSeconds, String body) {
        return "t=" + unixSeconds + "," + SCHEME + "=" + hmac(secret, unixSeconds, body);
    }

    /** Lower-case hex HMAC-SHA256 of {@code t + "." + body} (UTF-8). */
    public static String hmac(byte[] secret, long unixSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((unixSeconds + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
