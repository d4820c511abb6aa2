package cn.kameng.refunddesk.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.Journal;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;

/**
 * The platform's receiver as WireMock plays it, following the contract of docs/webhooks.md: it answers
 * 2xx to accept, anything else (or nothing in time) to have the event sent again. Two subscribers: the
 * platform, which takes every event, and an audit receiver that wants only closings. The relay is run by
 * the test, the clock moved by it.
 */
@DisputeServiceTest
class WebhookDeliveryTest {

    static final WireMockServer receiver = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    static final String PLATFORM_SECRET = randomSecret();
    static final String AUDIT_SECRET = randomSecret();
    static final String HOOKS = "/hooks/refund-desk";
    static final String AUDIT = "/audit";
    static final ObjectMapper JSON = new ObjectMapper();

    static {
        receiver.start();
    }

    @DynamicPropertySource
    static void subscribers(DynamicPropertyRegistry registry) {
        registry.add("dispute.webhooks.relay-interval", () -> "PT1H");
        registry.add("dispute.webhooks.connect-timeout", () -> "PT1S");
        registry.add("dispute.webhooks.read-timeout", () -> "PT2S");
        registry.add("dispute.webhooks.subscribers[0].name", () -> "platform");
        registry.add("dispute.webhooks.subscribers[0].url", () -> receiver.baseUrl() + HOOKS);
        registry.add("dispute.webhooks.subscribers[0].secret", () -> PLATFORM_SECRET);
        registry.add("dispute.webhooks.subscribers[1].name", () -> "audit");
        registry.add("dispute.webhooks.subscribers[1].url", () -> receiver.baseUrl() + AUDIT);
        registry.add("dispute.webhooks.subscribers[1].secret", () -> AUDIT_SECRET);
        registry.add("dispute.webhooks.subscribers[1].events", () -> "dispute.closed");
    }

    @Autowired
    TestDisputes given;
    @Autowired
    DisputeService disputes;
    @Autowired
    WebhookRelay relay;
    @Autowired
    Journal journal;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Environment environment;
    @Autowired
    MerchantReplyDueSoon dueSoon;
    @Autowired
    cn.kameng.refunddesk.appeal.Appeals appeals;

    @BeforeEach
    void setUp() {
        ClockUtil.setCurrentTime(new Date());
        receiver.resetAll();
        receiver.stubFor(post(urlPathEqualTo(AUDIT)).willReturn(aResponse().withStatus(204)));
        // what earlier tests of this class left pending is not this test's business
        jdbc.sql("update webhook_delivery set delivered_at = ? where delivered_at is null")
                .param(java.sql.Timestamp.from(ServiceClock.now())).update();
    }

    @AfterEach
    void resetClock() {
        ClockUtil.reset();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop();
    }

