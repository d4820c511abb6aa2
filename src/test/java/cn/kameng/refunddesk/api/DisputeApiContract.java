package cn.kameng.refunddesk.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import cn.kameng.refunddesk.api.Api.Res;
import cn.kameng.refunddesk.dispute.Caller;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.EvidenceFiles;
import cn.kameng.refunddesk.support.TestDisputes;

/**
 * The REST contract of /api/v1 (and the Tasklist side of it through /engine-rest), exercised over
 * HTTP as the demo users. Every endpoint: its success answer, each of its error answers as
 * application/problem+json, and after every error the dispute exactly as it was (its API view, its
 * notifications, what its processes wait for). Subclasses choose the database.
 */
@DisputeServiceTest
@TestPropertySource(properties = {
        // small enough to exceed cheaply in the 413 test
        "spring.servlet.multipart.max-file-size=64KB",
        "spring.servlet.multipart.max-request-size=1MB",
        // small enough to reach in the "too much evidence" test
        "dispute.rules.max-evidence-per-dispute=6"
})
abstract class DisputeApiContract {

    static final String DISPUTES = "/api/v1/disputes";
    static final long PAID = 2500;
    static final MediaType PROBLEM = MediaType.APPLICATION_PROBLEM_JSON;
    static final String PROBE_PASSWORD = "probe-password";

