package cn.kameng.refunddesk.platform;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.requestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * The platform as docs/platform-api.yaml says it answers, on WireMock: it serves a stubbed answer only to a
 * request whose X-Kameng-Signature verifies with the platform's copy of our key and whose timestamp is within
 * 300 s; anything else gets 401 with a problem body, as the contract requires.
 */
public final class PlatformStub implements AutoCloseable {

    /** The contract's operations the stubs answer; {@code schema}: the 2xx body's schema in the contract. */
    public enum Endpoint {
        ORDER("GET", "/orders/{orderId}", "Order"),
        /** Its query ({@code merchantId} or {@code buyerId}, {@code from}, {@code to}): {@link #answerStatistics}. */
        ORDER_STATISTICS("GET", "/order-statistics", "OrderStatistics"),
        CARD_KEY("GET", "/card-keys/{cardKey}/redemption", "CardKeyRedemption"),
        CHAT("GET", "/orders/{orderId}/chat-messages", "ChatMessages"),
        REFUND("POST", "/balance-refunds", "BalanceRefund"),
        REFUND_STATE("GET", "/balance-refunds/{idempotencyKey}", "BalanceRefund");

        final String method;
        final String template;
        final String schema;

        Endpoint(String method, String template, String schema) {
            this.method = method;
            this.template = template;
            this.schema = schema;
        }

        /** The path with each {variable} replaced, in order, by a percent-encoded value. */
        String path(String... values) {
            String path = template;
            for (String v : values) {
                path = path.replaceFirst("\\{[^}]+}", URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
            }
            return path;
        }
    }

    /** Where the platform mounts the API: part of the signed path. */
    static final String MOUNT = "/kameng-api";
    public static final String KEY_ID = "desk-1";

    final WireMockServer server = new WireMockServer(options().dynamicPort());
    /** The key the platform holds for us; each test run makes a new one. */
    public final String key = newKey();

    public PlatformStub() {
        server.start();
        server.stubFor(any(anyUrl()).atPriority(100).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/problem+json")
                .withBody(problem(401, "the signature does not verify"))));
    }

    static String newKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    public String baseUrl() {
        return "http://localhost:" + server.port() + MOUNT;
    }

    /** Our settings for this stub, with timeouts short enough for a test. */
    PlatformApiProperties properties(String ourKey, int maxAttempts, PlatformApiProperties.Breaker breaker) {
        return new PlatformApiProperties(URI.create(baseUrl()), KEY_ID, ourKey, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(30), new PlatformApiProperties.Retry(maxAttempts,
                        Duration.ofMillis(20)), breaker, Duration.ofMinutes(5));
    }

    /**
     * The headers the platform sends with its own signed call on us (our scheme in reverse): {@code nonce} and the
     * signing time are the caller's, so a test can replay one or sign too early.
     */
    public java.util.Map<String, String> signedHeaders(String method, String path, byte[] body, Instant at,
            String nonce) {
        String timestamp = Long.toString(at.getEpochSecond());
        return java.util.Map.of(RequestSigner.KEY_ID, KEY_ID, RequestSigner.TIMESTAMP, timestamp,
                RequestSigner.NONCE, nonce, RequestSigner.SIGNATURE, RequestSigner.sign(
                        key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        RequestSigner.canonical(method, path, timestamp, nonce, body)));
    }

    PlatformApiProperties properties() {
        return properties(key, 3, new PlatformApiProperties.Breaker(10, 5, 50, Duration.ofMinutes(1)));
    }

    PlatformClient client() {
        return new PlatformClient(properties(), java.time.Clock.systemUTC());
    }

    /** Answers a correctly signed request to the endpoint with this status and JSON body. */
    public void answer(Endpoint endpoint, int status, String json, String... values) {
        answerAfter(endpoint, Duration.ZERO, status, json, values);
    }

    void answerAfter(Endpoint endpoint, Duration delay, int status, String json, String... values) {
        server.stubFor(request(endpoint.method, urlEqualTo(MOUNT + endpoint.path(values))).atPriority(1)
                .andMatching(this::signed)
                .willReturn(aResponse().withStatus(status).withFixedDelay((int) delay.toMillis())
                        .withHeader("Content-Type", status < 300 ? "application/json" : "application/problem+json")
                        .withBody(json)));
    }