    @Test
    void aReceiverDownForAnHourGetsEveryEventOnceAndInOrderAfterItRecovers() {
        // down: the platform answers 503 while the dispute is opened and the merchant accepts
        receiver.stubFor(post(urlPathEqualTo(HOOKS)).willReturn(aResponse().withStatus(503)));
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        relay.relay();
        given.moveClock(Duration.ofMinutes(10));
        disputes.merchantResponse(TestDisputes.MERCHANT1, d.id(), new MerchantAnswer(MerchantDecision.ACCEPT, null,
                "同意退款", null));
        relay.relay();
        // then its connections are reset while the refund is requested and settles
        receiver.stubFor(post(urlPathEqualTo(HOOKS)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        given.moveClock(Duration.ofMinutes(20));
        given.runDueJobs(d.id());
        assertThat(given.settleRefunds()).isEqualTo(1);
        relay.relay();
        // then it answers, but too late (5 s, the read timeout is 2 s), while the buyer confirms and it closes
        receiver.stubFor(post(urlPathEqualTo(HOOKS)).willReturn(aResponse().withStatus(200).withFixedDelay(5000)));
        given.moveClock(Duration.ofMinutes(20));
        disputes.arrivalConfirmation(TestDisputes.BUYER1, d.id(), true, null);
        relay.relay();
        given.moveClock(Duration.ofMinutes(15));
        relay.relay();

        List<ServeEvent> whileDown = platformRequests(d.id());
        assertThat(whileDown).as("the receiver was tried while down").isNotEmpty();
        assertThat(whileDown).as("nothing but the dispute's first event was sent while it was not accepted")
                .allSatisfy(e -> assertThat(sequence(e)).isEqualTo(1));

        // recovered, slow but in time (0.3 s): after the longest pause every event arrives, once, in order
        StubMapping recovered = receiver.stubFor(post(urlPathEqualTo(HOOKS))
                .willReturn(aResponse().withStatus(200).withFixedDelay(300)));
        given.moveClock(Duration.ofMinutes(61));
        relay.relay();

        List<ServeEvent> all = platformRequests(d.id());
        List<ServeEvent> accepted = all.stream().filter(e -> e.getStubMapping().getId().equals(recovered.getId()))
                .toList();
        assertThat(accepted.stream().map(WebhookDeliveryTest::type))
                .containsExactly("dispute.opened", "dispute.merchant_answered", "refund.requested", "refund.settled",
                        "refund.arrival_confirmed", "dispute.closed");
        assertThat(accepted.stream().map(WebhookDeliveryTest::sequence)).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(accepted.stream().map(e -> e.getRequest().getHeader("Kameng-Event-Id")).distinct()).hasSize(6);
        // the same event sent more than once (while the receiver failed) is always the same id and body
        Map<Integer, List<String>> idsBySequence = new LinkedHashMap<>();
        all.forEach(e -> idsBySequence.computeIfAbsent(sequence(e), s -> new ArrayList<>())
                .add(e.getRequest().getHeader("Kameng-Event-Id") + " " + e.getRequest().getBodyAsString()));
        idsBySequence.values().forEach(sent -> assertThat(sent).as("every copy of one event").containsOnly(sent.get(0)));
        // each was signed when sent: the platform's verifier accepts them now
        WebhookVerifier verifier = new WebhookVerifier(PLATFORM_SECRET);
        accepted.forEach(e -> verifier.verify(e.getRequest().getHeader("Kameng-Signature"),
                e.getRequest().getBodyAsString(), ServiceClock.now()));

        // the audit receiver, never down, had only the closing, and was not held back by the platform's outage
        List<ServeEvent> audit = requests(AUDIT, d.id());
        assertThat(audit).hasSize(1);
        assertThat(type(audit.get(0))).isEqualTo("dispute.closed");
        assertThat(sequence(audit.get(0))).as("the dispute's own numbering: gaps where events were filtered out")
                .isEqualTo(6);

        // the delivery log says what happened
        JsonNode log = asOps().get().uri("/api/v1/webhook-deliveries?disputeId={id}", d.id()).retrieve()
                .body(JsonNode.class);
        JsonNode first = log.get(0);
        assertThat(first.at("/delivery/subscriber").asText()).isEqualTo("audit");
        JsonNode opened = log.get(1);
        assertThat(opened.at("/delivery/type").asText()).isEqualTo("dispute.opened");
        assertThat(opened.at("/delivery/deliveredAt").isNull()).isFalse();
        List<String> errors = new ArrayList<>();
        opened.get("attempts").forEach(a -> errors.add(a.get("httpStatus").isNull() ? a.get("error").asText()
                : "HTTP " + a.get("httpStatus").asInt()));
        assertThat(errors).first().isEqualTo("HTTP 503");
        assertThat(errors).last().isEqualTo("HTTP 200");
        assertThat(errors).anyMatch(e -> e.contains("no answer within PT2S"))
                .anyMatch(e -> e.contains("IOException") || e.contains("reset"));
    }

    @Test
    void eachEventIsAVersionedEnvelopeSignedWithTheSubscribersSecretAndATimestamp() throws Exception {
        receiver.stubFor(post(urlPathEqualTo(HOOKS)).willReturn(aResponse().withStatus(202)));
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        relay.relay();

        ServeEvent sent = platformRequests(d.id()).get(0);
        String body = sent.getRequest().getBodyAsString();
        JsonNode envelope = JSON.readTree(body);
        assertThat(envelope.get("specVersion").asText()).isEqualTo("1");
        assertThat(UUID.fromString(envelope.get("id").asText()).toString()).isEqualTo(envelope.get("id").asText());
        assertThat(envelope.get("type").asText()).isEqualTo("dispute.opened");
        assertThat(Instant.parse(envelope.get("occurredAt").asText())).isBeforeOrEqualTo(ServiceClock.now());
        assertThat(envelope.get("disputeId").asText()).isEqualTo(d.id());
        assertThat(envelope.get("sequence").asInt()).isEqualTo(1);
        assertThat(envelope.at("/data/orderId").asText()).isEqualTo(d.orderId());
        assertThat(envelope.at("/data/customerId").asText()).isEqualTo("buyer1");
        assertThat(envelope.at("/data/merchantId").asText()).isEqualTo("merchant1");
        assertThat(sent.getRequest().getHeader("Kameng-Event-Id")).isEqualTo(envelope.get("id").asText());
        assertThat(sent.getRequest().getHeader("Kameng-Event-Type")).isEqualTo("dispute.opened");
        assertThat(sent.getRequest().getHeader("Kameng-Webhook-Version")).isEqualTo("1");
        assertThat(sent.getRequest().getHeader("Content-Type")).startsWith("application/json");

        // the signature, checked by hand: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>
        String header = sent.getRequest().getHeader("Kameng-Signature");
        assertThat(header).matches("t=\\d+,v1=[0-9a-f]{64}");
        long t = Long.parseLong(header.substring(2, header.indexOf(',')));
        assertThat(Duration.between(Instant.ofEpochSecond(t), ServiceClock.now()).abs()).isLessThan(Duration.ofMinutes(1));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(PLATFORM_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
        assertThat(header).endsWith(",v1=" + expected);

        Instant now = Instant.ofEpochSecond(t);
        new WebhookVerifier(PLATFORM_SECRET).verify(header, body, now.plus(Duration.ofMinutes(4)));
        assertThatThrownBy(() -> new WebhookVerifier(AUDIT_SECRET).verify(header, body, now))
                .isInstanceOf(WebhookVerifier.Refused.class).hasMessageContaining("no v1 signature matches");
        assertThatThrownBy(() -> new WebhookVerifier(PLATFORM_SECRET).verify(header, body.replace("buyer1", "buyer2"),
                now)).isInstanceOf(WebhookVerifier.Refused.class);
        assertThatThrownBy(() -> new WebhookVerifier(PLATFORM_SECRET).verify(header, body,
                now.plus(Duration.ofMinutes(6)))).isInstanceOf(WebhookVerifier.Refused.class)
                .hasMessageContaining("replay window");
        assertThatThrownBy(() -> new WebhookVerifier(PLATFORM_SECRET, Duration.ofSeconds(30)).verify(header, body,
                now.minus(Duration.ofMinutes(1)))).hasMessageContaining("replay window");
    }

    @Test
    void oneDisputeTheReceiverRefusesDoesNotHoldBackTheOthers() {
        Dispute stuck = given.open(2500, Reason.INVALID_CARD_KEY);
        Dispute other = given.open(2500, Reason.INVALID_CARD_KEY);
        receiver.stubFor(post(urlPathEqualTo(HOOKS)).willReturn(aResponse().withStatus(200)));
        receiver.stubFor(post(urlPathEqualTo(HOOKS)).withRequestBody(matchingJsonPath("$.disputeId", 
                com.github.tomakehurst.wiremock.client.WireMock.equalTo(stuck.id())))
                .willReturn(aResponse().withStatus(400)));
        relay.relay();
        for (Dispute d : List.of(stuck, other)) {
            disputes.merchantResponse(TestDisputes.MERCHANT1, d.id(), new MerchantAnswer(MerchantDecision.ACCEPT, null,
                    "同意退款", null));
        }
        given.moveClock(Duration.ofMinutes(5));
        relay.relay();

        assertThat(platformRequests(other.id()).stream().map(WebhookDeliveryTest::type))
                .containsExactly("dispute.opened", "dispute.merchant_answered", "refund.requested");
        assertThat(platformRequests(stuck.id())).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(e -> assertThat(type(e)).isEqualTo("dispute.opened"));
        JsonNode failing = asOps().get().uri("/api/v1/webhook-deliveries?failing=true").retrieve().body(JsonNode.class);
        assertThat(failing).hasSize(1);
        assertThat(failing.at("/0/delivery/disputeId").asText()).isEqualTo(stuck.id());
        assertThat(failing.at("/0/delivery/lastError").asText()).isEqualTo("the subscriber answered HTTP 400");
    }

    @Test
    void operationsRedeliverAnEventWithTheSameIdAndOthersMayNot() {
        receiver.stubFor(post(urlPathEqualTo(HOOKS)).willReturn(aResponse().withStatus(200)));
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        relay.relay();
        String eventId = platformRequests(d.id()).get(0).getRequest().getHeader("Kameng-Event-Id");

        var answer = asOps().post().uri("/api/v1/webhook-events/{id}/redeliver", eventId)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).body(Map.of("subscriber", "platform"))
                .retrieve().toEntity(JsonNode.class);
        assertThat(answer.getStatusCode().value()).isEqualTo(202);
        assertThat(answer.getBody().at("/delivery/deliveredAt").isNull()).isTrue();
        given.moveClock(Duration.ofSeconds(5));
        relay.relay();

        List<ServeEvent> sent = platformRequests(d.id());
        assertThat(sent).hasSize(2);
        assertThat(sent.stream().map(e -> e.getRequest().getHeader("Kameng-Event-Id"))).containsOnly(eventId);
        assertThat(sent.get(0).getRequest().getBodyAsString()).isEqualTo(sent.get(1).getRequest().getBodyAsString());
        assertThat(sent.get(1).getRequest().getHeader("Kameng-Signature"))
                .isNotEqualTo(sent.get(0).getRequest().getHeader("Kameng-Signature"));

        RestClient http = http("merchant1");
        var refused = http.post().uri("/api/v1/webhook-events/{id}/redeliver", eventId)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).body(Map.of("subscriber", "platform"))
                .retrieve().toEntity(JsonNode.class);
        assertThat(refused.getStatusCode().value()).isEqualTo(403);
        assertThat(refused.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        var unknown = asOps().post().uri("/api/v1/webhook-events/{id}/redeliver", eventId)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).body(Map.of("subscriber", "nobody"))
                .retrieve().toEntity(JsonNode.class);
        assertThat(unknown.getStatusCode().value()).isEqualTo(400);
        assertThat(unknown.getBody().get("detail").asText() + unknown.getBody()).contains("not a configured subscriber");
        var missing = asOps().post().uri("/api/v1/webhook-events/{id}/redeliver", UUID.randomUUID())
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).body(Map.of("subscriber", "platform"))
                .retrieve().toEntity(JsonNode.class);
        assertThat(missing.getStatusCode().value()).isEqualTo(404);
        var neither = asOps().get().uri("/api/v1/webhook-deliveries").retrieve().toEntity(JsonNode.class);
        assertThat(neither.getStatusCode().value()).isEqualTo(400);
    }