    @LocalServerPort int port;
    @Autowired TestDisputes given;
    @Autowired RuntimeService runtime;
    @Autowired TaskService tasks;
    @Autowired JdbcClient jdbc;
    @Autowired javax.sql.DataSource dataSource;
    @Autowired org.flywaydb.core.Flyway flyway;
    @Autowired IdentityService identity;
    @Autowired cn.kameng.refunddesk.sandbox.SandboxSettlement sandboxGateway;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        ClockUtil.reset();
    }

    @AfterEach
    void resetClock() {
        ClockUtil.reset();
    }

    /** The database product this subclass runs the contract on, as JDBC names it. */
    abstract String expectedDatabaseProduct();

    @Test
    void theContractRunsOnItsDatabaseWithTheServiceTablesMigratedByFlyway() throws Exception {
        try (var connection = dataSource.getConnection()) {
            assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo(expectedDatabaseProduct());
        }
        assertThat(flyway.info().applied()).anySatisfy(migration -> {
            assertThat(migration.getVersion().getVersion()).isEqualTo("1");
            assertThat(migration.getState().isApplied()).isTrue();
            assertThat(migration.getState().isFailed()).isFalse();
        });
        assertThat(flyway.info().pending()).isEmpty();
        assertThat(jdbc.sql("select count(*) from act_ge_property where name_ = 'schema.version'")
                .query(Long.class).single()).isEqualTo(1);
    }

    // ---------------------------------------------------------------------------------------------
    // Authentication
    // ---------------------------------------------------------------------------------------------

    @Test
    void everyApiEndpointRefusesCallersWhoAreNotSignedIn() {
        String id = open(order(), "INVALID_CARD_KEY").text("/id");
        Snapshot before = snapshot(id);
        List<Res> answers = List.of(
                api.anonymous().post(DISPUTES, openBody(order(), "INVALID_CARD_KEY")),
                api.anonymous().get(DISPUTES + "/" + id),
                api.anonymous().get(DISPUTES),
                api.anonymous().multipart(DISPUTES + "/" + id + "/evidence", evidenceParts("ORDER_SCREENSHOT", 10)),
                api.anonymous().post(DISPUTES + "/" + id + "/merchant-response", Map.of("decision", "REFUSE", "message", "x")),
                api.anonymous().post(DISPUTES + "/" + id + "/offer-response", Map.of("accept", true)),
                api.anonymous().post(DISPUTES + "/" + id + "/replacement-confirmation", Map.of("works", true)),
                api.anonymous().post(DISPUTES + "/" + id + "/formal-request", Map.of("statement", "x")),
                api.anonymous().post(DISPUTES + "/" + id + "/merchant-proof", Map.of("statement", "x")),
                api.anonymous().post(DISPUTES + "/" + id + "/additional-evidence", Map.of("statement", "x")),
                api.anonymous().post(DISPUTES + "/" + id + "/escalation", Map.of("note", "x")),
                api.anonymous().post(DISPUTES + "/" + id + "/intervention", Map.of("statement", "x")),
                api.anonymous().post(DISPUTES + "/" + id + "/withdrawal", Map.of("note", "x")),
                api.anonymous().post(DISPUTES + "/" + id + "/arrival-confirmation", Map.of("arrived", true)),
                api.anonymous().post("/api/v1/external-complaints", complaintBody("ALIPAY", "AP-ANON", order())),
                api.anonymous().post("/api/v1/sandbox/orders", orderBody("buyer1", "merchant1", PAID, null)),
                api.anonymous().put("/api/v1/sandbox/orders/" + order() + "/gateway-behaviour", Map.of("behaviour", "FAIL")),
                api.anonymous().postEmpty("/api/v1/sandbox/gateway/settle"));
        for (Res answer : answers) {
            assertProblem(answer, 401);
            assertThat(answer.headers().getFirst("WWW-Authenticate")).startsWith("Basic");
        }
        assertUnchanged(id, before);
    }

    @Test
    void aWrongPasswordIsUnauthorized() {
        // Not a demo user: a wrong password delays that user's next sign-in from this address, and the
        // other tests need the demo users signed in.
        String buyer = newUser(Caller.CUSTOMERS);
        String orderId = order(buyer, "merchant1", PAID, "ALIPAY", "CARD_KEY", yesterday(), null);
        Res opened = api.as(buyer, PROBE_PASSWORD).post(DISPUTES, openBody(orderId, "INVALID_CARD_KEY"));
        assertThat(opened.status()).isEqualTo(201);
        String id = opened.text("/id");
        Snapshot before = snapshot(id);

        assertProblem(api.as(buyer, "not-the-password").post(DISPUTES + "/" + id + "/withdrawal", Map.of()), 401);
        // issue 13: right after a wrong password the same address waits, answered 429 (was another 401)
        Res throttled = api.as(buyer, "not-the-password").get(DISPUTES + "/" + id);
        assertProblem(throttled, 429);
        assertThat(throttled.headers().getFirst("Retry-After")).isNotNull();
        assertProblem(api.as("nobody-at-all", "demo").get(DISPUTES), 401);

        assertUnchanged(id, before);
    }

    @Test
    void engineRestNeedsAuthenticationAndServesOperations() {
        assertThat(api.anonymous().get("/engine-rest/process-definition?key=refundDispute").status()).isEqualTo(401);
        assertThat(api.as(newUser(Caller.OPERATIONS), "wrong").get("/engine-rest/process-definition?key=refundDispute")
                .status()).isEqualTo(401);

        Res ops = api.as("ops1").get("/engine-rest/process-definition?key=refundDispute");
        assertThat(ops.status()).isEqualTo(200);
        assertThat(ops.json().isArray()).isTrue();
        assertThat(ops.json()).isNotEmpty();
        assertThat(ops.json().get(0).get("key").asText()).isEqualTo("refundDispute");
    }

    @Test
    void everyActionOnADisputeThatDoesNotExistIsNotFound() {
        String path = DISPUTES + "/DSP-20260101-NOSUCHID";
        Map<String, Map<String, Object>> customerActions = Map.of(
                "/offer-response", Map.of("accept", true),
                "/replacement-confirmation", Map.of("works", true),
                "/formal-request", Map.of("statement", "x"),
                "/additional-evidence", Map.of("statement", "x"),
                "/escalation", Map.of("note", "x"),
                "/intervention", Map.of("statement", "x"),
                "/withdrawal", Map.of("note", "x"),
                "/arrival-confirmation", Map.of("arrived", true));
        customerActions.forEach((action, body) -> assertProblem(api.as("buyer1").post(path + action, body), 404));
        assertProblem(api.as("merchant1").post(path + "/merchant-response",
                Map.of("decision", "REFUSE", "message", "x")), 404);
        assertProblem(api.as("merchant1").post(path + "/merchant-proof", Map.of("statement", "x")), 404);
        assertProblem(api.as("buyer1").multipart(path + "/evidence", evidenceParts("OTHER", 10)), 404);
        assertProblem(api.as("admin").get(path), 404);
    }

    // ---------------------------------------------------------------------------------------------
    // POST /disputes
    // ---------------------------------------------------------------------------------------------

    @Test
    void openingADisputeAnswers201WithItsLocationAndTellsTheMerchant() {
        String orderId = order();

        Res created = api.as("buyer1").post(DISPUTES, Map.of("orderId", orderId, "reason", "INVALID_CARD_KEY",
                "description", "卡密提示已被使用", "claimedAmountFen", 2000));

        assertThat(created.status()).isEqualTo(201);
        String id = created.text("/id");
        assertThat(id).startsWith("DSP-");
        assertThat(created.headers().getLocation()).hasToString("/api/v1/disputes/" + id);
        assertThat(created.contentType().isCompatibleWith(MediaType.APPLICATION_JSON)).isTrue();
        assertThat(created.text("/orderId")).isEqualTo(orderId);
        assertThat(created.text("/customerId")).isEqualTo("buyer1");
        assertThat(created.text("/merchantId")).isEqualTo("merchant1");
        assertThat(created.text("/reason")).isEqualTo("INVALID_CARD_KEY");
        assertThat(created.text("/paymentChannel")).isEqualTo("ALIPAY");
        assertThat(created.at("/paidAmountFen").asLong()).isEqualTo(PAID);
        assertThat(created.at("/claimedAmountFen").asLong()).isEqualTo(2000);
        assertThat(created.at("/approvedAmountFen").isNull()).isTrue();
        assertThat(created.text("/status")).isEqualTo("AWAITING_MERCHANT");
        assertThat(created.at("/outcome").isNull()).isTrue();
        assertThat(created.at("/deadlines/MERCHANT_REPLY").isTextual()).isTrue();
        Instant merchantReplyDue = Instant.parse(created.text("/deadlines/MERCHANT_REPLY"));
        Instant openedAt = Instant.parse(created.text("/openedAt"));
        assertThat(Duration.between(openedAt, merchantReplyDue)).isBetween(Duration.ofHours(48),
                Duration.ofHours(48).plusMinutes(1));
        assertThat(created.text("/deadlineDetails/MERCHANT_REPLY/sla")).isEqualTo("PT48H");
        assertThat(created.text("/deadlineDetails/MERCHANT_REPLY/countedOn")).isEqualTo("CALENDAR_TIME");
        assertThat(Instant.parse(created.text("/deadlineDetails/MERCHANT_REPLY/dueAt"))).isEqualTo(merchantReplyDue);
        assertThat(created.at("/closedAt").isNull()).isTrue();
        assertThat(events(created.json())).containsExactly("OPENED", "MERCHANT_NOTIFIED");
        assertThat(created.at("/evidence")).isEmpty();
        assertThat(created.at("/refunds")).isEmpty();
        assertThat(created.at("/complaints")).isEmpty();

        // the Location points at the dispute as GET shows it
        Res read = api.as("buyer1").get(created.headers().getLocation().toString());
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(created.json());
    }

    @Test
    void withoutAClaimedAmountTheWholePaidAmountIsClaimed() {
        Res created = api.as("buyer1").post(DISPUTES, Map.of("orderId", order(), "reason", "NOT_DELIVERED",
                "description", "一直没有发货"));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.at("/claimedAmountFen").asLong()).isEqualTo(PAID);
    }

    @Test
    void theSameIdempotencyKeyGivesTheSameDispute() {
        String orderId = order();
        Map<String, Object> body = openBody(orderId, "INVALID_CARD_KEY");
        String key = "open-" + orderId;

        Res first = api.as("buyer1").post(DISPUTES, body, h -> h.set("Idempotency-Key", key));
        Res again = api.as("buyer1").post(DISPUTES, body, h -> h.set("Idempotency-Key", key));

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isBetween(200, 201);
        assertThat(again.text("/id")).isEqualTo(first.text("/id"));
        assertThat(again.headers().getLocation()).isEqualTo(first.headers().getLocation());
        assertThat(disputeIdsOfOrder("buyer1", orderId)).containsExactly(first.text("/id"));
        // the repeat did not write a second "opened" entry
        assertThat(events(dispute(first.text("/id")))).containsOnlyOnce("OPENED");

        // keys belong to their customer: another buyer's same key neither finds nor blocks buyer1's dispute
        String buyer2Order = order("buyer2", "merchant1", PAID, "ALIPAY", "CARD_KEY", yesterday(), null);
        Res otherBuyer = api.as("buyer2").post(DISPUTES, openBody(buyer2Order, "INVALID_CARD_KEY"),
                h -> h.set("Idempotency-Key", key));
        assertThat(otherBuyer.status()).isEqualTo(201);
        assertThat(otherBuyer.text("/id")).isNotEqualTo(first.text("/id"));
        assertThat(otherBuyer.text("/customerId")).isEqualTo("buyer2");
    }

    @Test
    void theSameIdempotencyKeyForAnotherOrderIsRefusedAs422AndOpensNothing() {
        String firstOrder = order();
        String otherOrder = order();
        String key = "reuse-" + firstOrder;
        String id = api.as("buyer1").post(DISPUTES, openBody(firstOrder, "INVALID_CARD_KEY"),
                h -> h.set("Idempotency-Key", key)).text("/id");
        Snapshot before = snapshot(id);

        Res reused = api.as("buyer1").post(DISPUTES, openBody(otherOrder, "INVALID_CARD_KEY"),
                h -> h.set("Idempotency-Key", key));

        assertProblem(reused, 422);
        assertThat(reused.text("/detail")).contains(key).contains(firstOrder);
        assertThat(errors(reused)).containsKeys("idempotencyKey", "orderId");
        assertThat(disputeIdsOfOrder("buyer1", otherOrder)).isEmpty();
        assertUnchanged(id, before);
        // the other order is still free to be disputed
        assertThat(api.as("buyer1").post(DISPUTES, openBody(otherOrder, "INVALID_CARD_KEY")).status()).isEqualTo(201);
    }

    @Test
    void anOrderWithAnOpenDisputeCannotBeDisputedAgain() {
        String orderId = order();
        String id = open(orderId, "INVALID_CARD_KEY").text("/id");
        Snapshot before = snapshot(id);

        Res second = api.as("buyer1").post(DISPUTES, openBody(orderId, "NOT_AS_DESCRIBED"));

        assertProblem(second, 409);
        assertThat(second.text("/detail")).contains(orderId).contains(id);
        assertThat(disputeIdsOfOrder("buyer1", orderId)).containsExactly(id);
        assertUnchanged(id, before);
    }

    @Test
    void anOrderAlreadyRefundedCannotBeDisputedForASecondRefund() {
        String id = awaitingArrival();
        Res confirmed = api.as("buyer1").post(DISPUTES + "/" + id + "/arrival-confirmation", Map.of("arrived", true));
        assertThat(confirmed.text("/outcome")).isEqualTo("REFUNDED");
        String orderId = confirmed.text("/orderId");
        Snapshot before = snapshot(id);

        Res again = api.as("buyer1").post(DISPUTES, openBody(orderId, "DUPLICATE_CHARGE"));

        assertProblem(again, 409);
        assertThat(again.text("/detail")).contains(orderId).contains(id).contains("already refunded");
        assertThat(disputeIdsOfOrder("buyer1", orderId)).containsExactly(id);
        assertUnchanged(id, before);
    }

    @Test
    void aMistakenPurchaseIsRecordedClosedAsIneligibleWithTheReason() {
        Res created = api.as("buyer1").post(DISPUTES, openBody(order(), "MISTAKEN_PURCHASE"));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.text("/status")).isEqualTo("CLOSED");
        assertThat(created.text("/outcome")).isEqualTo("INELIGIBLE");
        assertThat(created.text("/outcomeReason")).contains("误购");
        assertThat(created.at("/closedAt").isTextual()).isTrue();
        assertThat(events(created.json())).containsExactly("OPENED", "CLOSED_INELIGIBLE");
        assertThat(created.at("/deadlines")).isEmpty();
    }

    @Test
    void aCardKeyDeliveredMoreThanSevenDaysAgoIsRecordedClosedAsIneligible() {
        String orderId = order("buyer1", "merchant1", PAID, "WECHAT_PAY", "CARD_KEY",
                Instant.now().minus(8, ChronoUnit.DAYS), null);

        Res created = api.as("buyer1").post(DISPUTES, openBody(orderId, "INVALID_CARD_KEY"));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.text("/status")).isEqualTo("CLOSED");
        assertThat(created.text("/outcome")).isEqualTo("INELIGIBLE");
        assertThat(created.text("/outcomeReason")).contains("7天");
        assertThat(events(created.json())).containsExactly("OPENED", "CLOSED_INELIGIBLE");
    }

    @Test
    void openingWithBadFieldsNamesEachField() {
        Res empty = api.as("buyer1").post(DISPUTES, Map.of());
        assertProblem(empty, 400);
        assertThat(errors(empty)).containsKeys("orderId", "reason", "description");

        Res badReason = api.as("buyer1").post(DISPUTES, Map.of("orderId", order(), "reason", "NO_REASON",
                "description", "x"));
        assertProblem(badReason, 400);
        assertThat(errors(badReason)).containsOnlyKeys("reason");

        Res negative = api.as("buyer1").post(DISPUTES, Map.of("orderId", order(), "reason", "NOT_DELIVERED",
                "description", "x", "claimedAmountFen", -5));
        assertProblem(negative, 400);
        assertThat(errors(negative)).containsOnlyKeys("claimedAmountFen");

        Res tooMuch = api.as("buyer1").post(DISPUTES, Map.of("orderId", order(), "reason", "NOT_DELIVERED",
                "description", "x", "claimedAmountFen", PAID + 1));
        assertProblem(tooMuch, 400);
        assertThat(errors(tooMuch)).containsOnlyKeys("claimedAmountFen");

        Res longDescription = api.as("buyer1").post(DISPUTES, Map.of("orderId", order(), "reason", "NOT_DELIVERED",
                "description", "长".repeat(4001)));
        assertProblem(longDescription, 400);
        assertThat(errors(longDescription)).containsOnlyKeys("description");

        Res unknownOrder = api.as("buyer1").post(DISPUTES, openBody("ORD-DOES-NOT-EXIST", "NOT_DELIVERED"));
        assertProblem(unknownOrder, 400);
        assertThat(errors(unknownOrder)).containsOnlyKeys("orderId");

        String buyer2Order = order("buyer2", "merchant1", PAID, "ALIPAY", "CARD_KEY", yesterday(), null);
        Res someoneElsesOrder = api.as("buyer1").post(DISPUTES, openBody(buyer2Order, "NOT_DELIVERED"));
        assertProblem(someoneElsesOrder, 400);
        assertThat(errors(someoneElsesOrder)).containsOnlyKeys("orderId");
        assertThat(disputeIdsOfOrder("buyer2", buyer2Order)).isEmpty();

        Res longKey = api.as("buyer1").post(DISPUTES, openBody(order(), "NOT_DELIVERED"),
                h -> h.set("Idempotency-Key", "k".repeat(101)));
        assertProblem(longKey, 400);
        assertThat(errors(longKey)).containsOnlyKeys("idempotencyKey");

        Res notJson = api.as("buyer1").postRaw(DISPUTES, MediaType.APPLICATION_JSON, "{\"orderId\": ", Map.of());
        assertProblem(notJson, 400);
    }

    @Test
    void onlyCustomersOpenDisputes() {
        String orderId = order();
        for (String user : List.of("merchant1", "reviewer1", "complaints1")) {
            Res answer = api.as(user).post(DISPUTES, openBody(orderId, "NOT_DELIVERED"));
            assertProblem(answer, 403);
        }
        assertThat(disputeIdsOfOrder("buyer1", orderId)).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------
    // GET /disputes/{id} and GET /disputes
    // ---------------------------------------------------------------------------------------------

    @Test
    void aDisputeIsShownToItsPartiesAndStaffOnly() {
        String id = open(order(), "INVALID_CARD_KEY").text("/id");

        Res buyer = api.as("buyer1").get(DISPUTES + "/" + id);
        assertThat(buyer.status()).isEqualTo(200);
        assertThat(buyer.json().fieldNames()).toIterable().contains("id", "orderId", "customerId", "merchantId",
                "reason", "paymentChannel", "paidAmountFen", "claimedAmountFen", "approvedAmountFen", "status",
                "outcome", "deadlines", "deadlineDetails", "openedAt", "closedAt", "timeline", "evidence", "refunds", "complaints");
        JsonNode firstEntry = buyer.at("/timeline/0");
        assertThat(firstEntry.get("event").asText()).isEqualTo("OPENED");
        assertThat(firstEntry.get("actor").asText()).isEqualTo("buyer1");
        assertThat(firstEntry.get("message").asText()).isNotBlank();
        assertThat(firstEntry.get("at").isTextual()).isTrue();

        assertThat(api.as("merchant1").get(DISPUTES + "/" + id).status()).isEqualTo(200);
        assertThat(api.as("reviewer1").get(DISPUTES + "/" + id).status()).isEqualTo(200);
        assertThat(api.as("ops1").get(DISPUTES + "/" + id).status()).isEqualTo(200);

        Res otherBuyer = api.as("buyer2").get(DISPUTES + "/" + id);
        assertProblem(otherBuyer, 404);
        assertThat(otherBuyer.raw()).doesNotContain("buyer1").doesNotContain("merchant1");
        assertProblem(api.as("merchant2").get(DISPUTES + "/" + id), 404);
        assertProblem(api.as("buyer1").get(DISPUTES + "/DSP-20260101-NOSUCHID"), 404);
    }

    @Test
    void theListShowsTheCallersOwnDisputesAndStaffSeeAll() {
        String mine = open(order(), "INVALID_CARD_KEY").text("/id");
        String buyer2Order = order("buyer2", "merchant2", PAID, "ALIPAY", "CARD_KEY", yesterday(), null);
        String theirs = api.as("buyer2").post(DISPUTES, openBody(buyer2Order, "INVALID_CARD_KEY")).text("/id");

        assertThat(listIds("buyer1", "")).contains(mine).doesNotContain(theirs);
        assertThat(listIds("buyer2", "")).contains(theirs).doesNotContain(mine);
        assertThat(listIds("merchant1", "")).contains(mine).doesNotContain(theirs);
        assertThat(listIds("merchant2", "")).contains(theirs).doesNotContain(mine);
        assertThat(listIds("reviewer1", "")).contains(mine, theirs);
        assertThat(listIds("admin", "")).contains(mine, theirs);

        Res one = api.as("buyer1").get(DISPUTES + "?status=AWAITING_MERCHANT&page=0&size=100");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json()).allSatisfy(d -> assertThat(d.get("status").asText()).isEqualTo("AWAITING_MERCHANT"));
        JsonNode summary = find(one.json(), mine);
        assertThat(summary.get("orderId").asText()).isNotBlank();
        assertThat(summary.get("reason").asText()).isEqualTo("INVALID_CARD_KEY");
        assertThat(summary.get("claimedAmountFen").asLong()).isEqualTo(PAID);
        assertThat(listIds("buyer1", "status=CLOSED")).doesNotContain(mine);

        // paging: pages of one, in a stable order, do not overlap
        open(order(), "NOT_DELIVERED");
        Res page0 = api.as("buyer1").get(DISPUTES + "?page=0&size=1");
        Res page1 = api.as("buyer1").get(DISPUTES + "?page=1&size=1");
        assertThat(page0.json()).hasSize(1);
        assertThat(page1.json()).hasSize(1);
        assertThat(page0.at("/0/id").asText()).isNotEqualTo(page1.at("/0/id").asText());
    }

    @Test
    void theListRejectsBadParametersByName() {
        Res size0 = api.as("buyer1").get(DISPUTES + "?size=0");
        assertProblem(size0, 400);
        assertThat(errors(size0)).containsOnlyKeys("size");

        Res size101 = api.as("buyer1").get(DISPUTES + "?size=101");
        assertProblem(size101, 400);
        assertThat(errors(size101)).containsOnlyKeys("size");

        Res negativePage = api.as("buyer1").get(DISPUTES + "?page=-1");
        assertProblem(negativePage, 400);
        assertThat(errors(negativePage)).containsOnlyKeys("page");

        Res badStatus = api.as("buyer1").get(DISPUTES + "?status=SOMEWHERE");
        assertProblem(badStatus, 400);
        assertThat(errors(badStatus)).containsOnlyKeys("status");
    }

    // ---------------------------------------------------------------------------------------------
    // POST /disputes/{id}/evidence
    // ---------------------------------------------------------------------------------------------

    @Test
    void bothPartiesAddEvidenceAndTheDisputeListsIt() throws Exception {
        String id = open(order(), "INVALID_CARD_KEY").text("/id");
        byte[] content = "订单截图".repeat(100).getBytes(StandardCharsets.UTF_8);

        Res added = api.as("buyer1").multipart(DISPUTES + "/" + id + "/evidence",
                evidenceParts("order_screenshot", content, "../../etc/订单 截图.png"));

        assertThat(added.status()).isEqualTo(201);
        String evidenceId = added.text("/id");
        assertThat(added.headers().getLocation()).hasToString(DISPUTES + "/" + id + "/evidence/" + evidenceId);
        assertThat(added.text("/party")).isEqualTo("CUSTOMER");
        assertThat(added.text("/kind")).isEqualTo("ORDER_SCREENSHOT");
        assertThat(added.text("/fileName")).doesNotContain("/").doesNotContain("..").endsWith(".png");
        assertThat(added.at("/sizeBytes").asLong()).isEqualTo(content.length);
        assertThat(added.text("/sha256")).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(content)));

        Res merchant = api.as("merchant1").multipart(DISPUTES + "/" + id + "/evidence",
                evidenceParts("DELIVERY_RECORD", 300));
        assertThat(merchant.status()).isEqualTo(201);
        assertThat(merchant.text("/party")).isEqualTo("MERCHANT");

        // A Content-Type with long parameters is accepted; what is stored is the type the bytes are.
        Res typed = api.as("merchant1").multipart(DISPUTES + "/" + id + "/evidence",
                typedFile("USAGE_LOG", "Image/PNG; name=\"" + "x".repeat(150) + ".png\""));
        assertThat(typed.status()).as("%s", typed).isEqualTo(201);
        assertThat(typed.text("/contentType")).isEqualTo("image/png");

        JsonNode d = dispute(id);
        assertThat(d.at("/evidence")).hasSize(3);
        assertThat(d.at("/evidence/0/id").asText()).isEqualTo(evidenceId);
        assertThat(events(d)).containsSubsequence("EVIDENCE_ADDED", "EVIDENCE_ADDED");
    }

    @Test
    void evidenceErrorsLeaveTheDisputeAsItWas() {
        String id = open(order(), "INVALID_CARD_KEY").text("/id");
        Snapshot before = snapshot(id);
        String path = DISPUTES + "/" + id + "/evidence";

        Res noFile = api.as("buyer1").multipart(path, parts(Map.of("kind", "ORDER_SCREENSHOT")));
        assertProblem(noFile, 400);
        assertThat(errors(noFile)).containsOnlyKeys("file");

        Res emptyFile = api.as("buyer1").multipart(path, evidenceParts("ORDER_SCREENSHOT", new byte[0], "a.png"));
        assertProblem(emptyFile, 400);
        assertThat(errors(emptyFile)).containsOnlyKeys("file");

        Res noKind = api.as("buyer1").multipart(path, fileOnly(100));
        assertProblem(noKind, 400);
        assertThat(errors(noKind)).containsOnlyKeys("kind");

        // Written by hand: Spring's own client would refuse to send a Content-Type that is not a media type.
        String boundary = "evidence-boundary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nORDER_SCREENSHOT\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
                + "Content-Type: image\r\n\r\nPNGDATA\r\n--" + boundary + "--\r\n";
        Res notAType = api.as("buyer1").postRaw(path, MediaType.parseMediaType("multipart/form-data; boundary="
                + boundary), body, Map.of());
        assertProblem(notAType, 400);
        assertThat(errors(notAType)).containsOnlyKeys("file");
        assertThat(errors(notAType).get("file")).contains("'image'");

        Res badKind = api.as("buyer1").multipart(path, evidenceParts("SELFIE", 100));
        assertProblem(badKind, 400);
        assertThat(errors(badKind)).containsOnlyKeys("kind");

        Res staff = api.as("reviewer1").multipart(path, evidenceParts("OTHER", 100));
        assertProblem(staff, 403);

        assertProblem(api.as("buyer2").multipart(path, evidenceParts("OTHER", 100)), 404);
        assertProblem(api.as("merchant2").multipart(path, evidenceParts("OTHER", 100)), 404);
        assertProblem(api.as("buyer1").multipart(DISPUTES + "/DSP-20260101-NOSUCHID/evidence",
                evidenceParts("OTHER", 100)), 404);

        Res tooLarge = api.as("buyer1").multipart(path, evidenceParts("PROBLEM_SCREENSHOT", 100 * 1024));
        assertProblem(tooLarge, 413);

        assertUnchanged(id, before);
    }

    @Test
    void aClosedDisputeOrAFullOneTakesNoMoreEvidence() {
        String closed = api.as("buyer1").post(DISPUTES, openBody(order(), "MISTAKEN_PURCHASE")).text("/id");
        Snapshot closedBefore = snapshot(closed);
        Res late = api.as("buyer1").multipart(DISPUTES + "/" + closed + "/evidence", evidenceParts("OTHER", 100));
        assertProblem(late, 409);
        assertThat(late.text("/detail")).contains("CLOSED");
        assertUnchanged(closed, closedBefore);

        String id = open(order(), "INVALID_CARD_KEY").text("/id");
        for (int i = 0; i < 6; i++) {
            assertThat(api.as("buyer1").multipart(DISPUTES + "/" + id + "/evidence", evidenceParts("OTHER", 10 + i))
                    .status()).isEqualTo(201);
        }
        Snapshot full = snapshot(id);
        Res seventh = api.as("buyer1").multipart(DISPUTES + "/" + id + "/evidence", evidenceParts("OTHER", 99));
        assertProblem(seventh, 409);
        assertThat(seventh.text("/detail")).contains("6");
        assertUnchanged(id, full);
    }

    // ---------------------------------------------------------------------------------------------
    // POST /disputes/{id}/merchant-response
    // ---------------------------------------------------------------------------------------------

    @Test
    void theMerchantAcceptsInFullAndTheRefundStarts() {
        String id = open(order(), "INVALID_CARD_KEY").text("/id");

        Res accepted = api.as("merchant1").post(DISPUTES + "/" + id + "/merchant-response",
                Map.of("decision", "ACCEPT", "message", "抱歉，全额退款"));

        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.text("/status")).isEqualTo("REFUNDING");
        assertThat(accepted.at("/approvedAmountFen").asLong()).isEqualTo(PAID);
        assertThat(accepted.text("/merchantAnswer/decision")).isEqualTo("ACCEPT");
        assertThat(events(accepted.json())).containsSubsequence("MERCHANT_ACCEPT", "REFUND_APPROVED", "REFUND_STARTED");
        assertThat(accepted.at("/refunds/0/amountFen").asLong()).isEqualTo(PAID);
        assertThat(accepted.text("/refunds/0/idempotencyKey")).matches(TestDisputes.refundKeyPattern(id, 1));
    }

    @Test
    void theMerchantOffersAPartialRefund() {
        String id = open(order(), "INVALID_CARD_KEY").text("/id");

        Res offered = api.as("merchant1").post(DISPUTES + "/" + id + "/merchant-response",
                Map.of("decision", "ACCEPT", "refundAmountFen", 1000, "message", "只能退一部分"));

        assertThat(offered.status()).isEqualTo(200);
        assertThat(offered.text("/status")).isEqualTo("AWAITING_OFFER_RESPONSE");
        assertThat(offered.text("/merchantAnswer/decision")).isEqualTo("ACCEPT_PARTIAL");
        assertThat(offered.at("/merchantAnswer/refundAmountFen").asLong()).isEqualTo(1000);
        assertThat(offered.at("/approvedAmountFen").isNull()).isTrue();
        assertThat(offered.at("/deadlines/CUSTOMER_ACTION").isTextual()).isTrue();
    }

    @Test
    void theMerchantSendsAReplacement() {
        String id = open(order(), "INVALID_CARD_KEY").text("/id");

        Res replaced = api.as("merchant1").post(DISPUTES + "/" + id + "/merchant-response",
                Map.of("decision", "REPLACE", "replacementCardKey", "NEW-KEY-123", "message", "已补发"));

        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.text("/status")).isEqualTo("AWAITING_REPLACEMENT_CONFIRMATION");
        assertThat(replaced.text("/merchantAnswer/replacementCardKey")).isEqualTo("NEW-KEY-123");
        assertThat(events(replaced.json())).contains("MERCHANT_REPLACE", "REPLACEMENT_SENT");
    }

    @Test
    void theMerchantRefusesWithAReason() {
        String id = open(order(), "INVALID_CARD_KEY").text("/id");

        Res refused = api.as("merchant1").post(DISPUTES + "/" + id + "/merchant-response",
                Map.of("decision", "REFUSE", "message", "卡密发货时有效"));

        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.text("/status")).isEqualTo("MERCHANT_REFUSED");
        assertThat(refused.text("/merchantAnswer/message")).isEqualTo("卡密发货时有效");
        assertThat(refused.at("/deadlines/MERCHANT_REPLY").isMissingNode()).isTrue();
        assertThat(events(refused.json())).containsSubsequence("MERCHANT_REFUSE", "CUSTOMER_MAY_FILE");
    }

    @Test
    void merchantResponseErrorsLeaveTheDisputeAsItWas() {
        String id = open(order(), "INVALID_CARD_KEY").text("/id");
        Snapshot before = snapshot(id);
        String path = DISPUTES + "/" + id + "/merchant-response";

        Res noDecision = api.as("merchant1").post(path, Map.of("message", "x"));
        assertProblem(noDecision, 400);
        assertThat(errors(noDecision)).containsOnlyKeys("decision");

        Res badDecision = api.as("merchant1").post(path, Map.of("decision", "MAYBE"));
        assertProblem(badDecision, 400);
        assertThat(errors(badDecision)).containsOnlyKeys("decision");

        Res refuseWithoutReason = api.as("merchant1").post(path, Map.of("decision", "REFUSE"));
        assertProblem(refuseWithoutReason, 400);
        assertThat(errors(refuseWithoutReason)).containsOnlyKeys("message");

        Res replaceWithoutKey = api.as("merchant1").post(path, Map.of("decision", "REPLACE", "message", "x"));
        assertProblem(replaceWithoutKey, 400);
        assertThat(errors(replaceWithoutKey)).containsOnlyKeys("replacementCardKey");

        Res overClaim = api.as("merchant1").post(path, Map.of("decision", "ACCEPT", "refundAmountFen", PAID + 1));
        assertProblem(overClaim, 400);
        assertThat(errors(overClaim)).containsOnlyKeys("refundAmountFen");

        Res zero = api.as("merchant1").post(path, Map.of("decision", "ACCEPT", "refundAmountFen", 0));
        assertProblem(zero, 400);
        assertThat(errors(zero)).containsOnlyKeys("refundAmountFen");

        Res unknownField = api.as("merchant1").post(path, Map.of("decision", "ACCEPT", "refund", 1));
        assertProblem(unknownField, 400);
        assertThat(errors(unknownField)).containsOnlyKeys("refund");

        Res customer = api.as("buyer1").post(path, Map.of("decision", "ACCEPT"));
        assertProblem(customer, 403);
        assertThat(customer.text("/detail")).contains("merchant");
        assertProblem(api.as("reviewer1").post(path, Map.of("decision", "ACCEPT")), 403);
        assertProblem(api.as("merchant2").post(path, Map.of("decision", "ACCEPT")), 404);
        assertProblem(api.as("buyer2").post(path, Map.of("decision", "ACCEPT")), 404);

        assertUnchanged(id, before);

        refuse(id);
        Snapshot refused = snapshot(id);
        Res twice = api.as("merchant1").post(path, Map.of("decision", "ACCEPT"));
        assertProblem(twice, 409);
        assertThat(twice.text("/detail")).contains("MERCHANT_REFUSED").contains("AWAITING_MERCHANT");
        assertUnchanged(id, refused);
    }

    // ---------------------------------------------------------------------------------------------
    // POST /disputes/{id}/offer-response
    // ---------------------------------------------------------------------------------------------

    @Test
    void theCustomerAcceptsThePartialOffer() {
        String id = partialOffer(1000);

        Res accepted = api.as("buyer1").post(DISPUTES + "/" + id + "/offer-response", Map.of("accept", true));

        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.text("/status")).isEqualTo("REFUNDING");
        assertThat(accepted.at("/approvedAmountFen").asLong()).isEqualTo(1000);
        assertThat(accepted.at("/refunds/0/amountFen").asLong()).isEqualTo(1000);
        assertThat(events(accepted.json())).containsSubsequence("OFFER_ACCEPTED", "REFUND_APPROVED", "REFUND_STARTED");
    }

    @Test
    void theCustomerDeclinesThePartialOffer() {
        String id = partialOffer(1000);

        Res declined = api.as("buyer1").post(DISPUTES + "/" + id + "/offer-response", Map.of("accept", false));

        assertThat(declined.status()).isEqualTo(200);
        assertThat(declined.text("/status")).isEqualTo("MERCHANT_REFUSED");
        assertThat(declined.at("/approvedAmountFen").isNull()).isTrue();
        assertThat(events(declined.json())).containsSubsequence("OFFER_DECLINED", "CUSTOMER_MAY_FILE");
    }

    @Test
    void offerResponseErrorsLeaveTheDisputeAsItWas() {
        String id = partialOffer(1000);
        Snapshot before = snapshot(id);
        String path = DISPUTES + "/" + id + "/offer-response";

        Res missing = api.as("buyer1").post(path, Map.of());
        assertProblem(missing, 400);
        assertThat(errors(missing)).containsOnlyKeys("accept");
        Res notBoolean = api.as("buyer1").post(path, Map.of("accept", "perhaps"));
        assertProblem(notBoolean, 400);
        assertThat(errors(notBoolean)).containsOnlyKeys("accept");
        assertProblem(api.as("merchant1").post(path, Map.of("accept", true)), 403);
        assertProblem(api.as("buyer2").post(path, Map.of("accept", true)), 404);
        assertUnchanged(id, before);

        String awaitingMerchant = open(order(), "INVALID_CARD_KEY").text("/id");
        Snapshot fresh = snapshot(awaitingMerchant);
        Res tooEarly = api.as("buyer1").post(DISPUTES + "/" + awaitingMerchant + "/offer-response",
                Map.of("accept", true));
        assertProblem(tooEarly, 409);
        assertThat(tooEarly.text("/detail")).contains("AWAITING_MERCHANT").contains("AWAITING_OFFER_RESPONSE");
        assertUnchanged(awaitingMerchant, fresh);
    }

    // ---------------------------------------------------------------------------------------------
    // POST /disputes/{id}/replacement-confirmation
    // ---------------------------------------------------------------------------------------------

    @Test
    void aWorkingReplacementClosesTheDispute() {
        String id = replacementSent();

        Res works = api.as("buyer1").post(DISPUTES + "/" + id + "/replacement-confirmation", Map.of("works", true));

        assertThat(works.status()).isEqualTo(200);
        assertThat(works.text("/status")).isEqualTo("CLOSED");
        assertThat(works.text("/outcome")).isEqualTo("REPLACED");
        assertThat(events(works.json())).containsSubsequence("REPLACEMENT_WORKS", "CLOSED_REPLACED");
    }

    @Test
    void aReplacementThatDoesNotWorkLetsTheCustomerGoOn() {
        String id = replacementSent();

        Res fails = api.as("buyer1").post(DISPUTES + "/" + id + "/replacement-confirmation", Map.of("works", false));

        assertThat(fails.status()).isEqualTo(200);
        assertThat(fails.text("/status")).isEqualTo("MERCHANT_REFUSED");
        assertThat(events(fails.json())).containsSubsequence("REPLACEMENT_FAILED", "CUSTOMER_MAY_FILE");
    }

    @Test
    void replacementConfirmationErrorsLeaveTheDisputeAsItWas() {
        String id = replacementSent();
        Snapshot before = snapshot(id);
        String path = DISPUTES + "/" + id + "/replacement-confirmation";

        Res missing = api.as("buyer1").post(path, Map.of());
        assertProblem(missing, 400);
        assertThat(errors(missing)).containsOnlyKeys("works");
        assertProblem(api.as("merchant1").post(path, Map.of("works", true)), 403);
        assertProblem(api.as("buyer2").post(path, Map.of("works", true)), 404);
        assertUnchanged(id, before);

        String awaitingMerchant = open(order(), "INVALID_CARD_KEY").text("/id");
        Snapshot fresh = snapshot(awaitingMerchant);
        Res tooEarly = api.as("buyer1").post(DISPUTES + "/" + awaitingMerchant + "/replacement-confirmation",
                Map.of("works", true));
        assertProblem(tooEarly, 409);
        assertThat(tooEarly.text("/detail")).contains("AWAITING_REPLACEMENT_CONFIRMATION");
        assertUnchanged(awaitingMerchant, fresh);
    }

    // ---------------------------------------------------------------------------------------------
    // POST /disputes/{id}/formal-request and /escalation
    // ---------------------------------------------------------------------------------------------

    @Test
    void theFormalRequestGoesToReview() {
        String id = refused();
        given.bringRequiredEvidence(id);

        Res filed = api.as("buyer1").post(DISPUTES + "/" + id + "/formal-request", Map.of("statement", "证据齐全"));

        assertThat(filed.status()).isEqualTo(200);
        assertThat(filed.text("/status")).isEqualTo("UNDER_REVIEW");
        assertThat(filed.at("/deadlines/REVIEW").isTextual()).isTrue();
        assertThat(filed.at("/deadlines/REVIEW_ESCALATION").isTextual()).isTrue();
        assertThat(filed.text("/deadlineDetails/REVIEW_ESCALATION/sla")).isEqualTo("3WD");
        // Working days: on the official calendar, or Monday to Friday (with a note) past its last published year
        assertThat(filed.text("/deadlineDetails/REVIEW_ESCALATION/countedOn")).isIn("OFFICIAL_CALENDAR", "MONDAY_TO_FRIDAY");
        assertThat(filed.at("/deadlineDetails/REVIEW_ESCALATION/note").isNull()).isEqualTo(
                filed.text("/deadlineDetails/REVIEW_ESCALATION/countedOn").equals("OFFICIAL_CALENDAR"));
        assertThat(events(filed.json())).containsSubsequence("FORMAL_REQUEST", "EVIDENCE_CHECKED", "UNDER_REVIEW");
        assertThat(tasks.createTaskQuery().processInstanceBusinessKey(id).taskDefinitionKey("reviewRefundRequest")
                .taskCandidateGroup("reviewers").count()).isEqualTo(1);
    }

    @Test
    void aStatementAsLongAsTheLimitAllowsIsRecordedInFullOnTheTimeline() {
        String id = refused();
        given.bringRequiredEvidence(id);
        String statement = "卡".repeat(1990) + "密无效，请退款。";

        Res filed = api.as("buyer1").post(DISPUTES + "/" + id + "/formal-request", Map.of("statement", statement));

        assertThat(filed.status()).as("%s", filed.status()).isEqualTo(200);
        assertThat(filed.at("/timeline").findValuesAsText("message")).anySatisfy(m -> assertThat(m).endsWith(statement));
    }

    @Test
    void formalRequestErrorsLeaveTheDisputeAsItWas() {
        String id = refused();
        Snapshot before = snapshot(id);
        String path = DISPUTES + "/" + id + "/formal-request";

        Res blank = api.as("buyer1").post(path, Map.of("statement", " "));
        assertProblem(blank, 400);
        assertThat(errors(blank)).containsOnlyKeys("statement");
        Res tooLong = api.as("buyer1").post(path, Map.of("statement", "x".repeat(2001)));
        assertProblem(tooLong, 400);
        assertThat(errors(tooLong)).containsOnlyKeys("statement");
        assertProblem(api.as("merchant1").post(path, Map.of("statement", "x")), 403);
        assertProblem(api.as("buyer2").post(path, Map.of("statement", "x")), 404);
        // processes/required-evidence.dmn: an invalid card key needs the screenshot of the error first
        Res withoutEvidence = api.as("buyer1").post(path, Map.of("statement", "x"));
        assertProblem(withoutEvidence, 409);
        assertThat(withoutEvidence.text("/detail")).contains("PROBLEM_SCREENSHOT").contains("/evidence");
        assertUnchanged(id, before);

        String awaitingMerchant = open(order(), "INVALID_CARD_KEY").text("/id");
        Snapshot fresh = snapshot(awaitingMerchant);
        Res tooEarly = api.as("buyer1").post(DISPUTES + "/" + awaitingMerchant + "/formal-request",
                Map.of("statement", "x"));
        assertProblem(tooEarly, 409);
        assertThat(tooEarly.text("/detail")).contains("AWAITING_MERCHANT").contains("MERCHANT_REFUSED");
        assertUnchanged(awaitingMerchant, fresh);
    }

    @Test
    void escalationIsAConflictUntilThreeWorkingDaysOfReviewHavePassed() {
        String id = underReview();
        Snapshot before = snapshot(id);
        String path = DISPUTES + "/" + id + "/escalation";

        Res tooSoon = api.as("buyer1").post(path, Map.of("note", "太慢了"));
        assertProblem(tooSoon, 409);
        assertThat(tooSoon.text("/detail")).contains("3 working days");
        assertUnchanged(id, before);

        JsonNode inReview = dispute(id);
        Instant escalationDue = Instant.parse(inReview.at("/deadlines/REVIEW_ESCALATION").asText());
        Instant reviewStarted = Instant.parse(entry(inReview, "UNDER_REVIEW").get("at").asText());
        assertThat(Duration.between(reviewStarted, escalationDue)).isGreaterThanOrEqualTo(Duration.ofDays(3));

        // a minute before the third working day ends: still too soon
        ClockUtil.setCurrentTime(Date.from(escalationDue.minusSeconds(60)));
        given.runDueJobs(id);
        assertProblem(api.as("buyer1").post(path, Map.of("note", "太慢了")), 409);
        assertUnchanged(id, before);

        ClockUtil.setCurrentTime(Date.from(escalationDue.plusSeconds(60)));
        given.runDueJobs(id);
        assertThat(events(dispute(id))).contains("REVIEW_OVERDUE", "ESCALATION_AVAILABLE");

        Res escalated = api.as("buyer1").post(path, Map.of("note", "太慢了"));

        assertThat(escalated.status()).isEqualTo(200);
        assertThat(escalated.text("/status")).isEqualTo("IN_ARBITRATION");
        assertThat(events(escalated.json())).containsSubsequence("ESCALATED", "INTERVENTION_OPENED");
        assertThat(tasks.createTaskQuery().processInstanceBusinessKey(id).taskDefinitionKey("reviewRefundRequest")
                .count()).isZero();
    }

    @Test
    void escalationErrorsLeaveTheDisputeAsItWas() {
        String id = underReview();
        Snapshot before = snapshot(id);
        String path = DISPUTES + "/" + id + "/escalation";

        Res blank = api.as("buyer1").post(path, Map.of("note", ""));
        assertProblem(blank, 400);
        assertThat(errors(blank)).containsOnlyKeys("note");
        assertProblem(api.as("merchant1").post(path, Map.of("note", "x")), 403);
        assertProblem(api.as("buyer2").post(path, Map.of("note", "x")), 404);
        assertUnchanged(id, before);

        String notInReview = refused();
        Snapshot refusedBefore = snapshot(notInReview);
        Res wrongState = api.as("buyer1").post(DISPUTES + "/" + notInReview + "/escalation", Map.of("note", "x"));
        assertProblem(wrongState, 409);
        assertThat(wrongState.text("/detail")).contains("MERCHANT_REFUSED").contains("UNDER_REVIEW");
        assertUnchanged(notInReview, refusedBefore);
    }

    // ---------------------------------------------------------------------------------------------
    // POST /disputes/{id}/intervention, /merchant-proof, /additional-evidence
    // ---------------------------------------------------------------------------------------------

    @Test
    void theCustomerAsksThePlatformToIntervene() {
        String id = refused();

        Res intervened = api.as("buyer1").post(DISPUTES + "/" + id + "/intervention",
                Map.of("statement", "商家拒绝，请平台介入"));

        assertThat(intervened.status()).isEqualTo(200);
        assertThat(intervened.text("/status")).isEqualTo("IN_ARBITRATION");
        assertThat(intervened.at("/deadlines/MERCHANT_PROOF").isTextual()).isTrue();
        assertThat(events(intervened.json())).containsSubsequence("INTERVENTION_REQUESTED", "INTERVENTION_OPENED");
    }

    @Test
    void theCustomerMayAskForInterventionAfterTheReviewRejectedTheRequest() {
        String id = underReview();
        String task = claimTask("reviewer1", id, "reviewRefundRequest");
        assertThat(completeTask("reviewer1", task, Map.of("reviewDecision", var("REJECT", "String"),
                "reviewNote", var("证据不足", "String"))).status()).isEqualTo(204);
        assertThat(dispute(id).at("/status").asText()).isEqualTo("REVIEW_REJECTED");

        Res intervened = api.as("buyer1").post(DISPUTES + "/" + id + "/intervention", Map.of("statement", "不服驳回"));

        assertThat(intervened.status()).isEqualTo(200);
        assertThat(intervened.text("/status")).isEqualTo("IN_ARBITRATION");
        assertThat(events(intervened.json())).containsSubsequence("REVIEW_REJECTED_BY", "REVIEW_REJECTED",
                "INTERVENTION_REQUESTED", "INTERVENTION_OPENED");
    }

    @Test
    void interventionErrorsLeaveTheDisputeAsItWas() {
        String id = refused();
        Snapshot before = snapshot(id);
        String path = DISPUTES + "/" + id + "/intervention";

        Res blank = api.as("buyer1").post(path, Map.of());
        assertProblem(blank, 400);
        assertThat(errors(blank)).containsOnlyKeys("statement");
        assertProblem(api.as("merchant1").post(path, Map.of("statement", "x")), 403);
        assertProblem(api.as("buyer2").post(path, Map.of("statement", "x")), 404);
        assertUnchanged(id, before);

        String awaitingMerchant = open(order(), "INVALID_CARD_KEY").text("/id");
        Snapshot fresh = snapshot(awaitingMerchant);
        Res tooEarly = api.as("buyer1").post(DISPUTES + "/" + awaitingMerchant + "/intervention",
                Map.of("statement", "x"));
        assertProblem(tooEarly, 409);
        assertThat(tooEarly.text("/detail")).contains("AWAITING_MERCHANT");
        assertUnchanged(awaitingMerchant, fresh);
    }

    @Test
    void theMerchantDeclaresItsProofCompleteAndTheArbiterTakesOver() {
        String id = inArbitration();
        String path = DISPUTES + "/" + id + "/merchant-proof";
        Snapshot before = snapshot(id);

        Res blank = api.as("merchant1").post(path, Map.of("statement", " "));
        assertProblem(blank, 400);
        assertThat(errors(blank)).containsOnlyKeys("statement");
        assertProblem(api.as("buyer1").post(path, Map.of("statement", "x")), 403);
        assertProblem(api.as("merchant2").post(path, Map.of("statement", "x")), 404);
        assertUnchanged(id, before);

        Res proof = api.as("merchant1").post(path, Map.of("statement", "已上传使用记录"));

        assertThat(proof.status()).isEqualTo(200);
        assertThat(proof.text("/status")).isEqualTo("IN_ARBITRATION");
        assertThat(proof.at("/deadlines/MERCHANT_PROOF").isMissingNode()).isTrue();
        assertThat(events(proof.json())).contains("MERCHANT_PROOF_COMPLETE");
        assertThat(tasks.createTaskQuery().processInstanceBusinessKey(id).taskDefinitionKey("arbitrateDispute")
                .count()).isEqualTo(1);

        Snapshot afterProof = snapshot(id);
        Res again = api.as("merchant1").post(path, Map.of("statement", "再说一次"));
        assertProblem(again, 409);
        assertThat(again.text("/detail")).contains("not waiting for the merchant's proof");
        assertUnchanged(id, afterProof);

        String awaitingMerchant = open(order(), "INVALID_CARD_KEY").text("/id");
        Snapshot fresh = snapshot(awaitingMerchant);
        Res wrongState = api.as("merchant1").post(DISPUTES + "/" + awaitingMerchant + "/merchant-proof",
                Map.of("statement", "x"));
        assertProblem(wrongState, 409);
        assertThat(wrongState.text("/detail")).contains("AWAITING_MERCHANT").contains("IN_ARBITRATION");
        assertUnchanged(awaitingMerchant, fresh);
    }

    @Test
    void thePartyTheArbiterAskedBringsAdditionalEvidence() {
        String id = inArbitration();
        api.as("merchant1").post(DISPUTES + "/" + id + "/merchant-proof", Map.of("statement", "举证完毕"));
        String path = DISPUTES + "/" + id + "/additional-evidence";

        Snapshot notAsked = snapshot(id);
        Res unasked = api.as("buyer1").post(path, Map.of("statement", "补充"));
        assertProblem(unasked, 409);
        assertThat(unasked.text("/detail")).contains("has not asked you");
        assertUnchanged(id, notAsked);

        String task = claimTask("arbiter1", id, "arbitrateDispute");
        assertThat(completeTask("arbiter1", task, Map.of("ruling", var("REQUEST_EVIDENCE", "String"),
                "rulingReason", var("请买家提供问题截图", "String"),
                "evidenceFrom", var("CUSTOMER", "String"))).status()).isEqualTo(204);
        JsonNode asked = dispute(id);
        assertThat(events(asked)).contains("RULING_REQUEST_EVIDENCE", "EVIDENCE_REQUESTED");
        assertThat(asked.at("/deadlines/ADDITIONAL_EVIDENCE").isTextual()).isTrue();

        Snapshot before = snapshot(id);
        Res blank = api.as("buyer1").post(path, Map.of("statement", ""));
        assertProblem(blank, 400);
        assertThat(errors(blank)).containsOnlyKeys("statement");
        Res merchant = api.as("merchant1").post(path, Map.of("statement", "x"));
        assertProblem(merchant, 403);
        assertThat(merchant.text("/detail")).contains("asked the customer").contains("not you");
        assertProblem(api.as("arbiter1").post(path, Map.of("statement", "x")), 403);
        assertProblem(api.as("buyer2").post(path, Map.of("statement", "x")), 404);
        assertUnchanged(id, before);

        Res added = api.as("buyer1").post(path, Map.of("statement", "已上传问题截图"));

        assertThat(added.status()).isEqualTo(200);
        assertThat(added.text("/status")).isEqualTo("IN_ARBITRATION");
        assertThat(added.at("/deadlines/ADDITIONAL_EVIDENCE").isMissingNode()).isTrue();
        assertThat(events(added.json())).contains("ADDITIONAL_EVIDENCE");
        assertThat(tasks.createTaskQuery().processInstanceBusinessKey(id).taskDefinitionKey("arbitrateDispute")
                .count()).isEqualTo(1);
    }

    // ---------------------------------------------------------------------------------------------
    // POST /disputes/{id}/withdrawal
    // ---------------------------------------------------------------------------------------------

    @Test
    void theCustomerWithdrawsAndTheOrderMayBeDisputedAgain() {
        String orderId = order();
        String id = open(orderId, "INVALID_CARD_KEY").text("/id");

        Res withdrawn = api.as("buyer1").post(DISPUTES + "/" + id + "/withdrawal", Map.of("note", "已和商家协商"));

        assertThat(withdrawn.status()).isEqualTo(200);
        assertThat(withdrawn.text("/status")).isEqualTo("CLOSED");
        assertThat(withdrawn.text("/outcome")).isEqualTo("WITHDRAWN");
        assertThat(events(withdrawn.json())).containsSubsequence("WITHDRAWAL", "CLOSED_WITHDRAWN");
        assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(id).count()).isZero();
        assertThat(api.as("buyer1").post(DISPUTES, openBody(orderId, "INVALID_CARD_KEY")).status()).isEqualTo(201);
    }

    @Test
    void withdrawalErrorsLeaveTheDisputeAsItWas() {
        String id = open(order(), "INVALID_CARD_KEY").text("/id");
        Snapshot before = snapshot(id);
        String path = DISPUTES + "/" + id + "/withdrawal";

        Res tooLong = api.as("buyer1").post(path, Map.of("note", "x".repeat(2001)));
        assertProblem(tooLong, 400);
        assertThat(errors(tooLong)).containsOnlyKeys("note");
        assertProblem(api.as("merchant1").post(path, Map.of()), 403);
        assertProblem(api.as("buyer2").post(path, Map.of()), 404);
        assertUnchanged(id, before);

        String refunding = api.as("buyer1").post(DISPUTES, openBody(order(), "DUPLICATE_CHARGE")).text("/id");
        Snapshot refundingBefore = snapshot(refunding);
        Res tooLate = api.as("buyer1").post(DISPUTES + "/" + refunding + "/withdrawal", Map.of());
        assertProblem(tooLate, 409);
        assertThat(tooLate.text("/detail")).contains("REFUNDING").contains("before the refund starts");
        assertUnchanged(refunding, refundingBefore);

        String closed = api.as("buyer1").post(DISPUTES, openBody(order(), "MISTAKEN_PURCHASE")).text("/id");
        Snapshot closedBefore = snapshot(closed);
        assertProblem(api.as("buyer1").post(DISPUTES + "/" + closed + "/withdrawal", Map.of()), 409);
        assertUnchanged(closed, closedBefore);
    }

    // ---------------------------------------------------------------------------------------------
    // POST /disputes/{id}/arrival-confirmation
    // ---------------------------------------------------------------------------------------------

    @Test
    void theCustomerReportsTheRefundDidNotArriveAndFinanceIsAsked() {
        String id = awaitingArrival();

        Res disputed = api.as("buyer1").post(DISPUTES + "/" + id + "/arrival-confirmation",
                Map.of("arrived", false, "receivedAmountFen", 0));

        assertThat(disputed.status()).isEqualTo(200);
        assertThat(disputed.text("/status")).isEqualTo("REFUND_EXCEPTION");
        assertThat(disputed.at("/refunds/0/receivedAmountFen").asLong()).isZero();
        assertThat(events(disputed.json())).containsSubsequence("ARRIVAL_DISPUTED", "REFUND_EXCEPTION");
        assertThat(tasks.createTaskQuery().processInstanceBusinessKey(id).taskDefinitionKey("resolveRefundException")
                .taskCandidateGroup("finance").count()).isEqualTo(1);
    }

    @Test
    void arrivalConfirmationErrorsLeaveTheDisputeAsItWas() {
        String id = awaitingArrival();
        Snapshot before = snapshot(id);
        String path = DISPUTES + "/" + id + "/arrival-confirmation";

        Res missing = api.as("buyer1").post(path, Map.of());
        assertProblem(missing, 400);
        assertThat(errors(missing)).containsOnlyKeys("arrived");
        Res negative = api.as("buyer1").post(path, Map.of("arrived", true, "receivedAmountFen", -1));
        assertProblem(negative, 400);
        assertThat(errors(negative)).containsOnlyKeys("receivedAmountFen");
        Res moreThanPaid = api.as("buyer1").post(path, Map.of("arrived", true, "receivedAmountFen", PAID + 1));
        assertProblem(moreThanPaid, 400);
        assertThat(errors(moreThanPaid)).containsOnlyKeys("receivedAmountFen");
        assertProblem(api.as("merchant1").post(path, Map.of("arrived", true)), 403);
        assertProblem(api.as("buyer2").post(path, Map.of("arrived", true)), 404);
        assertUnchanged(id, before);

        String refunding = api.as("buyer1").post(DISPUTES, openBody(order(), "DUPLICATE_CHARGE")).text("/id");
        Snapshot refundingBefore = snapshot(refunding);
        Res tooEarly = api.as("buyer1").post(DISPUTES + "/" + refunding + "/arrival-confirmation",
                Map.of("arrived", true));
        assertProblem(tooEarly, 409);
        assertThat(tooEarly.text("/detail")).contains("REFUNDING").contains("AWAITING_ARRIVAL_CONFIRMATION");
        assertUnchanged(refunding, refundingBefore);
    }

    // ---------------------------------------------------------------------------------------------
    // POST /external-complaints
    // ---------------------------------------------------------------------------------------------

    @Test
    void anExternalComplaintIsLinkedToItsDisputeOnceHoweverOftenItArrives() {
        String orderId = order();
        String id = open(orderId, "INVALID_CARD_KEY").text("/id");
        Map<String, Object> body = complaintBody("WECHAT_PAY", "WX-" + orderId, orderId);

        Res first = api.as("complaints1").post("/api/v1/external-complaints", body);

        assertThat(first.status()).isEqualTo(201);
        String complaintId = first.text("/complaint/id");
        assertThat(first.headers().getLocation()).hasToString("/api/v1/external-complaints/" + complaintId);
        assertThat(first.text("/disputeId")).isEqualTo(id);
        assertThat(first.text("/complaint/channel")).isEqualTo("WECHAT_PAY");
        assertThat(first.text("/complaint/status")).isEqualTo("OPEN");
        assertThat(Duration.between(Instant.parse(first.text("/complaint/receivedAt")),
                Instant.parse(first.text("/complaint/dueAt")))).isEqualTo(Duration.ofHours(24));
        assertThat(first.text("/complaint/dueCountedOn")).as("WeChat Pay's 24 hours are calendar time")
                .isEqualTo("CALENDAR_TIME");
        Snapshot afterFirst = snapshot(id);
        assertThat(afterFirst.dispute().at("/complaints")).hasSize(1);
        assertThat(events(afterFirst.dispute())).contains("EXTERNAL_COMPLAINT");

        Res repeat = api.as("complaints1").post("/api/v1/external-complaints", body);

        assertThat(repeat.status()).isEqualTo(200);
        assertThat(repeat.text("/complaint/id")).isEqualTo(complaintId);
        assertUnchanged(id, afterFirst);

        Res read = api.as("complaints1").get("/api/v1/external-complaints/" + complaintId);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.text("/complaint/externalId")).isEqualTo("WX-" + orderId);
        assertProblem(api.as("complaints1").get("/api/v1/external-complaints/CMP-nope"), 404);
    }

    @Test
    void aComplaintAboutAnUndisputedOrderOpensADisputeForTheBuyer() {
        String orderId = order();

        Res received = api.as("complaints1").post("/api/v1/external-complaints",
                complaintBody("CONSUMER_12315", "12315-" + orderId, orderId));

        assertThat(received.status()).isEqualTo(201);
        String id = received.text("/disputeId");
        JsonNode d = dispute(id);
        assertThat(d.at("/orderId").asText()).isEqualTo(orderId);
        assertThat(d.at("/customerId").asText()).isEqualTo("buyer1");
        assertThat(events(d)).containsSubsequence("OPENED_BY_COMPLAINT", "EXTERNAL_COMPLAINT");
        assertThat(api.as("buyer1").get(DISPUTES + "/" + id).status()).isEqualTo(200);
    }

    @Test
    void externalComplaintErrorsChangeNothing() {
        String orderId = order();
        String id = open(orderId, "INVALID_CARD_KEY").text("/id");
        String externalId = "HM-" + orderId;
        assertThat(api.as("complaints1").post("/api/v1/external-complaints",
                complaintBody("HEIMAO", externalId, orderId)).status()).isEqualTo(201);
        Snapshot before = snapshot(id);
        String path = "/api/v1/external-complaints";

        Res empty = api.as("complaints1").post(path, Map.of());
        assertProblem(empty, 400);
        assertThat(errors(empty)).containsKeys("channel", "externalId", "orderId", "summary");
        Res badChannel = api.as("complaints1").post(path, complaintBody("TWITTER", "T-1", orderId));
        assertProblem(badChannel, 400);
        assertThat(errors(badChannel)).containsOnlyKeys("channel");
        Res unknownOrder = api.as("complaints1").post(path, complaintBody("ALIPAY", "AP-X-" + orderId, "ORD-NOPE"));
        assertProblem(unknownOrder, 400);
        assertThat(errors(unknownOrder)).containsOnlyKeys("orderId");

        assertProblem(api.as("buyer1").post(path, complaintBody("ALIPAY", "AP-B-" + orderId, orderId)), 403);
        assertProblem(api.as("merchant1").post(path, complaintBody("ALIPAY", "AP-M-" + orderId, orderId)), 403);
        assertProblem(api.as("reviewer1").post(path, complaintBody("ALIPAY", "AP-R-" + orderId, orderId)), 403);

        String otherOrder = order();
        Res sameIdOtherOrder = api.as("complaints1").post(path, complaintBody("HEIMAO", externalId, otherOrder));
        assertProblem(sameIdOtherOrder, 409);
        assertThat(sameIdOtherOrder.text("/detail")).contains(externalId).contains(orderId);
        assertThat(disputeIdsOfOrder("buyer1", otherOrder)).isEmpty();

        assertUnchanged(id, before);
    }

    // ---------------------------------------------------------------------------------------------
    // POST /payment-notifications/{gateway}
    // ---------------------------------------------------------------------------------------------

    @Test
    void signedGatewayNotificationsSettleTheRefundOnceAndForgedOnesChangeNothing() {
        String id = api.as("buyer1").post(DISPUTES, openBody(order(), "DUPLICATE_CHARGE")).text("/id");
        given.runDueJobs(id);
        JsonNode requested = dispute(id);
        assertThat(requested.at("/status").asText()).isEqualTo("REFUNDING");
        assertThat(requested.at("/refunds/0/status").asText()).isEqualTo("PROCESSING");
        String key = requested.at("/refunds/0/idempotencyKey").asText();
        String notice = notice(key, "SUCCEEDED", PAID);
        Snapshot before = snapshot(id);
        String path = "/api/v1/payment-notifications/sandbox";

        Res forged = api.anonymous().postRaw(path, MediaType.APPLICATION_JSON, notice,
                Map.of("x-sandbox-signature", hmac("not-the-gateway-secret-at-all", notice)));
        assertProblem(forged, 401);
        Res unsigned = api.anonymous().postRaw(path, MediaType.APPLICATION_JSON, notice, Map.of());
        assertProblem(unsigned, 401);
        Res tampered = api.anonymous().postRaw(path, MediaType.APPLICATION_JSON, notice(key, "SUCCEEDED", 1),
                Map.of("x-sandbox-signature", sandboxGateway.signature(notice)));
        assertProblem(tampered, 401);
        assertUnchanged(id, before);

        String unknownKey = notice("DSP-20260101-NOSUCHID-R1", "SUCCEEDED", PAID);
        assertProblem(api.anonymous().postRaw(path, MediaType.APPLICATION_JSON, unknownKey,
                Map.of("x-sandbox-signature", sandboxGateway.signature(unknownKey))), 404);
        assertProblem(api.anonymous().postRaw("/api/v1/payment-notifications/paypal", MediaType.APPLICATION_JSON,
                notice, Map.of("x-sandbox-signature", sandboxGateway.signature(notice))), 404);
        assertProblem(api.anonymous().postRaw(path, MediaType.APPLICATION_JSON, "", Map.of()), 400);
        String garbage = "{\"idempotencyKey\": \"" + key + "\", \"status\": \"PAID_MAYBE\"}";
        assertProblem(api.anonymous().postRaw(path, MediaType.APPLICATION_JSON, garbage,
                Map.of("x-sandbox-signature", sandboxGateway.signature(garbage))), 400);
        // Signed but incomplete: the gateway's fault, said as such (400 naming the fields), not a forgery.
        Res nothing = api.anonymous().postRaw(path, MediaType.APPLICATION_JSON, "null",
                Map.of("x-sandbox-signature", sandboxGateway.signature("null")));
        assertProblem(nothing, 400);
        assertThat(errors(nothing)).containsOnlyKeys("body");
        Res empty = api.anonymous().postRaw(path, MediaType.APPLICATION_JSON, "{}",
                Map.of("x-sandbox-signature", sandboxGateway.signature("{}")));
        assertProblem(empty, 400);
        assertThat(errors(empty)).containsOnlyKeys("idempotencyKey", "status");
        assertUnchanged(id, before);

        Res genuine = api.anonymous().postRaw(path, MediaType.APPLICATION_JSON, notice,
                Map.of("x-sandbox-signature", sandboxGateway.signature(notice)));

        assertThat(genuine.status()).isEqualTo(200);
        assertThat(genuine.text("/code")).isEqualTo("SUCCESS");
        Snapshot settled = snapshot(id);
        assertThat(settled).isNotEqualTo(before);
        assertThat(settled.dispute().at("/status").asText()).isEqualTo("AWAITING_ARRIVAL_CONFIRMATION");
        assertThat(settled.dispute().at("/refunds/0/status").asText()).isEqualTo("SUCCEEDED");
        assertThat(settled.dispute().at("/refunds/0/settledAmountFen").asLong()).isEqualTo(PAID);
        assertThat(events(settled.dispute())).containsOnlyOnce("REFUND_SUCCEEDED");

        Res duplicate = api.anonymous().postRaw(path, MediaType.APPLICATION_JSON, notice,
                Map.of("x-sandbox-signature", sandboxGateway.signature(notice)));

        assertThat(duplicate.status()).isEqualTo(200);
        assertUnchanged(id, settled);
        // a later, contradicting notice for a settled refund changes nothing either
        String contradicting = notice(key, "FAILED", null);
        assertThat(api.anonymous().postRaw(path, MediaType.APPLICATION_JSON, contradicting,
                Map.of("x-sandbox-signature", sandboxGateway.signature(contradicting))).status()).isEqualTo(200);
        assertUnchanged(id, settled);
    }

    // ---------------------------------------------------------------------------------------------
    // Sandbox: POST /sandbox/orders, PUT /sandbox/orders/{id}/gateway-behaviour, POST /sandbox/gateway/settle
    // ---------------------------------------------------------------------------------------------

    @Test
    void sandboxOrdersAreCreatedAndCanBeDisputed() {
        Res created = api.as("admin").post("/api/v1/sandbox/orders", orderBody("buyer2", "merchant2", 8800,
                yesterday().toString()));

        assertThat(created.status()).isEqualTo(201);
        String orderId = created.text("/orderId");
        assertThat(orderId).startsWith("ORD-");
        assertThat(created.headers().getLocation()).hasToString("/api/v1/sandbox/orders/" + orderId);

        Res opened = api.as("buyer2").post(DISPUTES, openBody(orderId, "NOT_DELIVERED"));
        assertThat(opened.status()).isEqualTo(201);
        assertThat(opened.text("/merchantId")).isEqualTo("merchant2");
        assertThat(opened.at("/paidAmountFen").asLong()).isEqualTo(8800);
        assertThat(opened.text("/paymentChannel")).isEqualTo("ALIPAY");
    }

    @Test
    void sandboxOrdersWithBadFieldsAreRefusedByName() {
        String path = "/api/v1/sandbox/orders";

        Res empty = api.as("admin").post(path, Map.of());
        assertProblem(empty, 400);
        assertThat(errors(empty)).containsKeys("buyerId", "merchantId", "amountFen", "paymentChannel",
                "productCategory");

        Map<String, Object> zero = orderBody("buyer1", "merchant1", 0, null);
        Res zeroAmount = api.as("admin").post(path, zero);
        assertProblem(zeroAmount, 400);
        assertThat(errors(zeroAmount)).containsOnlyKeys("amountFen");

        Map<String, Object> badChannel = orderBody("buyer1", "merchant1", PAID, null);
        badChannel.put("paymentChannel", "PAYPAL");
        Res channel = api.as("admin").post(path, badChannel);
        assertProblem(channel, 400);
        assertThat(errors(channel)).containsOnlyKeys("paymentChannel");

        Map<String, Object> badBehaviour = orderBody("buyer1", "merchant1", PAID, null);
        badBehaviour.put("gatewayBehaviour", "EXPLODE");
        Res behaviour = api.as("admin").post(path, badBehaviour);
        assertProblem(behaviour, 400);
        assertThat(errors(behaviour)).containsOnlyKeys("gatewayBehaviour");

        Res future = api.as("admin").post(path, orderBody("buyer1", "merchant1", PAID,
                Instant.now().plus(1, ChronoUnit.DAYS).toString()));
        assertProblem(future, 400);
        assertThat(errors(future)).containsOnlyKeys("deliveredAt");
    }

    @Test
    void theGatewayBehaviourOfAnOrderDecidesHowItsRefundSettles() {
        String orderId = order();

        Res set = api.as("admin").put("/api/v1/sandbox/orders/" + orderId + "/gateway-behaviour",
                Map.of("behaviour", "FAIL"));

        assertThat(set.status()).isEqualTo(200);
        assertThat(set.text("/orderId")).isEqualTo(orderId);
        assertThat(set.text("/behaviour")).isEqualTo("FAIL");
        String id = api.as("buyer1").post(DISPUTES, openBody(orderId, "DUPLICATE_CHARGE")).text("/id");
        given.runDueJobs(id);
        Res settled = api.as("admin").postEmpty("/api/v1/sandbox/gateway/settle");
        assertThat(settled.status()).isEqualTo(200);
        assertThat(settled.at("/notificationsSent").asInt()).isGreaterThanOrEqualTo(1);
        JsonNode d = dispute(id);
        assertThat(d.at("/status").asText()).isEqualTo("REFUND_EXCEPTION");
        assertThat(d.at("/refunds/0/status").asText()).isEqualTo("FAILED");

        Res unknown = api.as("admin").put("/api/v1/sandbox/orders/ORD-NOPE/gateway-behaviour",
                Map.of("behaviour", "FAIL"));
        assertProblem(unknown, 404);
        Res missing = api.as("admin").put("/api/v1/sandbox/orders/" + orderId + "/gateway-behaviour", Map.of());
        assertProblem(missing, 400);
        assertThat(errors(missing)).containsOnlyKeys("behaviour");
        Res bad = api.as("admin").put("/api/v1/sandbox/orders/" + orderId + "/gateway-behaviour",
                Map.of("behaviour", "EXPLODE"));
        assertProblem(bad, 400);
        assertThat(errors(bad)).containsOnlyKeys("behaviour");
        Res badFlag = api.as("admin").postEmpty("/api/v1/sandbox/gateway/settle?all=perhaps");
        assertProblem(badFlag, 400);
        assertThat(errors(badFlag)).containsOnlyKeys("all");
    }

    // ---------------------------------------------------------------------------------------------
    // The whole path over HTTP
    // ---------------------------------------------------------------------------------------------

    @Test
    void aDisputeWalksAllFiveStepsOverHttp() {
        // step 0: open
        String orderId = order();
        Res opened = api.as("buyer1").post(DISPUTES, Map.of("orderId", orderId, "reason", "INVALID_CARD_KEY",
                "description", "卡密提示已被使用"));
        assertThat(opened.status()).isEqualTo(201);
        String id = opened.text("/id");
        for (String kind : List.of("ORDER_SCREENSHOT", "PAYMENT_RECORD", "PROBLEM_SCREENSHOT", "CHAT_RECORD")) {
            assertThat(api.as("buyer1").multipart(DISPUTES + "/" + id + "/evidence", evidenceParts(kind, 200))
                    .status()).isEqualTo(201);
        }

        // step 1: the merchant refuses
        Res refused = api.as("merchant1").post(DISPUTES + "/" + id + "/merchant-response",
                Map.of("decision", "REFUSE", "message", "卡密发货时有效"));
        assertThat(refused.text("/status")).isEqualTo("MERCHANT_REFUSED");

        // step 2: formal request, reviewed in Tasklist (here: its REST API) by reviewer1
        Res filed = api.as("buyer1").post(DISPUTES + "/" + id + "/formal-request", Map.of("statement", "证据见附件"));
        assertThat(filed.text("/status")).isEqualTo("UNDER_REVIEW");
        String task = claimTask("reviewer1", id, "reviewRefundRequest");
        Snapshot inReview = snapshot(id);

        Res invalid = completeTask("reviewer1", task, Map.of("reviewDecision", var("APPROVE", "String"),
                "approvedAmountFen", var(PAID + 1, "Long"), "reviewNote", var("同意", "String")));
        // refused with the rule's sentence, the task still open (DecisionRefusedAsBadRequest)
        assertThat(invalid.status()).as("invalid completion: %s", invalid).isEqualTo(400);
        assertThat(invalid.text("/message")).contains("approvedAmountFen must be between 1 and the amount paid");
        Res stillOpen = api.as("reviewer1").get("/engine-rest/task/" + task);
        assertThat(stillOpen.status()).isEqualTo(200);
        assertThat(stillOpen.text("/assignee")).isEqualTo("reviewer1");
        assertUnchanged(id, inReview);

        Res completed = completeTask("reviewer1", task, Map.of("reviewDecision", var("APPROVE", "String"),
                "approvedAmountFen", var(PAID, "Long"), "reviewNote", var("证据充分，同意退款", "String")));
        assertThat(completed.status()).isEqualTo(204);
        assertThat(api.as("reviewer1").get("/engine-rest/task/" + task).status()).isEqualTo(404);
        JsonNode approved = dispute(id);
        assertThat(approved.at("/status").asText()).isEqualTo("REFUNDING");
        assertThat(approved.at("/approvedAmountFen").asLong()).isEqualTo(PAID);

        // step 5: the refund job runs, the gateway settles, the buyer confirms the money arrived
        given.runDueJobs(id);
        assertThat(dispute(id).at("/refunds/0/status").asText()).isEqualTo("PROCESSING");
        Res settle = api.as("admin").postEmpty("/api/v1/sandbox/gateway/settle");
        assertThat(settle.status()).isEqualTo(200);
        assertThat(settle.at("/notificationsSent").asInt()).isGreaterThanOrEqualTo(1);
        JsonNode arrived = dispute(id);
        assertThat(arrived.at("/status").asText()).isEqualTo("AWAITING_ARRIVAL_CONFIRMATION");
        assertThat(arrived.at("/refunds/0/settledAmountFen").asLong()).isEqualTo(PAID);

        Res confirmed = api.as("buyer1").post(DISPUTES + "/" + id + "/arrival-confirmation",
                Map.of("arrived", true, "receivedAmountFen", PAID));

        assertThat(confirmed.status()).isEqualTo(200);
        assertThat(confirmed.text("/status")).isEqualTo("CLOSED");
        assertThat(confirmed.text("/outcome")).isEqualTo("REFUNDED");
        assertThat(confirmed.at("/closedAt").isTextual()).isTrue();
        assertThat(confirmed.at("/refunds")).hasSize(1);
        assertThat(confirmed.at("/refunds/0/receivedAmountFen").asLong()).isEqualTo(PAID);
        // merchant1 has no deposit: the fund paid first, and finance's recovery task has its due date
        assertThat(confirmed.at("/deadlines").fieldNames()).toIterable().containsOnly("RECEIVABLE_RECOVERY");
        assertThat(events(confirmed.json())).containsSubsequence(
                "OPENED", "MERCHANT_NOTIFIED",                                      // step 0 and 1
                "EVIDENCE_ADDED", "MERCHANT_REFUSE", "CUSTOMER_MAY_FILE",           // step 1
                "FORMAL_REQUEST", "EVIDENCE_CHECKED", "UNDER_REVIEW",               // step 2
                "REVIEW_APPROVED", "REFUND_APPROVED",                               // review decision
                "REFUND_STARTED", "REFUND_SUCCEEDED",                               // step 5: the refund
                "ARRIVAL_CONFIRMED", "CLOSED_REFUNDED");                            // step 5: arrival
        JsonNode review = entry(confirmed.json(), "REVIEW_APPROVED");
        assertThat(review.get("actor").asText()).isEqualTo("reviewer1");
        assertThat(review.get("message").asText()).contains("证据充分");
        assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(id)
                .processDefinitionKey(cn.kameng.refunddesk.process.ProcessIds.PROCESS_REFUND_DISPUTE).count()).isZero();
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers: making disputes in a given state over HTTP
    // ---------------------------------------------------------------------------------------------

    /** A user of its own (password {@link #PROBE_PASSWORD}) for tests that fail a login on purpose. */
    String newUser(String group) {
        String id = "probe" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        var user = identity.newUser(id);
        user.setPassword(PROBE_PASSWORD);
        identity.saveUser(user);
        identity.createMembership(id, group);
        return id;
    }

    /** A sandbox order of buyer1 at merchant1, 25.00 CNY by Alipay, a card key delivered yesterday. */
    String order() {
        return order("buyer1", "merchant1", PAID, "ALIPAY", "CARD_KEY", yesterday(), null);
    }

    String order(String buyer, String merchant, long amountFen, String channel, String category,
            Instant deliveredAt, String behaviour) {
        Map<String, Object> body = orderBody(buyer, merchant, amountFen, deliveredAt == null ? null : deliveredAt.toString());
        body.put("paymentChannel", channel);
        body.put("productCategory", category);
        if (behaviour != null) {
            body.put("gatewayBehaviour", behaviour);
        }
        Res created = api.as("admin").post("/api/v1/sandbox/orders", body);
        assertThat(created.status()).as("sandbox order: %s", created).isEqualTo(201);
        return created.text("/orderId");
    }

    static Map<String, Object> orderBody(String buyer, String merchant, long amountFen, String deliveredAt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("buyerId", buyer);
        body.put("merchantId", merchant);
        body.put("amountFen", amountFen);
        body.put("paymentChannel", "ALIPAY");
        body.put("productCategory", "CARD_KEY");
        if (deliveredAt != null) {
            body.put("deliveredAt", deliveredAt);
        }
        return body;
    }

    static Instant yesterday() {
        return Instant.now().minus(1, ChronoUnit.DAYS);
    }

    static Map<String, Object> openBody(String orderId, String reason) {
        return Map.of("orderId", orderId, "reason", reason, "description", "测试争议：" + reason);
    }

    Res open(String orderId, String reason) {
        Res created = api.as("buyer1").post(DISPUTES, openBody(orderId, reason));
        assertThat(created.status()).as("open: %s", created).isEqualTo(201);
        return created;
    }

    void refuse(String id) {
        Res refused = api.as("merchant1").post(DISPUTES + "/" + id + "/merchant-response",
                Map.of("decision", "REFUSE", "message", "卡密有效"));
        assertThat(refused.status()).as("refuse: %s", refused).isEqualTo(200);
    }

    String refused() {
        String id = open(order(), "INVALID_CARD_KEY").text("/id");
        refuse(id);
        return id;
    }

    String partialOffer(long fen) {
        String id = open(order(), "INVALID_CARD_KEY").text("/id");
        Res offered = api.as("merchant1").post(DISPUTES + "/" + id + "/merchant-response",
                Map.of("decision", "ACCEPT", "refundAmountFen", fen, "message", "部分退款"));
        assertThat(offered.text("/status")).as("offer: %s", offered).isEqualTo("AWAITING_OFFER_RESPONSE");
        return id;
    }

    String replacementSent() {
        String id = open(order(), "INVALID_CARD_KEY").text("/id");
        Res replaced = api.as("merchant1").post(DISPUTES + "/" + id + "/merchant-response",
                Map.of("decision", "REPLACE", "replacementCardKey", "NEW-KEY", "message", "补发"));
        assertThat(replaced.text("/status")).as("replace: %s", replaced).isEqualTo("AWAITING_REPLACEMENT_CONFIRMATION");
        return id;
    }

    String underReview() {
        String id = refused();
        given.bringRequiredEvidence(id);
        Res filed = api.as("buyer1").post(DISPUTES + "/" + id + "/formal-request", Map.of("statement", "正式申请"));
        assertThat(filed.text("/status")).as("formal request: %s", filed).isEqualTo("UNDER_REVIEW");
        return id;
    }

    String inArbitration() {
        String id = refused();
        Res intervened = api.as("buyer1").post(DISPUTES + "/" + id + "/intervention", Map.of("statement", "请介入"));
        assertThat(intervened.text("/status")).as("intervention: %s", intervened).isEqualTo("IN_ARBITRATION");
        return id;
    }

    /** A platform-fault dispute whose refund the sandbox gateway has settled. */
    String awaitingArrival() {
        String id = api.as("buyer1").post(DISPUTES, openBody(order(), "DUPLICATE_CHARGE")).text("/id");
        given.runDueJobs(id);
        assertThat(api.as("admin").postEmpty("/api/v1/sandbox/gateway/settle").status()).isEqualTo(200);
        assertThat(dispute(id).at("/status").asText()).isEqualTo("AWAITING_ARRIVAL_CONFIRMATION");
        return id;
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers: Tasklist over /engine-rest
    // ---------------------------------------------------------------------------------------------

    String claimTask(String user, String disputeId, String taskKey) {
        Res found = api.as(user).get("/engine-rest/task?processInstanceBusinessKey=" + disputeId
                + "&taskDefinitionKey=" + taskKey);
        assertThat(found.status()).as("task query: %s", found).isEqualTo(200);
        assertThat(found.json()).as("tasks %s of %s visible to %s", taskKey, disputeId, user).hasSize(1);
        String taskId = found.at("/0/id").asText();
        Res claimed = api.as(user).post("/engine-rest/task/" + taskId + "/claim", Map.of("userId", user));
        assertThat(claimed.status()).as("claim: %s", claimed).isEqualTo(204);
        return taskId;
    }

    Res completeTask(String user, String taskId, Map<String, Object> variables) {
        return api.as(user).post("/engine-rest/task/" + taskId + "/complete", Map.of("variables", variables));
    }

    static Map<String, Object> var(Object value, String type) {
        return Map.of("value", value, "type", type);
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers: reading and comparing
    // ---------------------------------------------------------------------------------------------

    /** The dispute as staff see it through the API. */
    JsonNode dispute(String id) {
        Res read = api.as("admin").get(DISPUTES + "/" + id);
        assertThat(read.status()).as("read %s: %s", id, read).isEqualTo(200);
        return read.json();
    }

    /** All a dispute is: its API view, its notifications, and what its processes wait for. */
    record Snapshot(JsonNode dispute, long notifications, List<String> process) {
    }

    Snapshot snapshot(String id) {
        long notifications = jdbc.sql("select count(*) from notification_outbox where dispute_id = ?").param(id)
                .query(Long.class).single();
        List<String> process = new ArrayList<>();
        runtime.createProcessInstanceQuery().processInstanceBusinessKey(id).list().forEach(pi -> {
            runtime.getActiveActivityIds(pi.getId()).stream().sorted().forEach(a -> process.add("activity " + a));
            runtime.createEventSubscriptionQuery().processInstanceId(pi.getId()).list().stream()
                    .map(s -> s.getEventType() + " " + s.getEventName()).sorted().forEach(process::add);
            tasks.createTaskQuery().processInstanceId(pi.getId()).list().stream()
                    .map(t -> "task " + t.getTaskDefinitionKey() + " " + t.getAssignee()).sorted()
                    .forEach(process::add);
        });
        return new Snapshot(dispute(id), notifications, process);
    }

    void assertUnchanged(String id, Snapshot before) {
        Snapshot now = snapshot(id);
        assertThat(now.dispute()).as("dispute %s after an error", id).isEqualTo(before.dispute());
        assertThat(now.notifications()).as("notifications of %s after an error", id).isEqualTo(before.notifications());
        assertThat(now.process()).as("process state of %s after an error", id).isEqualTo(before.process());
    }

    static void assertProblem(Res answer, int status) {
        assertThat(answer.status()).as("status of %s", answer).isEqualTo(status);
        assertThat(answer.contentType()).as("content type of %s", answer).isNotNull();
        assertThat(answer.contentType().isCompatibleWith(PROBLEM)).as("content type of %s", answer).isTrue();
        assertThat(answer.at("/status").asInt()).as("problem status of %s", answer).isEqualTo(status);
        assertThat(answer.text("/detail")).as("problem detail of %s", answer).isNotBlank();
    }

    static Map<String, String> errors(Res answer) {
        JsonNode errors = answer.at("/errors");
        assertThat(errors.isObject()).as("errors map in %s", answer).isTrue();
        Map<String, String> result = new LinkedHashMap<>();
        errors.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().asText()));
        assertThat(result.values()).allSatisfy(message -> assertThat(message).isNotBlank());
        return result;
    }

    static List<String> events(JsonNode dispute) {
        return StreamSupport.stream(dispute.get("timeline").spliterator(), false).map(e -> e.get("event").asText())
                .toList();
    }

    static JsonNode entry(JsonNode dispute, String event) {
        return StreamSupport.stream(dispute.get("timeline").spliterator(), false)
                .filter(e -> e.get("event").asText().equals(event)).findFirst().orElseThrow();
    }

    static JsonNode find(JsonNode list, String id) {
        return StreamSupport.stream(list.spliterator(), false).filter(d -> d.get("id").asText().equals(id))
                .findFirst().orElseThrow(() -> new AssertionError(id + " is not in " + list));
    }

    List<String> listIds(String user, String query) {
        Res list = api.as(user).get(DISPUTES + "?size=100" + (query.isEmpty() ? "" : "&" + query));
        assertThat(list.status()).as("list as %s: %s", user, list).isEqualTo(200);
        return StreamSupport.stream(list.json().spliterator(), false).map(d -> d.get("id").asText()).toList();
    }

    List<String> disputeIdsOfOrder(String user, String orderId) {
        Res list = api.as(user).get(DISPUTES + "?size=100");
        assertThat(list.status()).isEqualTo(200);
        return StreamSupport.stream(list.json().spliterator(), false)
                .filter(d -> d.get("orderId").asText().equals(orderId)).map(d -> d.get("id").asText()).toList();
    }

    static Map<String, Object> complaintBody(String channel, String externalId, String orderId) {
        return Map.of("channel", channel, "externalId", externalId, "orderId", orderId, "summary", "消费者投诉：卡密无效");
    }

    static MultiValueMap<String, Object> evidenceParts(String kind, int size) {
        byte[] content = new byte[size];
        java.util.Arrays.fill(content, (byte) ('a' + size % 26));
        return evidenceParts(kind, content, "evidence-" + size + ".png");
    }

    static MultiValueMap<String, Object> evidenceParts(String kind, byte[] content, String fileName) {
        MultiValueMap<String, Object> parts = fileOnly(content, fileName);
        parts.add("kind", kind);
        return parts;
    }

    /** A file part whose Content-Type header the client chose. */
    static MultiValueMap<String, Object> typedFile(String kind, String contentType) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.CONTENT_TYPE, contentType);
        MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("file", new HttpEntity<>(fileOnly(cn.kameng.refunddesk.support.EvidenceFiles.png(), "evidence.png")
                .getFirst("file"), headers));
        parts.add("kind", kind);
        return parts;
    }

    static MultiValueMap<String, Object> fileOnly(int size) {
        return fileOnly(new byte[size], "evidence.png");
    }

    static MultiValueMap<String, Object> fileOnly(byte[] content, String fileName) {
        MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("file", new ByteArrayResource(content) {
            @Override
            public String getFilename() {
                return fileName;
            }
        });
        return parts;
    }

    static MultiValueMap<String, Object> parts(Map<String, String> fields) {
        MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        fields.forEach(parts::add);
        return parts;
    }

    /** A notification body as the sandbox gateway writes it. */
    static String notice(String key, String status, Number settledAmountFen) {
        return "{\"idempotencyKey\":\"" + key + "\",\"status\":\"" + status + "\",\"settledAmountFen\":"
                + settledAmountFen + ",\"reference\":\"SBX-" + key + "\",\"failureReason\":null}";
    }

    static String hmac(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
