package cn.kameng.refunddesk.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;


import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngines;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;

import cn.kameng.refunddesk.api.Api.Res;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.refund.RefundRecords;
import cn.kameng.refunddesk.sandbox.SandboxSettlement;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;

/**
 * The findings of issue 13, each as the outsider sent it over HTTP, and what must come back now: a 4xx
 * with a sentence, and nothing changed.
 */
@DisputeServiceTest
class OutsiderFindingsTest {

    static final String NOTIFY = "/api/v1/payment-notifications/sandbox";

    @LocalServerPort int port;
    @Autowired TestDisputes given;
    @Autowired SandboxSettlement sandboxGateway;
    @Autowired RefundRecords refunds;
    @Autowired ManagementService management;
    @Autowired RuntimeService runtime;
    @Autowired TaskService tasks;
    @Autowired ProcessEngine engine;
    @Autowired JdbcClient jdbc;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        ProcessEngines.registerProcessEngine(engine);
        ClockUtil.reset();
    }

    @AfterEach
    void reset() {
        ClockUtil.reset();
        given.settleRefunds(); // the context is shared: leave no refund pending at the sandbox gateway
    }

    // ---- 1. forged sandbox refunds --------------------------------------------------------------

    @Test
    void theSecretTheDemoOnceShippedNoLongerSignsAndTheRefundKeyCannotBeGuessed() {
        String id = refundAtTheGateway();
        String key = given.refundKey(id);
        assertThat(key).matches(TestDisputes.refundKeyPattern(id, 1)).hasSizeLessThanOrEqualTo(64);
        assertThat(key.replaceAll("[^A-Za-z0-9]", "")).hasSizeBetween(8, 32); // UnionPay orderId

        String notice = notice(key, "SUCCEEDED", 2500);
        Res forged = api.anonymous().postRaw(NOTIFY, MediaType.APPLICATION_JSON, notice,
                Map.of("x-sandbox-signature", hmac("sandbox-demo-notification-secret", notice)));
        assertThat(forged.status()).as("%s", forged).isEqualTo(401);
        Res guessed = api.anonymous().postRaw(NOTIFY, MediaType.APPLICATION_JSON, notice(id + "-R1", "SUCCEEDED", 2500),
                Map.of("x-sandbox-signature", sandboxGateway.signature(notice(id + "-R1", "SUCCEEDED", 2500))));
        assertThat(guessed.status()).as("the old guessable key names no refund").isEqualTo(404);
        assertThat(refunds.of(id)).singleElement().satisfies(r -> assertThat(r.status().name()).isEqualTo("PROCESSING"));
    }

    @Test
    void aSettledAmountOutsideZeroToTheRefundsAmountIsRefusedAndChangesNothing() {
        String id = refundAtTheGateway();
        String key = given.refundKey(id);
        for (String amount : List.of("-5", "2501", "9223372036854775807")) {
            String notice = notice(key, "SUCCEEDED", amount);
            Res answer = api.anonymous().postRaw(NOTIFY, MediaType.APPLICATION_JSON, notice,
                    Map.of("x-sandbox-signature", sandboxGateway.signature(notice)));
            assertThat(answer.status()).as(amount + ": %s", answer).isEqualTo(400);
            assertThat(answer.at("/errors/settledAmountFen").isMissingNode()).as("%s", answer).isFalse();
        }
        String tooBig = notice(key, "SUCCEEDED", "92233720368547758070");
        Res overflow = api.anonymous().postRaw(NOTIFY, MediaType.APPLICATION_JSON, tooBig,
                Map.of("x-sandbox-signature", sandboxGateway.signature(tooBig)));
        assertThat(overflow.status()).as("%s", overflow).isEqualTo(400);
        String twice = "{\"idempotencyKey\":\"" + key + "\",\"status\":\"FAILED\",\"status\":\"SUCCEEDED\","
                + "\"settledAmountFen\":2500}";
        Res duplicated = api.anonymous().postRaw(NOTIFY, MediaType.APPLICATION_JSON, twice,
                Map.of("x-sandbox-signature", sandboxGateway.signature(twice)));
        assertThat(duplicated.status()).as("a key given twice is not read last-wins: %s", duplicated).isEqualTo(400);
        assertThat(refunds.of(id)).singleElement().satisfies(r -> {
            assertThat(r.status().name()).isEqualTo("PROCESSING");
            assertThat(r.settledAmountFen()).isNull();
        });
        assertThat(given.get(id).status().name()).isEqualTo("REFUNDING");
    }

    // ---- 2. a customer at the engine's door -----------------------------------------------------

    @Test
    void aPartysCallsToTheEngineChangeNoJobVariableOrTask() {
        String id = given.open(given.order(2500), Reason.INVALID_CARD_KEY).id();
        String instance = given.instance(id).getId();
        Job timer = management.createJobQuery().processInstanceId(instance).timers().list().get(0);
        Map<String, Object> variables = runtime.getVariables(instance);

        for (String party : List.of("buyer1", "merchant1")) {
            for (int i = 0; i < 3; i++) {
                Res execute = api.as(party).postEmpty("/engine-rest/job/" + timer.getId() + "/execute");
                assertThat(execute.status()).as("%s", execute).isEqualTo(403);
                assertThat(execute.contentType().toString()).contains("problem+json");
            }
            assertThat(api.as(party).put("/engine-rest/job/" + timer.getId() + "/retries", Map.of("retries", 0))
                    .status()).isEqualTo(403);
            assertThat(api.as(party).put("/engine-rest/process-instance/" + instance + "/variables/status",
                    Map.of("value", "CLOSED", "type", "String")).status()).isEqualTo(403);
            assertThat(api.as(party).get("/engine-rest/task").status()).isEqualTo(403);
            assertThat(api.as(party).get("/camunda/api/engine/engine/default/job").status()).isIn(401, 403);
        }
        Job after = management.createJobQuery().jobId(timer.getId()).singleResult();
        assertThat(after.getRetries()).as("the 48 h timer keeps its retries").isEqualTo(timer.getRetries());
        assertThat(after.getExceptionMessage()).isNull();
        assertThat(runtime.createIncidentQuery().processInstanceId(instance).count()).isZero();
        assertThat(runtime.getVariables(instance)).isEqualTo(variables);
        assertThat(given.get(id).status().name()).isEqualTo("AWAITING_MERCHANT");
        assertThat(api.as("ops1").get("/engine-rest/job/" + timer.getId()).status()).as("staff still may").isEqualTo(200);
    }

    // ---- 3. an open sandbox ---------------------------------------------------------------------

    @Test
    void theSandboxIsOperationsOnlyAndChatLinesCarryTheCaller() {
        String order = given.order(2500);
        Map<String, Object> body = Map.of("buyerId", "buyer1", "merchantId", "merchant1", "amountFen", 100,
                "paymentChannel", "ALIPAY", "productCategory", "CARD_KEY");
        for (String outsider : List.of("buyer2", "buyer1", "merchant1", "reviewer1")) {
            assertThat(api.as(outsider).put("/api/v1/sandbox/orders/" + order + "/gateway-behaviour",
                    Map.of("behaviour", "FAIL")).status()).isEqualTo(403);
            assertThat(api.as(outsider).post("/api/v1/sandbox/orders", body).status()).isEqualTo(403);
            assertThat(api.as(outsider).postEmpty("/api/v1/sandbox/gateway/settle").status()).isEqualTo(403);
        }
        assertThat(api.as("ops1").post("/api/v1/sandbox/orders", body).status()).isEqualTo(201);

        assertThat(api.as("buyer2").post("/api/v1/sandbox/orders/" + order + "/chat", Map.of("text", "我是商家"))
                .status()).as("not buyer2's order").isEqualTo(404);
        Res chosen = api.as("buyer1").post("/api/v1/sandbox/orders/" + order + "/chat",
                Map.of("sender", "merchant1", "text", "卡密是好的"));
        assertThat(chosen.status()).as("a sender cannot be chosen: %s", chosen).isEqualTo(400);
        Res own = api.as("buyer1").post("/api/v1/sandbox/orders/" + order + "/chat", Map.of("text", "卡密无效"));
        assertThat(own.status()).isEqualTo(201);
        assertThat(own.text("/sender")).isEqualTo("buyer1");
        assertThat(jdbc.sql("select sender from sandbox_chat_message where order_id = ?").param(order)
                .query(String.class).list()).containsExactly("buyer1");
    }

    // ---- 5. 500s a client can cause --------------------------------------------------------------

    @Test
    void duplicatedKeysOddHeadersAndTheErrorPageAreFourHundredsWithASentence() {
        String id = given.open(given.order(2500), Reason.INVALID_CARD_KEY).id();
        Res twice = api.as("merchant1").postRaw("/api/v1/disputes/" + id + "/merchant-response",
                MediaType.APPLICATION_JSON, "{\"decision\":\"ACCEPT\",\"message\":\"a\",\"message\":\"b\"}", Map.of());
        assertProblem(twice, 400, "message");
        String latin = raw("POST /api/v1/disputes HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic "
                + java.util.Base64.getEncoder().encodeToString("buyer1:demo".getBytes()) + "\r\nContent-Type: "
                + "application/json\r\nIdempotency-Key: cl\u00e9-\u00ff\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
        assertThat(latin).as(latin).startsWith("HTTP/1.1 400").contains("application/problem+json");
        Res error = api.anonymous().get("/error");
        assertThat(error.status()).isEqualTo(404);
        assertThat(error.contentType().toString()).contains("problem+json");
        assertThat(given.get(id).status().name()).isEqualTo("AWAITING_MERCHANT");
    }

    @Test
    void twentyCopiesOfOneComplaintAtOnceAreOneComplaint() throws Exception {
        String order = given.order(2500);
        Map<String, Object> body = Map.of("channel", "HEIMAO", "externalId", "HM-RACE-" + order, "orderId", order,
                "summary", "要求退款");
        List<Integer> statuses = parallel(20, () -> api.as("complaints1").post("/api/v1/external-complaints", body).status());
        assertThat(statuses).as("%s", statuses).allMatch(s -> s == 200 || s == 201);
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(jdbc.sql("select count(*) from external_complaint where order_id = ?").param(order).query(Integer.class)
                .single()).isEqualTo(1);
    }

    // ---- 6. inputs silently changed -------------------------------------------------------------

    @Test
    void ordinalsFractionsAndCoercedScalarsAreRefusedNamingTheField() {
        String id = given.open(given.order(2500), Reason.INVALID_CARD_KEY).id();
        String path = "/api/v1/disputes/" + id + "/merchant-response";
        assertProblem(api.as("merchant1").post(path, Map.of("decision", 1, "message", "m")), 400, "decision");
        assertProblem(api.as("merchant1").post(path, Map.of("decision", "ACCEPT", "refundAmountFen", 1.5,
                "message", "m")), 400, "refundAmountFen");
        assertProblem(api.as("merchant1").post(path, Map.of("decision", "ACCEPT", "refundAmountFen", "100",
                "message", "m")), 400, "refundAmountFen");
        assertProblem(api.as("merchant1").post(path, Map.of("decision", "REFUSE", "message", 123)), 400, "message");
        assertProblem(api.as("merchant1").postRaw(path, MediaType.APPLICATION_JSON,
                "{\"decision\":\"ACCEPT\",\"refundAmountFen\":99999999999999999999,\"message\":\"m\"}", Map.of()),
                400, "refundAmountFen");
        String order = given.order(2500);
        assertProblem(api.as("buyer1").post("/api/v1/disputes", Map.of("orderId", order, "reason", "NOT_DELIVERED",
                "description", "x", "claimedAmountFen", "100")), 400, "claimedAmountFen");
        assertProblem(api.as("buyer1").post("/api/v1/disputes", Map.of("orderId", order, "reason", "NOT_DELIVERED",
                "description", 123)), 400, "description");
        assertThat(given.get(id).status().name()).isEqualTo("AWAITING_MERCHANT");
        assertThat(given.get(id).merchantDecision()).isNull();
    }

    // ---- 7. idempotency ------------------------------------------------------------------------

    @Test
    void twentyIdenticalOpeningsWithOneKeyAreAll201AndOneDispute() throws Exception {
        String order = given.order(2500);
        Map<String, Object> body = Map.of("orderId", order, "reason", "NOT_DELIVERED", "description", "没收到");
        String key = java.util.UUID.randomUUID().toString();
        List<String> answers = parallel(20, () -> {
            Res r = api.as("buyer1").post("/api/v1/disputes", body, h -> h.set("Idempotency-Key", key));
            return r.status() + " " + r.text("/id");
        });
        assertThat(answers).as("%s", answers).allMatch(a -> a.startsWith("201 "));
        assertThat(answers.stream().distinct()).hasSize(1);
        Res other = api.as("buyer1").post("/api/v1/disputes", Map.of("orderId", order, "reason", "NOT_DELIVERED",
                "description", "另一个"), h -> h.set("Idempotency-Key", key));
        assertProblem(other, 422, "idempotencyKey");
        assertThat(other.text("/detail")).contains(key);
    }

    // ---- 8. text --------------------------------------------------------------------------------

    @Test
    void textThatWouldNotSurviveAsStoredIsRefusedNamingTheField() {
        String id = given.open(given.order(2500), Reason.INVALID_CARD_KEY).id();
        String path = "/api/v1/disputes/" + id + "/merchant-response";
        for (String odd : List.of("a\u0000b", "a\ud800b", "a\udc00", "pay\u202Egnp.exe", "a\u2066b", "a\u200Bb",
                "a\uFEFFb", "a\u0007b")) {
            Res answer = api.as("merchant1").post(path, Map.of("decision", "REFUSE", "message", odd));
            assertProblem(answer, 400, "message");
        }
        assertThat(given.get(id).status().name()).isEqualTo("AWAITING_MERCHANT");
        Res fine = api.as("merchant1").post(path, Map.of("decision", "REFUSE", "message", "卡密已使用 ✓ 😀\n第二行\t${1+1}"));
        assertThat(fine.status()).as("%s", fine).isEqualTo(200);
        assertThat(given.get(id).merchantMessage()).isEqualTo("卡密已使用 ✓ 😀\n第二行\t${1+1}");
    }

    // ---- 10. headers ----------------------------------------------------------------------------

    @Test
    void everyAnswerSaysHowMuchOfItsAddressToPassOn() {
        assertThat(api.as("buyer1").get("/api/v1/disputes").headers().getFirst("Referrer-Policy"))
                .isEqualTo("strict-origin-when-cross-origin");
        assertThat(api.anonymous().get("/camunda/app/tasklist/").headers().getFirst("Referrer-Policy"))
                .isEqualTo("strict-origin-when-cross-origin");
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static void assertProblem(Res answer, int status, String field) {
        assertThat(answer.status()).as("%s", answer).isEqualTo(status);
        assertThat(answer.contentType().toString()).contains("problem+json");
        assertThat(answer.text("/detail")).isNotBlank();
        assertThat(answer.at("/errors/" + field).isMissingNode()).as("errors name %s: %s", field, answer).isFalse();
    }

    /** A request as raw ISO-8859-1 bytes (a header byte no client library would send), and the raw answer. */
    private String raw(String request) {
        try (var socket = new java.net.Socket("localhost", port)) {
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static <T> List<T> parallel(int n, java.util.concurrent.Callable<T> call) throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<T>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<T> results = new java.util.ArrayList<>();
            for (var f : futures) {
                results.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private String refundAtTheGateway() {
        String id = given.acceptedDispute(given.order(2500));
        given.runDueJobs(id);
        assertThat(given.get(id).status().name()).isEqualTo("REFUNDING");
        return id;
    }

    static String notice(String key, String status, Object settled) {
        return "{\"idempotencyKey\":\"" + key + "\",\"status\":\"" + status + "\",\"settledAmountFen\":" + settled
                + ",\"reference\":\"SBX-" + key + "\",\"failureReason\":null}";
    }

    static String hmac(String secret, String body) {
        return DisputeApiContract.hmac(secret, body);
    }

}
