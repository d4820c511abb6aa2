package cn.kameng.refunddesk.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Signs every request to the platform (docs/platform-api.yaml, "Signed requests"): HMAC-SHA256 with our key
 * over {@code METHOD \n path?query \n timestamp \n nonce \n hex(sha256(body))}, sent with the key id, the
 * timestamp (epoch seconds) and a fresh nonce. A retry is signed again, with a new nonce.
 */
final class RequestSigner implements ClientHttpRequestInterceptor {

    static final String KEY_ID = "X-Kameng-Key-Id";
    static final String TIMESTAMP = "X-Kameng-Timestamp";
    static final String NONCE = "X-Kameng-Nonce";
    static final String SIGNATURE = "X-Kameng-Signature";

    private final String keyId;
    private final byte[] key;
    private final Clock clock;

    RequestSigner(String keyId, byte[] key, Clock clock) {
        this.keyId = keyId;
        this.key = key.clone();
        this.clock = clock;
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        String nonce = UUID.randomUUID().toString();
        String target = request.getURI().getRawPath()
                + (request.getURI().getRawQuery() == null ? "" : "?" + request.getURI().getRawQuery());
        request.getHeaders().set(KEY_ID, keyId);
        request.getHeaders().set(TIMESTAMP, timestamp);
        request.getHeaders().set(NONCE, nonce);
        request.getHeaders().set(SIGNATURE, sign(key, canonical(request.getMethod().name(), target, timestamp, nonce,
                body)));
        return execution.execute(request, body);
    }

    /** The string both sides sign; the platform rebuilds it from the request it received. */
    static String canonical(String method, String pathAndQuery, String timestamp, String nonce, byte[] body) {
        return method + "\n" + pathAndQuery + "\n" + timestamp + "\n" + nonce + "\n" + sha256Hex(body);
    }

    /** Lowercase hex of HMAC-SHA256(key, canonical). */
    static String sign(byte[] key, String canonical) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
