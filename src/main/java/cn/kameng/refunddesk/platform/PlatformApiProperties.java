package cn.kameng.refunddesk.platform;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code platform.api.*}: where the platform's own systems answer (docs/platform-api.yaml) and how we call
 * them. Setting {@code base-url} switches the HTTP adapters on; the key comes from the environment
 * ({@code PLATFORM_API_KEY}), never from the repository.
 */
@ConfigurationProperties(prefix = "platform.api")
record PlatformApiProperties(
        URI baseUrl,
        /** Names our key at the platform (X-Kameng-Key-Id): the platform may hold several, e.g. while rotating. */
        String keyId,
        /** The HMAC-SHA256 key shared with the platform, at least 32 bytes (UTF-8). */
        String key,
        @DefaultValue("PT2S") Duration connectTimeout,
        /** A call without its answer's headers after this long counts as failed (retried if idempotent). */
        @DefaultValue("PT5S") Duration readTimeout,
        /** What a caller is told to wait (Retry-After) when the order system cannot be reached. */
        @DefaultValue("PT30S") Duration retryAfter,
        @DefaultValue Retry retry,
        @DefaultValue Breaker breaker,
        /**
         * The platform's signed calls on us (deposit events): a timestamp further than this from our clock is
         * refused, and a nonce is remembered this long and refused if seen again.
         */
        @DefaultValue("PT5M") Duration inboundReplayWindow) {

    static final int MIN_KEY_BYTES = 32;

    /** Idempotent calls (GETs, the refund POST under its idempotency key) are tried up to {@code maxAttempts} times. */
    record Retry(@DefaultValue("3") int maxAttempts, @DefaultValue("PT0.2S") Duration backoff) {
    }

    /**
     * Per system: over the last {@code window} calls (once at least {@code minimumCalls} were made), a failure
     * rate of {@code failureRatePercent} or more opens the breaker; open, it refuses calls for {@code openFor}.
     */
    record Breaker(@DefaultValue("10") int window, @DefaultValue("5") int minimumCalls,
            @DefaultValue("50") float failureRatePercent, @DefaultValue("PT30S") Duration openFor) {
    }

    /** The properties, or a start-up error that says which one is wrong. */
    PlatformApiProperties validated() {
        if (baseUrl == null || baseUrl.getScheme() == null || baseUrl.getHost() == null
                || !(baseUrl.getScheme().equals("https") || baseUrl.getScheme().equals("http"))) {
            throw new IllegalStateException("platform.api.base-url must be an http(s) URL such as "
                    + "https://platform.example.cn/kameng-api, not '" + baseUrl + "'");
        }
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalStateException("platform.api.base-url is set but platform.api.key-id is not: set it "
                    + "(PLATFORM_API_KEY_ID) to the key id the platform gave you for our signing key");
        }
        if (key == null || key.isBlank()) {
            throw new IllegalStateException("platform.api.base-url is set but platform.api.key is not: set "
                    + "PLATFORM_API_KEY in the environment to the HMAC key shared with the platform (at least "
                    + MIN_KEY_BYTES + " bytes)");
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < MIN_KEY_BYTES) {
            throw new IllegalStateException("platform.api.key is " + bytes + " bytes long; an HMAC-SHA256 key "
                    + "shared with the platform must be at least " + MIN_KEY_BYTES + " bytes (e.g. openssl rand "
                    + "-base64 32)");
        }
        if (retry.maxAttempts() < 1) {
            throw new IllegalStateException("platform.api.retry.max-attempts must be at least 1 (1: no retry)");
        }
        if (inboundReplayWindow == null || inboundReplayWindow.isNegative() || inboundReplayWindow.isZero()) {
            throw new IllegalStateException("platform.api.inbound-replay-window must be a positive duration such as "
                    + "PT5M, not '" + inboundReplayWindow + "'");
        }
        return this;
    }

    byte[] keyBytes() {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
