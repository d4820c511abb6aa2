package cn.kameng.refunddesk.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.sandbox.SandboxSettlement;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;

/**
 * What an outsider found (issue 13), kept found: every /api/v1 operation, each field of its body (or its
 * query, path or part) replaced by each value of a catalogue of bad ones, and each body replaced by
 * malformed JSON. Every answer must be 2xx or a 4xx problem+json with a sentence, never 5xx; a 4xx must
 * leave the dispute as it was (status and timeline); text that was taken must be stored verbatim. The
 * figures it reaches are printed and written in the README's security section.
 */
@DisputeServiceTest
class AttackSuiteTest {

    /** Values as JSON literals: wrong types, nulls, huge, out of range, unicode oddities, injection-looking. */
    static final List<String> VALUES = List.of(
            "null", "1", "-1", "0", "1.5", "-0.0", "1e400", "99999999999999999999", "-9223372036854775808",
            "true", "[]", "[\"x\"]", "{}", "{\"a\":1}", "\"\"", "\" \"", "\"x\"", "\"" + "长".repeat(5000) + "\"",
            "\"" + "a".repeat(70000) + "\"", "\"\\u0000\"", "\"a\\ud800b\"", "\"\\udc00\"", "\"\\u202Egnp.exe\"",
            "\"a\\u200Bb\"", "\"\\uFEFF\"", "\"😀𠀀\"", "\"Ｒｅｆｕｓｅ\"", "\"refuse\"", "\"2\"", "\"1e3\"",
            "\"2025-13-45T99:99:99Z\"", "\"${1+1}\"", "\"#{1+1}\"", "\"{{7*7}}\"", "\"<script>alert(1)</script>\"",
            "\"' OR 1=1 --\"", "\"../../etc/passwd\"", "\"%s%n%x\"", "\"\\r\\nSet-Cookie: a=b\"");

    /** Whole bodies that are not what any operation reads. */
    static final List<String> BODIES = List.of("", "null", "[]", "\"x\"", "1", "not json", "{\"a\":", "{}}",
            "{\"x\":1,\"x\":2}", "{" + "\"k\":[".repeat(2000) + "]".repeat(2000) + "}");

    /** Text fields the dispute's view shows (itself or in its timeline): what was taken must read the same. */
    static final java.util.Set<String> VERBATIM = java.util.Set.of("description", "message", "statement", "note");

    record Op(String method, String path, String user, Map<String, String> body) {
    }

    @LocalServerPort int port;
    @Autowired TestDisputes given;
    @Autowired JdbcClient jdbc;
    @Autowired SandboxSettlement sandboxGateway;

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();
    int requests;
    final List<String> fiveHundreds = new ArrayList<>();
    final List<String> broken = new ArrayList<>();

    @Test
    void noBadValueBreaksARuleOrTheServer() throws Exception {
        ClockUtil.reset();
        long started = System.nanoTime();
        List<Op> ops = operations();
        for (Op op : ops) {
            Op fresh = instantiate(op);
            for (String field : op.body().keySet()) {
                for (String value : VALUES) {
                    Map<String, String> body = new LinkedHashMap<>(fresh.body());
                    body.put(field, value);
                    if (attack(fresh, body, field, value)) {
                        fresh = instantiate(op); // it was taken: the next value meets a dispute as it was
                    }
                }
            }
            for (String raw : BODIES) {
                attack(fresh, raw);
            }
        }
        int queries = queryAndPathAttacks();
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("AttackSuite: %d operations (%d with a JSON body), %d values per field, %d bodies, "
                + "%d requests in %.0f s, %d answered 5xx, %d broke a rule%n", ops.size() + 4, ops.size(), VALUES.size(),
                BODIES.size(), requests + queries, seconds, fiveHundreds.size(), broken.size());
        assertThat(fiveHundreds).as("5xx answers").isEmpty();
        assertThat(broken).as("answers that broke a rule").isEmpty();
    }

    // ---- the operations -------------------------------------------------------------------------

