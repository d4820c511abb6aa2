package cn.kameng.refunddesk.platform;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.StreamUtils;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;

/**
 * The one HTTP client to the platform: signed requests (RequestSigner) on the JDK HttpClient with the
 * configured timeouts, a circuit breaker per {@link PlatformSystem}, and retries only for calls that are
 * idempotent: GETs, and a POST sent under an idempotency key. A 404 is an answer (empty); anything that
 * leaves us without an answer throws {@link Unreachable}.
 */
final class PlatformClient {

    private static final Logger log = LoggerFactory.getLogger(PlatformClient.class);
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** Why a call gave no answer; whether it is tried again and whether it counts against the system's breaker. */
    enum Failure {
        /** Timeout, connection refused, 5xx, 429: the system is down or overloaded. */
        DOWN(true, true),
        /** 401/403: the platform refused our signature (wrong key or key id, clock skew): our configuration. */
        SIGNATURE_REFUSED(false, true),
        /** A 2xx whose body is not what the contract says. */
        BAD_ANSWER(false, true),
        /** Another 4xx: the platform refused this request; the system itself is fine. */
        REFUSED(false, false),
        /** The breaker is open: not sent at all. */
        BREAKER_OPEN(false, false);

        final boolean retried;
        final boolean recorded;

        Failure(boolean retried, boolean recorded) {
            this.retried = retried;
            this.recorded = recorded;
        }
    }

    /** No usable answer from a platform system; {@code status} is the HTTP status if there was one (else 0). */
    static final class Unreachable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final transient PlatformSystem system;
        private final Failure failure;
        private final int status;

        Unreachable(PlatformSystem system, Failure failure, int status, String message, Throwable cause) {
            super(message, cause);
            this.system = system;
            this.failure = failure;
            this.status = status;
        }

        PlatformSystem system() {
            return system;
        }

        Failure failure() {
            return failure;
        }

