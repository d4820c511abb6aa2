package cn.kameng.refunddesk.production;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import cn.kameng.refunddesk.alipay.AlipayGatewayStub;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeRepository;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.ledger.DepositLedger;
import cn.kameng.refunddesk.order.Order;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;
import cn.kameng.refunddesk.order.OrderDirectory;
import cn.kameng.refunddesk.platform.PlatformStub;
import cn.kameng.refunddesk.platform.PlatformStub.Endpoint;
import cn.kameng.refunddesk.refund.PaymentGateway;
import cn.kameng.refunddesk.support.EmbeddedPostgresServer;
import cn.kameng.refunddesk.unionpay.UnionPayStub;
import cn.kameng.refunddesk.webhook.WebhookVerifier;
import cn.kameng.refunddesk.wechatpay.WechatPayStub;

/**
 * The production profile, proven (issue 14, item 5): the whole service on the "prod" profile and an embedded
 * PostgreSQL, with no sandbox bean at all. Everything outside it is WireMock following the other side's
 * contract: the platform's systems (checking our HMAC signature), Alipay (its SDK signs and verifies with keys made
 * here), WeChat Pay and UnionPay (configured, not called on this path), the identity provider's JWK set and the
 * platform's webhook receiver. The job executor runs as in production; the test only waits for it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "camunda.bpm.job-execution.enabled=true",
        "dispute.security.jwt.enabled=true",
        "dispute.security.jwt.audience=refund-desk",
        "payment.alipay.enabled=true",
        "payment.alipay.app-id=" + ProductionEndToEndTest.ALIPAY_APP_ID,
        "payment.alipay.connect-timeout=PT2S",
        "payment.alipay.read-timeout=PT3S",
        "payment.channels.ALIPAY=alipay",
        "payment.channels.PLATFORM_BALANCE=platform",
        "platform.api.key-id=" + PlatformStub.KEY_ID,
        "platform.api.connect-timeout=PT1S",
        "platform.api.read-timeout=PT2S",
        "dispute.webhooks.relay-interval=PT0.5S",
        "dispute.webhooks.subscribers[0].name=platform",
        "dispute.evidence.directory=target/prod-e2e/evidence-${random.uuid}",
        "dispute.calendar.directory=target/prod-e2e/calendar-${random.uuid}"
})
@ActiveProfiles("prod")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ProductionEndToEndTest {

    static final String ALIPAY_APP_ID = "2021000000000001";
    static final String HOOKS = "/hooks/refund-desk";
    static final String ORDER_ID = "O-PROD-" + UUID.randomUUID().toString().substring(0, 8);
    static final String CARD_KEY = "KEY-PROD-7Q2W-9E8R";
    static final long PAID_FEN = 6800;
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration PATIENCE = Duration.ofSeconds(20);

    static final PlatformStub platform = new PlatformStub();
    static final AlipayGatewayStub alipay = new AlipayGatewayStub();
    static final WechatPayStub wechatPay = new WechatPayStub();
    static final UnionPayStub unionPay = new UnionPayStub();
    static final RSAKey PROVIDER_KEY = rsa("provider-prod-e2e");
    static final WireMockServer identityProvider = new WireMockServer(options().dynamicPort());
    static final WireMockServer receiver = new WireMockServer(options().dynamicPort());
    static final String WEBHOOK_SECRET = secret();

    static {
        identityProvider.start();
        identityProvider.stubFor(get(urlEqualTo("/.well-known/jwks.json")).willReturn(aResponse()
                .withHeader("Content-Type", "application/jwk-set+json")
                .withBody(new JWKSet(PROVIDER_KEY.toPublicJWK()).toString())));
        receiver.start();
        receiver.stubFor(post(urlPathEqualTo(HOOKS)).willReturn(aResponse().withStatus(204)));
    }

    @DynamicPropertySource
    static void outside(DynamicPropertyRegistry registry) throws SQLException {
        EmbeddedPostgresServer.newDatabase(registry);
        registry.add("platform.api.base-url", platform::baseUrl);
        registry.add("platform.api.key", () -> platform.key);
        alipay.register(registry);
        wechatPay.properties().forEach((k, v) -> registry.add(k, () -> v));
        unionPay.properties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
                () -> identityProvider.baseUrl() + "/.well-known/jwks.json");
        registry.add("dispute.webhooks.subscribers[0].url", () -> receiver.baseUrl() + HOOKS);
        registry.add("dispute.webhooks.subscribers[0].secret", () -> WEBHOOK_SECRET);
    }

    @AfterAll
    static void stopTheOutside() {
        for (AutoCloseable server : List.<AutoCloseable>of(platform, alipay, wechatPay, unionPay,
                identityProvider::stop, receiver::stop)) {
            try {
                server.close();
            } catch (Exception ignored) {
                // stopping a stub cannot fail the proof
            }
        }
    }

    @Autowired ConfigurableApplicationContext context;
    @Autowired IdentityService identity;
    @LocalServerPort int port;

    @Test
    void aDisputeWalksFromTheCustomersTokenToClosedWithEveryAdapterRealAndNoSandbox() throws Exception {
        theContextHoldsNoSandboxBeanAndTheRealAdapters();

        // the platform knows the order: buyer1 paid merchant1 68.00 by Alipay for a card key delivered an hour ago
        platform.answer(Endpoint.ORDER, 200, """
                {"orderId":"%s","buyerId":"buyer1","merchantId":"merchant1","amountFen":%d,"paymentChannel":"ALIPAY",
                 "productCategory":"CARD_KEY","deliveredAt":"%s","deliveredCardKey":"%s","paymentReference":null}"""
                .formatted(ORDER_ID, PAID_FEN, Instant.now().minus(Duration.ofHours(1)), CARD_KEY), ORDER_ID);
        platform.answer(Endpoint.CARD_KEY, 200, """
                {"cardKey":"%s","status":"NOT_REDEEMED","redeemedAt":null,"redeemedBy":null}""".formatted(CARD_KEY),
                CARD_KEY);
        platform.answer(Endpoint.CHAT, 200, """
                {"orderId":"%s","messages":[]}""".formatted(ORDER_ID), ORDER_ID);
        // its counts, for the abuse flags: merchant1 took 1,250 orders in 30 days; buyer1 paid 68.00 in 90 days
        platform.answerStatistics("merchantId", "merchant1", 200, PlatformStub.statistics(1_250, 3_125_000));
        platform.answerStatistics("buyerId", "buyer1", 200, PlatformStub.statistics(1, PAID_FEN));
        // Alipay takes the refund without moving money yet (fund_change=N): its notification will settle it
        alipay.answers(AlipayGatewayStub.REFUND, AlipayGatewayStub.success("trade_no", "T-" + ORDER_ID,
                "out_trade_no", ORDER_ID, "fund_change", "N", "refund_fee", "0.00"));
        alipay.answers(AlipayGatewayStub.QUERY, AlipayGatewayStub.success("trade_no", "T-" + ORDER_ID,
                "out_trade_no", ORDER_ID));

        // opened with the customer's token
        Answer opened = as(customer()).post("/api/v1/disputes", Map.of("orderId", ORDER_ID, "reason",
                "INVALID_CARD_KEY", "description", "卡密无效，充值失败"), "open-" + ORDER_ID);
        assertThat(opened.status()).as("%s", opened).isEqualTo(201);
        String id = opened.text("/id");
        assertThat(opened.text("/status")).isEqualTo("AWAITING_MERCHANT");
        assertThat(opened.text("/customerId")).isEqualTo("buyer1");
        assertThat(platform.requests(Endpoint.ORDER, ORDER_ID)).as("the order came from the platform, signed")
                .isNotEmpty();
        assertThat(platform.statisticsRequests()).as("the abuse flags asked the platform for its counts")
                .extracting(r -> r.queryParameter("merchantId").isPresent() ? "merchant " + r.queryParameter(
                        "merchantId").firstValue() : "buyer " + r.queryParameter("buyerId").firstValue())
                .contains("merchant merchant1", "buyer buyer1");

        // accepted with the merchant's token
        Answer accepted = as(merchant()).post("/api/v1/disputes/" + id + "/merchant-response",
                Map.of("decision", "ACCEPT", "message", "抱歉，全额退款"), null);
        assertThat(accepted.status()).as("%s", accepted).isEqualTo(200);
        assertThat(accepted.text("/status")).isEqualTo("REFUNDING");

        // the job executor sends the refund to Alipay through its SDK; Alipay has taken it, not yet paid it
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(read(id).text("/refunds/0/status"))
                .isEqualTo("PROCESSING"));
        String key = read(id).text("/refunds/0/idempotencyKey");
        assertThat(alipay.calls(AlipayGatewayStub.REFUND)).as("one refund request reached Alipay").singleElement()
                .satisfies(call -> assertThat(call).containsEntry("out_trade_no", ORDER_ID)
                        .containsEntry("out_request_no", key).containsEntry("refund_amount", "68.00"));
        assertThat(read(id).text("/status")).isEqualTo("REFUNDING");

        // settled by Alipay's signed notification, posted as Alipay posts it
        ResponseEntity<String> notice = http().post().uri("/api/v1/payment-notifications/alipay")
                .contentType(MediaType.parseMediaType("application/x-www-form-urlencoded; charset=utf-8"))
                .body(alipay.notification(refundNotice(key), alipay.alipayKeys.getPrivate()))
                .retrieve().toEntity(String.class);
        assertThat(notice.getStatusCode().value()).as("%s", notice.getBody()).isEqualTo(200);
        assertThat(notice.getBody()).as("what Alipay waits for").isEqualTo("success");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(read(id).text("/status"))
                .isEqualTo("AWAITING_ARRIVAL_CONFIRMATION"));
        Answer settled = read(id);
        assertThat(settled.text("/refunds/0/status")).isEqualTo("SUCCEEDED");

        // arrival confirmed with the customer's token: the dispute closes, refunded
        Answer confirmed = as(customer()).post("/api/v1/disputes/" + id + "/arrival-confirmation",
                Map.of("arrived", true), null);
        assertThat(confirmed.status()).as("%s", confirmed).isEqualTo(200);
        await().atMost(PATIENCE).untilAsserted(() -> {
            Answer closed = read(id);
            assertThat(closed.text("/status")).isEqualTo("CLOSED");
            assertThat(closed.text("/outcome")).isEqualTo("REFUNDED");
        });
        assertThat(alipay.calls(AlipayGatewayStub.REFUND)).as("still one refund request").hasSize(1);

        // the platform's receiver got every event, signed with its secret, numbered 1..n in order
        List<String> expected = List.of("dispute.opened", "dispute.merchant_answered", "refund.requested",
                "refund.settled", "refund.arrival_confirmed", "dispute.closed");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(webhooks(id)).hasSize(expected.size()));
        List<LoggedRequest> received = webhooks(id);
        WebhookVerifier verifier = new WebhookVerifier(WEBHOOK_SECRET);
        List<String> types = new ArrayList<>();
        List<Integer> sequences = new ArrayList<>();
        for (LoggedRequest hook : received) {
            String body = hook.getBodyAsString();
            verifier.verify(hook.getHeader("Kameng-Signature"), body, Instant.now());
            JsonNode envelope = JSON.readTree(body);
            assertThat(hook.getHeader("Kameng-Event-Type")).isEqualTo(envelope.get("type").asText());
            assertThat(envelope.at("/data/orderId").asText()).isEqualTo(ORDER_ID);
            if (envelope.get("type").asText().equals("dispute.merchant_answered")) {
                assertThat(envelope.at("/data/decision").asText()).isEqualTo("ACCEPT");
            }
            types.add(envelope.get("type").asText());
            sequences.add(envelope.get("sequence").asInt());
        }
        assertThat(types).containsExactlyElementsOf(expected);
        assertThat(sequences).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(received).extracting(r -> r.getHeader("Kameng-Event-Id")).doesNotHaveDuplicates();

        // staff sign in with their own credentials (no demo user exists here): operations reads the delivery log
        String opsPassword = secret();
        User ops = identity.newUser("opse2e");
        ops.setPassword(opsPassword);
        identity.saveUser(ops);
        identity.createMembership("opse2e", "operations");
        ResponseEntity<JsonNode> log = http().get().uri("/api/v1/webhook-deliveries?disputeId={id}", id)
                .headers(h -> h.setBasicAuth("opse2e", opsPassword, StandardCharsets.UTF_8)).retrieve()
                .toEntity(JsonNode.class);
        assertThat(log.getStatusCode().value()).isEqualTo(200);
        assertThat(log.getBody()).hasSize(expected.size())
                .allSatisfy(d -> assertThat(d.at("/delivery/deliveredAt").isNull()).isFalse());
    }

    // ---- issue 15: deposits arrive from the platform, exactly once -----------------------------------

    static final String DEPOSIT_EVENTS = "/api/v1/platform/deposit-events";

    @Autowired DepositLedger ledger;
    @Autowired DisputeRepository disputeRows;
    @Autowired TransactionTemplate transaction;
    @Autowired JdbcClient jdbc;

    @Test
    void thePlatformsSignedDepositPaidCreditsTheDepositOnceThoughSentThreeTimes() {
        String merchant = "m-dep-" + UUID.randomUUID().toString().substring(0, 8);
        String event = depositEvent("E-" + merchant, "DEPOSIT_PAID", merchant, 50_000);

        List<Answer> answers = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) { // the platform's retries, each signed anew
            answers.add(platformSends(event, Instant.now(), UUID.randomUUID().toString()));
        }

        assertThat(answers).allSatisfy(a -> assertThat(a.status()).as("%s", a).isEqualTo(200));
        assertThat(answers).extracting(Answer::raw).as("the same answer each time").containsOnly(answers.get(0).raw());
        assertThat(answers.get(0).json().at("/balances/depositFen").asLong()).isEqualTo(50_000);
        assertThat(ledger.balances(merchant).depositFen()).as("credited once").isEqualTo(50_000);
        assertThat(ledger.statement(merchant, 0, 20).entries()).as("one transaction, a top-up")
                .allSatisfy(e -> assertThat(e.kind()).isEqualTo("TOP_UP"))
                .extracting(e -> e.transactionId()).containsOnly(answers.get(0).json().isNull() ? "" :
                        ledger.statement(merchant, 0, 20).entries().get(0).transactionId());

        Answer other = platformSends(depositEvent("E-" + merchant, "DEPOSIT_PAID", merchant, 60_000), Instant.now(),
                UUID.randomUUID().toString());
        assertThat(other.status()).as("%s", other).isEqualTo(409);
        assertThat(other.raw()).contains("eventId E-" + merchant, "different request");
        assertThat(ledger.balances(merchant).depositFen()).as("nothing moved").isEqualTo(50_000);
    }

    @Test
    void aReceivablePaidAtThePlatformRecoversWhatTheFundAdvanced() {
        String merchant = "m-rcv-" + UUID.randomUUID().toString().substring(0, 8);
        theFundAdvancesARefundFor(merchant, 3_000); // no deposit: the fund pays first, the merchant owes it
        assertThat(ledger.balances(merchant).receivableFen()).isEqualTo(3_000);
        long fund = ledger.fundBalance();

        Answer tooMuch = platformSends(depositEvent("R1-" + merchant, "RECEIVABLE_PAID", merchant, 3_001),
                Instant.now(), UUID.randomUUID().toString());
        assertThat(tooMuch.status()).as("%s", tooMuch).isEqualTo(400);
        assertThat(tooMuch.raw()).contains("amountFen", "must not exceed the 3000 fen");
        assertThat(ledger.balances(merchant).receivableFen()).as("nothing written").isEqualTo(3_000);

        Answer paid = platformSends(depositEvent("R2-" + merchant, "RECEIVABLE_PAID", merchant, 3_000),
                Instant.now(), UUID.randomUUID().toString());
        assertThat(paid.status()).as("%s", paid).isEqualTo(200);
        assertThat(paid.json().at("/balances/receivableFen").asLong()).isZero();
        assertThat(ledger.balances(merchant).receivableFen()).isZero();
        assertThat(ledger.fundBalance()).as("the fund got its advance back").isEqualTo(fund + 3_000);
        // sent again: the same answer, no second recovery (it would have been refused as above what is owed)
        Answer again = platformSends(depositEvent("R2-" + merchant, "RECEIVABLE_PAID", merchant, 3_000),
                Instant.now(), UUID.randomUUID().toString());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.raw()).isEqualTo(paid.raw());
        assertThat(ledger.fundBalance()).isEqualTo(fund + 3_000);
    }

    @Test
    void aForgedStaleReplayedOrMalformedDepositEventIsRefusedWithASentenceAndWritesNothing() {
        String merchant = "m-bad-" + UUID.randomUUID().toString().substring(0, 8);
        String good = depositEvent("B-" + merchant, "DEPOSIT_PAID", merchant, 10_000);
        byte[] bytes = good.getBytes(StandardCharsets.UTF_8);

        Map<String, String> forged = new LinkedHashMap<>(platform.signedHeaders("POST", DEPOSIT_EVENTS, bytes,
                Instant.now(), UUID.randomUUID().toString()));
        forged.put("X-Kameng-Signature", "0".repeat(64));
        assertRefused(send(good, forged), 401, "X-Kameng-Signature does not verify");
        assertRefused(send(good, Map.of()), 401, "needs the headers X-Kameng-Key-Id");
        assertRefused(platformSends(good, Instant.now().minus(Duration.ofMinutes(10)), UUID.randomUUID().toString()),
                401, "away from our clock");
        String nonce = UUID.randomUUID().toString();
        Map<String, String> once = platform.signedHeaders("POST", DEPOSIT_EVENTS, bytes, Instant.now(), nonce);
        // a body signed with one nonce, then the very same request again
        assertRefused(send(depositEvent("B-" + merchant, "DEPOSIT_PAID", merchant, 10_000).replace("10000", "-5"),
                platform.signedHeaders("POST", DEPOSIT_EVENTS,
                        depositEvent("B-" + merchant, "DEPOSIT_PAID", merchant, 10_000).replace("10000", "-5")
                                .getBytes(StandardCharsets.UTF_8), Instant.now(), nonce)),
                400, "amountFen: must be a positive integer number of fen");
        assertRefused(send(good, once), 401, "was already used");
        assertRefused(platformSends(depositEvent("B-" + merchant, "DEPOSIT_REFUNDED", merchant, 10_000),
                Instant.now(), UUID.randomUUID().toString()), 400, "type: must be DEPOSIT_PAID or RECEIVABLE_PAID");
        assertRefused(platformSends(good.replace("}", ",\"extra\":1}"), Instant.now(), UUID.randomUUID().toString()),
                400, "extra");

        assertThat(ledger.balances(merchant).depositFen()).as("nothing written").isZero();
        assertThat(ledger.statement(merchant, 0, 20).entries()).isEmpty();
        assertThat(jdbc.sql("select count(*) from ledger_request where request_key = ?").param("platform-event:B-"
                + merchant).query(Long.class).single()).isZero();
    }

    @Test
    void financesRetriedTopUpUnderOneIdempotencyKeyIsCountedOnce() {
        String merchant = "m-fin-" + UUID.randomUUID().toString().substring(0, 8);
        String password = secret();
        User finance = identity.newUser("fine2e");
        finance.setPassword(password);
        identity.saveUser(finance);
        identity.createMembership("fine2e", "finance");
        try {
            retriedUnderOneKey(merchant, password);
        } finally { // the walk-through proves there is no user but its own
            identity.deleteMembership("fine2e", "finance");
            identity.deleteUser("fine2e");
        }
    }

    private void retriedUnderOneKey(String merchant, String password) {
        String key = "top-up-" + merchant;

        List<ResponseEntity<String>> answers = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            answers.add(financePosts("/api/v1/merchant-deposits/" + merchant + "/top-ups", "fine2e", password, key,
                    "{\"amountFen\":20000,\"note\":\"银行转账\"}"));
        }
        assertThat(answers).allSatisfy(a -> assertThat(a.getStatusCode().value()).as("%s", a.getBody()).isEqualTo(200));
        assertThat(answers).extracting(ResponseEntity::getBody).containsOnly(answers.get(0).getBody());
        assertThat(ledger.balances(merchant).depositFen()).as("counted once").isEqualTo(20_000);

        ResponseEntity<String> other = financePosts("/api/v1/merchant-deposits/" + merchant + "/top-ups", "fine2e",
                password, key, "{\"amountFen\":30000}");
        assertThat(other.getStatusCode().value()).isEqualTo(409);
        assertThat(other.getBody()).contains("Idempotency-Key " + key, "different request");
        ResponseEntity<String> without = financePosts("/api/v1/merchant-deposits/" + merchant + "/top-ups", "fine2e",
                password, null, "{\"amountFen\":5000}");
        assertThat(without.getStatusCode().value()).as("without a key each request is a movement").isEqualTo(200);
        assertThat(ledger.balances(merchant).depositFen()).isEqualTo(25_000);

        // four copies of one new request at the same moment (a client retrying on a timeout): counted once
        String twinKey = "top-up-twins-" + merchant;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(4);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<ResponseEntity<String>>> twins = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            twins.add(pool.submit(() -> {
                start.await();
                return financePosts("/api/v1/merchant-deposits/" + merchant + "/top-ups", "fine2e", password, twinKey,
                        "{\"amountFen\":1000,\"note\":\"同时重发\"}");
            }));
        }
        List<ResponseEntity<String>> twinAnswers = new ArrayList<>();
        try {
            for (var f : twins) {
                twinAnswers.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
        assertThat(twinAnswers).allSatisfy(a -> assertThat(a.getStatusCode().value()).as("%s", a.getBody())
                .isIn(200, 409));
        assertThat(twinAnswers).filteredOn(a -> a.getStatusCode().value() == 409)
                .allSatisfy(a -> assertThat(a.getBody()).contains("being recorded by another request"));
        assertThat(ledger.balances(merchant).depositFen()).as("four at once, counted once").isEqualTo(26_000);
        ResponseEntity<String> afterwards = financePosts("/api/v1/merchant-deposits/" + merchant + "/top-ups", "fine2e",
                password, twinKey, "{\"amountFen\":1000,\"note\":\"同时重发\"}");
        assertThat(afterwards.getStatusCode().value()).isEqualTo(200);
        assertThat(twinAnswers).filteredOn(a -> a.getStatusCode().value() == 200).isNotEmpty()
                .allSatisfy(a -> assertThat(a.getBody()).isEqualTo(afterwards.getBody()));
        assertThat(ledger.balances(merchant).depositFen()).isEqualTo(26_000);
    }

    private static String depositEvent(String eventId, String type, String merchant, long amountFen) {
        return """
                {"eventId":"%s","type":"%s","merchantId":"%s","amountFen":%d,"occurredAt":"2026-12-03T08:00:00Z"}"""
                .formatted(eventId, type, merchant, amountFen);
    }

    /** The platform's call, signed as docs/platform-api.yaml says, at {@code at} with {@code nonce}. */
    private Answer platformSends(String body, Instant at, String nonce) {
        return send(body, platform.signedHeaders("POST", DEPOSIT_EVENTS, body.getBytes(StandardCharsets.UTF_8), at,
                nonce));
    }

    private Answer send(String body, Map<String, String> headers) {
        return http().post().uri(DEPOSIT_EVENTS).headers(h -> headers.forEach(h::set))
                .contentType(MediaType.APPLICATION_JSON).body(body.getBytes(StandardCharsets.UTF_8))
                .exchange((request, response) -> {
                    String raw = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
                    Answer a = new Answer(response.getStatusCode().value(), raw,
                            raw.isBlank() ? JSON.missingNode() : JSON.readTree(raw));
                    if (a.status() >= 400) {
                        assertThat(response.getHeaders().getContentType()).as("%s", a)
                                .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
                    }
                    return a;
                });
    }

    private static void assertRefused(Answer answer, int status, String sentence) {
        assertThat(answer.status()).as("%s", answer).isEqualTo(status);
        assertThat(answer.text("/detail")).contains(sentence);
    }

    private ResponseEntity<String> financePosts(String path, String user, String password, String key, String body) {
        return http().post().uri(path).headers(h -> {
            h.setBasicAuth(user, password, StandardCharsets.UTF_8);
            if (key != null) {
                h.set("Idempotency-Key", key);
            }
        }).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(String.class);
    }

    /** A refund of {@code fen} settled for a merchant without deposit: the fund advances it, a receivable. */
    private void theFundAdvancesARefundFor(String merchant, long fen) {
        Order order = new Order("O-" + merchant, "buyer-" + merchant, merchant, fen, PaymentChannel.ALIPAY,
                ProductCategory.CARD_KEY, Instant.now().minus(Duration.ofHours(1)), "K-" + merchant, null);
        transaction.executeWithoutResult(s -> {
            Dispute d = Dispute.open(order, Reason.NOT_DELIVERED, "未到账", fen, Instant.now());
            disputeRows.insert(d, null);
            ledger.hold(d);
            ledger.settle(d, fen);
        });
    }

    /** No bean of the sandbox package; the orders and every gateway are the real adapters. */
    private void theContextHoldsNoSandboxBeanAndTheRealAdapters() {
        List<String> sandbox = Arrays.stream(context.getBeanDefinitionNames()).filter(name -> {
            Class<?> type = context.getBeanFactory().getType(name, false);
            String className = context.getBeanFactory().getMergedBeanDefinition(name).getBeanClassName();
            return (type != null && type.getName().startsWith("cn.kameng.refunddesk.sandbox."))
                    || (className != null && className.startsWith("cn.kameng.refunddesk.sandbox."));
        }).toList();
        assertThat(context.getBeanDefinitionNames()).as("the context was inspected").hasSizeGreaterThan(100);
        assertThat(sandbox).as("sandbox beans in the production profile").isEmpty();
        assertThat(context.getEnvironment().getActiveProfiles()).containsExactly("prod");
        assertThat(context.getBean(OrderDirectory.class).getClass().getName())
                .isEqualTo("cn.kameng.refunddesk.platform.HttpOrderDirectory");
        assertThat(context.getBeansOfType(PaymentGateway.class).values()).extracting(PaymentGateway::name)
                .containsExactlyInAnyOrder("alipay", "wechatpay", "unionpay", "platform");
        assertThat(identity.createUserQuery().count()).as("no demo user").isZero();
    }

    // ---- the outside world's side ------------------------------------------------------------------

    /** Alipay's trade_status_sync for the refund under our key (out_biz_no), as in AlipayRefundTest. */
    private static Map<String, String> refundNotice(String key) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("notify_type", "trade_status_sync");
        params.put("notify_id", "N-" + key);
        params.put("app_id", ALIPAY_APP_ID);
        params.put("trade_no", "T-" + ORDER_ID);
        params.put("out_trade_no", ORDER_ID);
        params.put("out_biz_no", key);
        params.put("trade_status", "TRADE_SUCCESS");
        params.put("refund_fee", "68.00");
        params.put("gmt_refund", "2026-12-03 12:00:00.000");
        return params;
    }

    /** The webhooks the receiver got about the dispute, in the order they arrived. */
    private static List<LoggedRequest> webhooks(String disputeId) {
        List<LoggedRequest> all = new ArrayList<>(receiver.findAll(postRequestedFor(urlPathEqualTo(HOOKS))));
        all.sort(java.util.Comparator.comparing(LoggedRequest::getLoggedDate));
        return all.stream().filter(r -> r.getBodyAsString().contains("\"disputeId\":\"" + disputeId + "\"")).toList();
    }

    private static String customer() {
        return token("buyer1", "CUSTOMER");
    }

    private static String merchant() {
        return token("merchant1", "MERCHANT");
    }

    /** A token as the platform's identity provider issues it, signed with its key. */
    private static String token(String party, String role) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("https://id.kameng.test").audience("refund-desk")
                .subject(party).claim("role", role).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5)))).build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(PROVIDER_KEY.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(PROVIDER_KEY));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey rsa(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String secret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    // ---- the service's API -------------------------------------------------------------------------

    record Answer(int status, String raw, JsonNode json) {
        String text(String pointer) {
            return json.at(pointer).asText();
        }

        @Override
        public String toString() {
            return status + " " + raw;
        }
    }

    private RestClient http() {
        return RestClient.builder().baseUrl("http://localhost:" + port)
                .requestFactory(new JdkClientHttpRequestFactory())
                .defaultStatusHandler(status -> true, (request, response) -> { }).build();
    }

    private Answer read(String id) {
        return as(customer()).get("/api/v1/disputes/" + id);
    }

    private Bearer as(String token) {
        return new Bearer(token);
    }

    private final class Bearer {
        private final String token;

        Bearer(String token) {
            this.token = token;
        }

        Answer get(String path) {
            return http().get().uri(path).headers(h -> h.setBearerAuth(token))
                    .exchange((request, response) -> answer(response.getStatusCode().value(),
                            response.getBody().readAllBytes()));
        }

        Answer post(String path, Object body, String idempotencyKey) {
            return http().post().uri(path).headers(h -> {
                h.setBearerAuth(token);
                if (idempotencyKey != null) {
                    h.set("Idempotency-Key", idempotencyKey);
                }
                h.setAccept(List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON));
            }).contentType(MediaType.APPLICATION_JSON).body(body)
                    .exchange((request, response) -> answer(response.getStatusCode().value(),
                            response.getBody().readAllBytes()));
        }

        private Answer answer(int status, byte[] body) throws java.io.IOException {
            String raw = new String(body, StandardCharsets.UTF_8);
            return new Answer(status, raw, raw.isBlank() ? JSON.missingNode() : JSON.readTree(raw));
        }
    }
}
