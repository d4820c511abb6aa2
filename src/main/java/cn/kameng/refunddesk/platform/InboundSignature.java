package cn.kameng.refunddesk.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;

import cn.kameng.refunddesk.dispute.DomainException.NotAuthentic;

/**
 * Our signing scheme in reverse (docs/platform-api.yaml, "Signed requests"), for what the platform sends us: the
 * same key id, the same HMAC-SHA256 key and canonical string, a timestamp within the replay window. Each refusal
 * names what is wrong; the signatures are compared in constant time.
 */
final class InboundSignature {

    private final String keyId;
    private final byte[] key;
    private final Duration window;

    InboundSignature(String keyId, byte[] key, Duration window) {
        this.keyId = keyId;
        this.key = key.clone();
        this.window = window;
    }

    Duration window() {
        return window;
    }

    /** Verifies the headers over the request as received; answers the nonce to remember. */
    String verify(String method, String pathAndQuery, String sentKeyId, String timestamp, String nonce,
            String signature, byte[] body, Instant now) {
        if (sentKeyId == null || timestamp == null || nonce == null || signature == null) {
            throw new NotAuthentic("a signed request from the platform needs the headers " + RequestSigner.KEY_ID + ", "
                    + RequestSigner.TIMESTAMP + ", " + RequestSigner.NONCE + " and " + RequestSigner.SIGNATURE
                    + " (docs/platform-api.yaml, \"Signed requests\")");
        }
        if (!sentKeyId.equals(keyId)) {
            throw new NotAuthentic(RequestSigner.KEY_ID + " '" + sentKeyId + "' is not the key we share with the platform");
        }
        if (!nonce.matches("[\\x21-\\x7E]{8,100}")) {
            throw new NotAuthentic(RequestSigner.NONCE + " must be 8 to 100 printable ASCII characters (a UUID will do)");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            throw new NotAuthentic(RequestSigner.TIMESTAMP + " must be the signing time in epoch seconds, not '"
                    + timestamp + "'");
        }
        long skew = Math.abs(now.getEpochSecond() - seconds);
        if (skew > window.toSeconds()) {
            throw new NotAuthentic(RequestSigner.TIMESTAMP + " is " + skew + " s away from our clock, more than the "
                    + window.toSeconds() + " s a signed request may be: sign it again, now");
        }
        String expected = RequestSigner.sign(key, RequestSigner.canonical(method, pathAndQuery, timestamp, nonce, body));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            throw new NotAuthentic(RequestSigner.SIGNATURE + " does not verify: HMAC-SHA256 with the shared key over "
                    + "method, path, timestamp, nonce and the body's SHA-256 gives another value");
        }
        return nonce;
    }
}