        int status() {
            return status;
        }
    }

    private final RestClient http;
    private final Map<PlatformSystem, CircuitBreaker> breakers = new EnumMap<>(PlatformSystem.class);
    private final Map<PlatformSystem, Retry> retries = new EnumMap<>(PlatformSystem.class);

    PlatformClient(PlatformApiProperties properties, Clock clock) {
        PlatformApiProperties p = properties.validated();
        HttpClient jdk = HttpClient.newBuilder().connectTimeout(p.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(jdk);
        requests.setReadTimeout(p.readTimeout());
        this.http = RestClient.builder().baseUrl(p.baseUrl().toString()).requestFactory(requests)
                .requestInterceptor(new RequestSigner(p.keyId(), p.keyBytes(), clock))
                .defaultHeader("Accept", MediaType.APPLICATION_JSON_VALUE).build();
        CircuitBreakerConfig breaker = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(p.breaker().window()).minimumNumberOfCalls(p.breaker().minimumCalls())
                .failureRateThreshold(p.breaker().failureRatePercent())
                .waitDurationInOpenState(p.breaker().openFor()).permittedNumberOfCallsInHalfOpenState(1)
                .recordException(e -> e instanceof Unreachable u && u.failure().recorded)
                .build();
        RetryConfig retry = RetryConfig.custom().maxAttempts(p.retry().maxAttempts()).waitDuration(p.retry().backoff())
                .retryOnException(e -> e instanceof Unreachable u && u.failure().retried).build();
        for (PlatformSystem system : PlatformSystem.values()) {
            breakers.put(system, CircuitBreaker.of(system.healthName(), breaker));
            retries.put(system, Retry.of(system.healthName(), retry));
        }
    }

    CircuitBreaker breaker(PlatformSystem system) {
        return breakers.get(system);
    }

    /** GET: idempotent, so retried. Empty on 404. */
    <T> Optional<T> get(PlatformSystem system, Class<T> type, String path, Object... variables) {
        return call(system, true, () -> http.get().uri(path, variables)
                .exchange((request, response) -> answer(system, response, type), true));
    }

    /** GET once, not retried: for best-effort reads (the order statistics) that must not hold a caller up. */
    <T> Optional<T> getOnce(PlatformSystem system, Class<T> type, String path, Object... variables) {
        return call(system, false, () -> http.get().uri(path, variables)
                .exchange((request, response) -> answer(system, response, type), true));
    }

    /**
     * POST a JSON body. Retried only under an {@code idempotencyKey} (sent as Idempotency-Key: the platform
     * answers a repeat with the first outcome); without one it is sent once. Empty on 404.
     */
    <T> Optional<T> post(PlatformSystem system, String idempotencyKey, Object body, Class<T> type, String path,
            Object... variables) {
        return call(system, idempotencyKey != null, () -> http.post().uri(path, variables)
                .contentType(MediaType.APPLICATION_JSON)
                .headers(h -> {
                    if (idempotencyKey != null) {
                        h.set(IDEMPOTENCY_KEY, idempotencyKey);
                    }
                })
                .body(json(body))
                .exchange((request, response) -> answer(system, response, type), true));
    }

    /**
     * The cause in words, without the request's URL (Spring's own message names it, and a card key travels in
     * the path): the root cause's type and message.
     */
    private static String words(Throwable root) {
        if (root instanceof java.net.http.HttpTimeoutException) {
            return "timed out (no answer within platform.api.read-timeout or connect-timeout)";
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " (" + root.getMessage() + ")");
    }

    private static byte[] json(Object body) {
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private <T> Optional<T> call(PlatformSystem system, boolean idempotent, Supplier<Optional<T>> attempt) {
        Supplier<Optional<T>> once = () -> {
            try {
                return attempt.get();
            } catch (ResourceAccessException e) {
                Throwable root = org.springframework.core.NestedExceptionUtils.getMostSpecificCause(e);
                throw new Unreachable(system, Failure.DOWN, 0, system.words() + " did not answer: " + words(root),
                        root);
            } catch (RestClientException e) {
                Throwable root = org.springframework.core.NestedExceptionUtils.getMostSpecificCause(e);
                throw new Unreachable(system, Failure.BAD_ANSWER, 0, system.words()
                        + " answered something the contract does not allow: " + words(root), root);
            }
        };
        Supplier<Optional<T>> guarded = CircuitBreaker.decorateSupplier(breakers.get(system), once);
        if (idempotent) {
            guarded = Retry.decorateSupplier(retries.get(system), guarded);
        }
        try {
            return guarded.get();
        } catch (CallNotPermittedException e) {
            throw new Unreachable(system, Failure.BREAKER_OPEN, 0, system.words() + " failed too often lately; "
                    + "not called for now (circuit breaker open)", e);
        } catch (Unreachable e) {
            if (e.failure() == Failure.SIGNATURE_REFUSED) {
                log.error("{} refused our signature ({}): check platform.api.key-id and platform.api.key against "
                        + "the key the platform holds, and this machine's clock", system.words(), e.getMessage());
            }
            throw e;
        }
    }

    private static <T> Optional<T> answer(PlatformSystem system, ClientHttpResponse response, Class<T> type)
            throws IOException {
        HttpStatusCode status = response.getStatusCode();
        if (status.is2xxSuccessful()) {
            return Optional.of(readBody(system, response, type));
        }
        if (status.value() == 404) {
            return Optional.empty();
        }
        String body = text(response);
        if (status.is5xxServerError() || status.value() == 429) {
            throw new Unreachable(system, Failure.DOWN, status.value(), system.words() + " answered " + status.value()
                    + ": " + body, null);
        }
        if (status.value() == 401 || status.value() == 403) {
            throw new Unreachable(system, Failure.SIGNATURE_REFUSED, status.value(), system.words()
                    + " refused our signed request with " + status.value() + ": " + body, null);
        }
        throw new Unreachable(system, Failure.REFUSED, status.value(), system.words() + " refused the request with "
                + status.value() + ": " + body, null);
    }

    private static <T> T readBody(PlatformSystem system, ClientHttpResponse response, Class<T> type)
            throws IOException {
        byte[] bytes = StreamUtils.copyToByteArray(response.getBody());
        if (bytes.length == 0) {
            throw new Unreachable(system, Failure.BAD_ANSWER, response.getStatusCode().value(), system.words()
                    + " answered " + response.getStatusCode().value() + " without a body", null);
        }
        try {
            return Json.MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new Unreachable(system, Failure.BAD_ANSWER, response.getStatusCode().value(), system.words()
                    + " answered a body the contract does not allow: " + e.getMessage(), e);
        }
    }

    private static String text(ClientHttpResponse response) {
        try {
            String body = new String(StreamUtils.copyToByteArray(response.getBody()), StandardCharsets.UTF_8);
            return body.length() <= 300 ? body : body.substring(0, 300) + "…";
        } catch (IOException e) {
            return "(body unreadable)";
        }
    }

    /** The platform's JSON: ISO-8601 instants, unknown fields ignored (the platform may add fields). */
    static final class Json {
        static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = com.fasterxml.jackson.databind.json.JsonMapper
                .builder().findAndAddModules()
                .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();

        private Json() {
        }
    }
}