    /** Answers a signed statistics request about one party ({@code merchantId} or {@code buyerId}). */
    public void answerStatistics(String party, String id, int status, String json) {
        server.stubFor(request("GET", com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(MOUNT
                + Endpoint.ORDER_STATISTICS.template)).atPriority(1)
                .withQueryParam(party, com.github.tomakehurst.wiremock.client.WireMock.equalTo(id))
                .withQueryParam("from", com.github.tomakehurst.wiremock.client.WireMock.matching(".+Z"))
                .withQueryParam("to", com.github.tomakehurst.wiremock.client.WireMock.matching(".+Z"))
                .andMatching(this::signed)
                .willReturn(aResponse().withStatus(status)
                        .withHeader("Content-Type", status < 300 ? "application/json" : "application/problem+json")
                        .withBody(json)));
    }

    public List<LoggedRequest> statisticsRequests() {
        return server.findAll(requestedFor("GET", com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(MOUNT
                + Endpoint.ORDER_STATISTICS.template)));
    }

    /** The connection is dropped without an answer. */
    void dropConnection(Endpoint endpoint, String... values) {
        server.stubFor(request(endpoint.method, urlEqualTo(MOUNT + endpoint.path(values))).atPriority(1)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    }

    public List<LoggedRequest> requests(Endpoint endpoint, String... values) {
        return server.findAll(requestedFor(endpoint.method, urlEqualTo(MOUNT + endpoint.path(values))));
    }

    /** What the platform must check (docs/platform-api.yaml, "Signed requests"). */
    MatchResult signed(Request request) {
        String timestamp = request.getHeader(RequestSigner.TIMESTAMP);
        String nonce = request.getHeader(RequestSigner.NONCE);
        String signature = request.getHeader(RequestSigner.SIGNATURE);
        if (!KEY_ID.equals(request.getHeader(RequestSigner.KEY_ID)) || timestamp == null || nonce == null
                || signature == null || !timestamp.matches("[0-9]+")
                || Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > 300) {
            return MatchResult.noMatch();
        }
        String canonical = request.getMethod().getName() + "\n" + request.getUrl() + "\n" + timestamp + "\n" + nonce
                + "\n" + hex(sha256(request.getBody()));
        String expected = hmac(key, canonical);
        return MatchResult.of(MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Written here from the contract, not with the adapter's RequestSigner, so that a wrong signer fails. */
    private static String hmac(String key, String canonical) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return hex(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("%02x", b));
        }
        return s.toString();
    }

    // bodies as the contract's schemas have them

    static String order(String orderId, String buyerId, String channel, String category, String deliveredCardKey) {
        return """
                {"orderId":"%s","buyerId":"%s","merchantId":"merchant1","amountFen":2500,"paymentChannel":"%s",
                 "productCategory":"%s","deliveredAt":"2026-12-01T08:00:00Z","deliveredCardKey":%s,
                 "paymentReference":null,"shopName":"a field the contract may add later"}"""
                .formatted(orderId, buyerId, channel, category,
                        deliveredCardKey == null ? "null" : "\"" + deliveredCardKey + "\"");
    }

    public static String statistics(long orderCount, long paidFen) {
        return """
                {"orderCount":%d,"paidFen":%d}""".formatted(orderCount, paidFen);
    }

    static String redemption(String cardKey, String status, String redeemedAt, String redeemedBy) {
        return """
                {"cardKey":"%s","status":"%s","redeemedAt":%s,"redeemedBy":%s}""".formatted(cardKey, status,
                redeemedAt == null ? "null" : "\"" + redeemedAt + "\"", redeemedBy == null ? "null" : "\"" + redeemedBy
                        + "\"");
    }

    static String chat(String orderId, String... senderAndText) {
        StringBuilder messages = new StringBuilder();
        for (int i = 0; i < senderAndText.length; i += 2) {
            messages.append(i == 0 ? "" : ",").append("""
                    {"sentAt":"2026-12-01T08:0%d:00Z","sender":"%s","text":"%s"}""".formatted(i / 2, senderAndText[i],
                    senderAndText[i + 1]));
        }
        return """
                {"orderId":"%s","messages":[%s]}""".formatted(orderId, messages);
    }

    static String refund(String idempotencyKey, String state, Long settledAmountFen, String failureReason) {
        return """
                {"idempotencyKey":"%s","state":"%s","settledAmountFen":%s,"reference":"BAL-%s","failureReason":%s}"""
                .formatted(idempotencyKey, state, settledAmountFen, idempotencyKey,
                        failureReason == null ? "null" : "\"" + failureReason + "\"");
    }

    static String problem(int status, String detail) {
        return """
                {"type":"about:blank","status":%d,"detail":"%s"}""".formatted(status, detail);
    }

    @Override
    public void close() {
        server.stop();
    }
}