    List<Op> operations() {
        String d = "{dispute}";
        return List.of(
                new Op("POST", "/api/v1/disputes", "buyer1", body("orderId", "\"{order}\"", "reason", "\"NOT_DELIVERED\"",
                        "description", "\"没收到\"", "claimedAmountFen", "100")),
                new Op("POST", "/api/v1/disputes/" + d + "/merchant-response", "merchant1", body("decision", "\"ACCEPT\"",
                        "refundAmountFen", "100", "message", "\"m\"", "replacementCardKey", "\"K\"")),
                new Op("POST", "/api/v1/disputes/" + d + "/offer-response", "buyer1", body("accept", "true")),
                new Op("POST", "/api/v1/disputes/" + d + "/replacement-confirmation", "buyer1", body("works", "true")),
                new Op("POST", "/api/v1/disputes/" + d + "/formal-request", "buyer1", body("statement", "\"s\"",
                        "reportedCardKey", "\"K\"")),
                new Op("POST", "/api/v1/disputes/" + d + "/escalation", "buyer1", body("note", "\"n\"")),
                new Op("POST", "/api/v1/disputes/" + d + "/intervention", "buyer1", body("statement", "\"s\"")),
                new Op("POST", "/api/v1/disputes/" + d + "/merchant-proof", "merchant1", body("statement", "\"s\"")),
                new Op("POST", "/api/v1/disputes/" + d + "/additional-evidence", "buyer1", body("statement", "\"s\"")),
                new Op("POST", "/api/v1/disputes/" + d + "/withdrawal", "buyer1", body("note", "\"n\"")),
                new Op("POST", "/api/v1/disputes/" + d + "/arrival-confirmation", "buyer1", body("arrived", "true",
                        "receivedAmountFen", "100")),
                new Op("POST", "/api/v1/disputes/" + d + "/appeal", "buyer1", body("statement", "\"s\"")),
                new Op("POST", "/api/v1/external-complaints", "complaints1", body("channel", "\"HEIMAO\"",
                        "externalId", "\"HM-{order}\"", "orderId", "\"{order}\"", "summary", "\"投诉\"")),
                new Op("POST", "/api/v1/payment-notifications/sandbox", null, body("idempotencyKey", "\"{dispute}-R1-x\"",
                        "status", "\"SUCCEEDED\"", "settledAmountFen", "100", "reference", "\"r\"", "failureReason", "null")),
                new Op("POST", "/api/v1/sandbox/orders", "ops1", body("buyerId", "\"buyer1\"", "merchantId", "\"merchant1\"",
                        "amountFen", "100", "paymentChannel", "\"ALIPAY\"", "productCategory", "\"CARD_KEY\"",
                        "deliveredAt", "\"2024-01-01T00:00:00Z\"", "gatewayBehaviour", "\"SUCCEED\"")),
                new Op("PUT", "/api/v1/sandbox/orders/{order}/gateway-behaviour", "ops1", body("behaviour", "\"FAIL\"")),
                new Op("PUT", "/api/v1/sandbox/card-keys/K-{order}", "ops1", body("status", "\"REDEEMED\"",
                        "redeemedAt", "\"2024-01-01T00:00:00Z\"", "redeemedBy", "\"x\"")),
                new Op("POST", "/api/v1/sandbox/orders/{order}/chat", "buyer1", body("text", "\"t\"")),
                // deposits of a merchant no other test uses: a top-up that is taken must not move merchant1's holds
                new Op("POST", "/api/v1/merchant-deposits/merchant-attack/top-ups", "finance1", body("amountFen", "100",
                        "note", "\"n\"")),
                new Op("POST", "/api/v1/merchant-deposits/merchant-attack/recoveries", "finance1", body("amountFen", "100",
                        "note", "\"n\"")),
                new Op("POST", "/api/v1/compensation-fund/top-ups", "finance1", body("amountFen", "100", "note", "\"n\"")),
                new Op("POST", "/api/v1/account-restrictions/1/contest", "buyer1", body("statement", "\"s\"")));
    }

    /** A fresh order and dispute (awaiting the merchant) for each request, so one answer cannot hide another. */
    Op instantiate(Op op) {
        String order = given.order(2500);
        String dispute = op.path().contains("{dispute}") || op.body().toString().contains("{dispute}")
                ? given.open(order, Reason.INVALID_CARD_KEY).id() : null;
        Map<String, String> body = new LinkedHashMap<>();
        op.body().forEach((k, v) -> body.put(k, fill(v, order, dispute)));
        return new Op(op.method(), fill(op.path(), order, dispute), op.user(), body);
    }

    static String fill(String s, String order, String dispute) {
        return s.replace("{order}", order).replace("{dispute}", dispute == null ? "none" : dispute);
    }

    // ---- one attack ---------------------------------------------------------------------------