    @Test
    void aChangeThatRollsBackWritesNoEventAndOneThatCommitsWritesItsNextNumber() {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            journal.record(d, "buyer1", "ESCALATED", "买家申请升级处理：测试", Journal.Notify.NOBODY);
            throw new IllegalStateException("the change fails after its journal entry");
        })).hasMessageContaining("fails");
        assertThat(eventTypes(d.id())).containsExactly("dispute.opened");

        transactions.executeWithoutResult(status ->
                journal.record(d, "buyer1", "ESCALATED", "买家申请升级处理：测试", Journal.Notify.NOBODY));
        assertThat(eventTypes(d.id())).containsExactly("dispute.opened", "dispute.escalated");
        assertThat(jdbc.sql("select sequence_no from webhook_event where dispute_id = ? order by sequence_no")
                .param(d.id()).query(Integer.class).list()).containsExactly(1, 2);
    }

    @Test
    void aDeliveryClaimedByOneRelayIsNotSentByAnother() {
        receiver.stubFor(post(urlPathEqualTo(HOOKS)).willReturn(aResponse().withStatus(200)));
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        long delivery = jdbc.sql("select id from webhook_delivery where dispute_id = ? and subscriber = 'platform'")
                .param(d.id()).query(Long.class).single();
        WebhookStore store = new WebhookStore(jdbc);
        Instant now = ServiceClock.now();
        assertThat(store.claim(delivery, now, now.plus(Duration.ofMinutes(1)))).isTrue();
        assertThat(store.claim(delivery, now, now.plus(Duration.ofMinutes(1)))).as("the other node").isFalse();

        relay.relay();
        assertThat(platformRequests(d.id())).as("claimed elsewhere: not sent").isEmpty();
        given.moveClock(Duration.ofMinutes(2));
        relay.relay();
        assertThat(platformRequests(d.id())).as("the claim expired (its node died): sent").hasSize(1);
    }

    @Test
    void aRefundTheGatewayRefusesIsAFailureAndThenAnExceptionForFinance() {
        receiver.stubFor(post(urlPathEqualTo(HOOKS)).willReturn(aResponse().withStatus(200)));
        String order = given.order(2500, cn.kameng.refunddesk.order.PaymentChannel.ALIPAY,
                cn.kameng.refunddesk.order.ProductCategory.CARD_KEY, 1, "FAIL");
        String id = given.acceptedDispute(order);
        given.runDueJobs(id);
        assertThat(given.settleRefunds()).isEqualTo(1);
        given.runDueJobs(id);
        relay.relay();

        assertThat(platformRequests(id).stream().map(WebhookDeliveryTest::type)).containsExactly("dispute.opened",
                "dispute.merchant_answered", "refund.requested", "refund.failed", "refund.exception");
        assertThat(json(platformRequests(id).get(3)).at("/data/message").asText()).contains("渠道拒绝");
    }

    @Test
    void theMerchantsReplyDueSoonIsAnEventOnceTwelveHoursBeforeTheDeadline() {
        receiver.stubFor(post(urlPathEqualTo(HOOKS)).willReturn(aResponse().withStatus(200)));
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        Instant due = given.deadlines(d.id()).get("MERCHANT_REPLY");
        ClockUtil.setCurrentTime(Date.from(due.minus(Duration.ofHours(13))));
        dueSoon.check();
        assertThat(eventTypes(d.id())).as("13 hours before: not yet").containsExactly("dispute.opened");

        given.moveClock(Duration.ofHours(2));
        dueSoon.check();
        dueSoon.check();
        assertThat(eventTypes(d.id())).containsExactly("dispute.opened", "dispute.merchant_reply_due_soon");
        relay.relay();
        ServeEvent reminder = platformRequests(d.id()).get(1);
        assertThat(json(reminder).at("/data/dueAt").asText()).isEqualTo(due.toString());
        assertThat(sequence(reminder)).isEqualTo(2);
    }

    @Test
    void theBuyersAppealOfARejectionIsAnEventWhenFiledAndWhenDecided() {
        receiver.stubFor(post(urlPathEqualTo(HOOKS)).willReturn(aResponse().withStatus(200)));
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        disputes.merchantResponse(TestDisputes.MERCHANT1, d.id(), new MerchantAnswer(MerchantDecision.REFUSE, null,
                "卡密已使用", null));
        disputes.intervention(TestDisputes.BUYER1, d.id(), "商家拒绝，申请平台介入");
        given.addEvidence(d.id(), "merchant1", "MERCHANT", "USAGE_LOG");
        disputes.merchantProof(TestDisputes.MERCHANT1, d.id(), "使用记录已上传");
        given.completeAs("arbiter1", given.task(d.id(), cn.kameng.refunddesk.process.ProcessIds.Task.ARBITRATE_DISPUTE),
                Map.of(cn.kameng.refunddesk.process.ProcessIds.Var.RULING, "REJECT",
                        cn.kameng.refunddesk.process.ProcessIds.Var.RULING_REASON, "证据不足"));

        appeals.file(TestDisputes.BUYER1, d.id(), "补充了卡密无效的录屏");
        given.completeAs("arbiter2", given.task(d.id(), cn.kameng.refunddesk.process.ProcessIds.Task.DECIDE_APPEAL),
                Map.of(cn.kameng.refunddesk.process.ProcessIds.Var.APPEAL_DECISION, "UPHOLD",
                        cn.kameng.refunddesk.process.ProcessIds.Var.APPEAL_NOTE, "录屏不能证明购买时卡密无效"));
        relayUntilDelivered(d.id());

        List<JsonNode> sent = platformEventsOnce(d.id());
        assertThat(sent).extracting(e -> e.get("type").asText()).containsSubsequence("dispute.ruling_made",
                "dispute.closed", "dispute.appeal_filed", "dispute.appeal_decided").endsWith("dispute.appeal_decided");
        JsonNode filed = sent.get(sent.size() - 2);
        assertThat(filed.at("/type").asText()).isEqualTo("dispute.appeal_filed");
        assertThat(filed.at("/data/kind").asText()).isEqualTo("APPEAL_FILED");
        assertThat(filed.at("/data/party").asText()).as("the appellant").isEqualTo("CUSTOMER");
        assertThat(filed.at("/data/actor").asText()).isEqualTo("buyer1");
        assertThat(filed.at("/data/message").asText()).contains("补充了卡密无效的录屏");
        JsonNode decided = sent.get(sent.size() - 1);
        assertThat(decided.at("/data/kind").asText()).isEqualTo("APPEAL_UPHELD");
        assertThat(decided.at("/data/decision").asText()).isEqualTo("UPHOLD");
        assertThat(decided.at("/data/actor").asText()).isEqualTo("arbiter2");
        assertThat(decided.at("/sequence").asInt()).isEqualTo(filed.at("/sequence").asInt() + 1);
        assertThat(requests(AUDIT, d.id()).stream().map(WebhookDeliveryTest::type).distinct())
                .as("the audit wants closings only").containsExactly("dispute.closed");
    }

    /** Relays until every event of the dispute was accepted (a copy that timed out on this busy machine is sent again). */
    private void relayUntilDelivered(String disputeId) {
        for (int attempt = 0; attempt < 10; attempt++) {
            relay.relay();
            if (jdbc.sql("select count(*) from webhook_delivery where dispute_id = ? and delivered_at is null")
                    .param(disputeId).query(Integer.class).single() == 0) {
                return;
            }
            given.moveClock(Duration.ofMinutes(30)); // past the retry pause
        }
        throw new AssertionError("the events of " + disputeId + " were not all delivered");
    }

    /** The events the platform received about the dispute, each once (a subscriber deduplicates on the id), in order. */
    private static List<JsonNode> platformEventsOnce(String disputeId) {
        Map<String, JsonNode> once = new LinkedHashMap<>();
        requests(HOOKS, disputeId).forEach(e -> once.putIfAbsent(json(e).get("id").asText(), json(e)));
        return new ArrayList<>(once.values());
    }

    private List<String> eventTypes(String disputeId) {
        return jdbc.sql("select type from webhook_event where dispute_id = ? order by sequence_no").param(disputeId)
                .query(String.class).list();
    }

    private List<ServeEvent> platformRequests(String disputeId) {
        return requests(HOOKS, disputeId);
    }

    /** The receiver's requests about the dispute, in the order they came. */
    private static List<ServeEvent> requests(String path, String disputeId) {
        List<ServeEvent> all = new ArrayList<>(receiver.getAllServeEvents());
        java.util.Collections.reverse(all);
        return all.stream().filter(e -> e.getRequest().getUrl().equals(path))
                .filter(e -> json(e).get("disputeId").asText().equals(disputeId)).toList();
    }

    private static JsonNode json(ServeEvent e) {
        try {
            return JSON.readTree(e.getRequest().getBodyAsString());
        } catch (java.io.IOException ex) {
            throw new AssertionError(ex);
        }
    }

    private static String type(ServeEvent e) {
        return json(e).get("type").asText();
    }

    private static int sequence(ServeEvent e) {
        return json(e).get("sequence").asInt();
    }

    private RestClient asOps() {
        return http("ops1");
    }

    private RestClient http(String user) {
        return RestClient.builder().baseUrl("http://localhost:" + environment.getProperty("local.server.port"))
                .defaultHeaders(h -> h.setBasicAuth(user, "demo"))
                .defaultStatusHandler(status -> true, (request, response) -> { }).build();
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