    boolean attack(Op op, Map<String, String> body, String field, String value) throws Exception {
        StringBuilder raw = new StringBuilder("{");
        body.forEach((k, v) -> raw.append(raw.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        return attack(op, raw.append('}').toString(), field, value);
    }

    boolean attack(Op op, String raw) throws Exception {
        return attack(op, raw, "body", raw.length() > 40 ? raw.substring(0, 40) + "…" : raw);
    }

    /** Sends one bad request and checks the answer; true if it was taken (2xx). */
    boolean attack(Op op, String raw, String field, String value) throws Exception {
        String dispute = disputeOf(op);
        String before = dispute == null ? null : state(dispute);
        HttpResponse<String> answer = send(op.method(), op.path(), op.user(), "application/json", raw);
        String what = op.method() + " " + op.path() + " " + field + "=" + abbreviate(value) + " -> " + answer.statusCode();
        check(answer, what);
        if (dispute != null && answer.statusCode() >= 400 && !before.equals(state(dispute))) {
            broken.add(what + ": refused, yet the dispute changed");
        }
        if (answer.statusCode() < 300 && value.contains("1+1") && VERBATIM.contains(field) && !answer.body().contains("1+1")
                && (dispute == null || !admin("/api/v1/disputes/" + dispute).contains(value.substring(1, value.length() - 1)))) {
            broken.add(what + ": " + value + " was taken but not stored verbatim");
        }
        return answer.statusCode() < 300;
    }

    /** Query strings, path segments and multipart parts of the operations that have no JSON body. */
    int queryAndPathAttacks() throws Exception {
        int n = 0;
        String dispute = given.open(given.order(2500), Reason.INVALID_CARD_KEY).id();
        String before = state(dispute);
        List<String> texts = List.of("", "-1", "0", "99999999999999999999", "1.5", "x", "%00", "%E2%80%AE", "%ED%A0%80",
                "..%2F..%2Fetc", "%24%7B1%2B1%7D", "CLOSED", "closed", "a".repeat(5000));
        for (String v : texts) {
            for (String path : List.of("/api/v1/disputes?status=" + v, "/api/v1/disputes?page=" + v,
                    "/api/v1/disputes?size=" + v, "/api/v1/disputes/" + v, "/api/v1/disputes/" + dispute + "/evidence/" + v,
                    "/api/v1/disputes/" + v + "/evidence-checks", "/api/v1/disputes/" + v + "/dossier",
                    "/api/v1/external-complaints/" + v, "/api/v1/sandbox/orders/" + v,
                    "/api/v1/merchant-deposits/" + v, "/api/v1/merchant-deposits/merchant1?page=" + v,
                    "/api/v1/merchant-deposits/merchant1?size=" + v, "/api/v1/account-restrictions?x=" + v)) {
                check(send("GET", path, "buyer1", null, null), "GET " + abbreviate(path));
                n++;
            }
            for (String kind : List.of(v, "OTHER")) {
                String multipart = "--B\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n" + kind + "\r\n"
                        + "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + v + ".txt\"\r\n"
                        + "Content-Type: text/plain\r\n\r\nhello\r\n--B--\r\n";
                check(send("POST", "/api/v1/disputes/" + dispute + "/evidence", "buyer1", "multipart/form-data; boundary=B",
                        multipart), "POST evidence kind=" + abbreviate(kind));
                n++;
            }
        }
        if (!given.get(dispute).status().name().equals("AWAITING_MERCHANT")) {
            broken.add("reads and uploads moved dispute " + dispute + " on: " + before + " -> " + state(dispute));
        }
        return n;
    }

    void check(HttpResponse<String> answer, String what) {
        requests++;
        int status = answer.statusCode();
        if (status >= 500) {
            fiveHundreds.add(what + " " + abbreviate(answer.body()));
        } else if (status >= 400) {
            String type = answer.headers().firstValue("Content-Type").orElse("");
            if (!type.contains("application/problem+json") || !answer.body().contains("\"detail\"")) {
                broken.add(what + ": not problem+json with a detail: " + type + " " + abbreviate(answer.body()));
            }
        } else if (status >= 300 || status < 200) {
            broken.add(what + ": unexpected " + status);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    static String disputeOf(Op op) {
        var m = java.util.regex.Pattern.compile("DSP-[0-9]{8}-[0-9A-Z]{8}").matcher(op.path() + op.body());
        return m.find() ? m.group() : null;
    }

    String state(String dispute) {
        return jdbc.sql("select status || ':' || coalesce(outcome, '') from dispute where id = ?").param(dispute)
                .query(String.class).single() + "/" + jdbc.sql("select count(*) from timeline_entry where dispute_id = ?")
                .param(dispute).query(Integer.class).single();
    }

    String admin(String path) throws Exception {
        return send("GET", path, "admin", null, null).body();
    }

    HttpResponse<String> send(String method, String path, String user, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(java.time.Duration.ofSeconds(30));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":demo")
                    .getBytes(StandardCharsets.UTF_8)));
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (path.contains("payment-notifications") && body != null) {
            request.header("x-sandbox-signature", sandboxGateway.signature(body));
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static Map<String, String> body(String... pairs) {
        Map<String, String> body = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            body.put(pairs[i], pairs[i + 1]);
        }
        return body;
    }

    static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…(" + s.length() + ")" : s;
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
