package cn.kameng.refunddesk.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.core.instrument.MeterRegistry;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import cn.kameng.refunddesk.dispute.Caller;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.process.DecisionTables;
import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;

/**
 * Abuse that is seen (docs/adr/0067-abuse-flags.md): processes/abuse-flags.dmn flags a dispute for the reviewer
 * (a customer who disputes often, or claims back much of what they bought) and for the arbiters and operations
 * (a card key several buyers disputed, a merchant whose dispute rate crosses the threshold). Staff read the flags on
 * their forms and in the API; the parties never do; and a flagged dispute goes exactly the way an unflagged one
 * does. Every scenario uses customers and merchants of its own, so that the counts are its own.
 */
@DisputeServiceTest
class AbuseFlagsTest {

    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired AbuseFlags flags;
    @Autowired DecisionTables tables;
    @Autowired JdbcClient jdbc;
    @Autowired RepositoryService repository;
    @Autowired HistoryService history;
    @Autowired MeterRegistry meters;
    @Autowired Environment environment;

    @BeforeEach
    void now() {
        ClockUtil.setCurrentTime(new Date());
    }

    @AfterEach
    void resetClock() {
        ClockUtil.reset();
    }

    // ------------------------------------------------------------------ the table and its thresholds

    @Test
    void eachRuleOfTheTableFlagsAtItsThresholdAndNotJustBelowIt() {
        assertThat(flagsFor(Map.of("customerDisputes", 2L))).isEmpty();
        assertThat(flagsFor(Map.of("customerDisputes", 3L))).containsExactly("FREQUENT_DISPUTER");

        assertThat(flagsFor(Map.of("claimShare", 0.49, "customerClaimedFen", 50_000L))).isEmpty();
        assertThat(flagsFor(Map.of("claimShare", 0.5, "customerClaimedFen", 49_999L))).isEmpty();
        assertThat(flagsFor(Map.of("claimShare", 0.5, "customerClaimedFen", 50_000L)))
                .containsExactly("CLAIMS_EXCEED_PURCHASES");

        assertThat(flagsFor(Map.of("cardKeyCustomers", 1L))).isEmpty();
        assertThat(flagsFor(Map.of("cardKeyCustomers", 2L))).containsExactly("SHARED_CARD_KEY");

        assertThat(flagsFor(Map.of("merchantOrders", 20L, "merchantDisputeRate", 0.0499))).isEmpty();
        assertThat(flagsFor(Map.of("merchantOrders", 19L, "merchantDisputeRate", 0.5))).isEmpty();
        assertThat(flagsFor(Map.of("merchantOrders", 20L, "merchantDisputeRate", 0.05)))
                .containsExactly("MERCHANT_DISPUTE_RATE");

        // every rule that matches applies, each with whom it is for and a sentence for staff
        var all = tables.collect(ProcessIds.DECISION_ABUSE_FLAGS, input(Map.of("customerDisputes", 9L,
                "cardKeyCustomers", 5L)));
        assertThat(all).extracting(r -> r.get("flag") + "/" + r.get("audience"))
                .containsExactly("FREQUENT_DISPUTER/REVIEWER", "SHARED_CARD_KEY/ARBITER");
        assertThat(all).allSatisfy(r -> assertThat((String) r.get("sentence")).contains("仅供参考"));
    }

    @Test
    void whatTheRecordsCannotSayMatchesNoThreshold() {
        Map<String, Object> unknown = input(Map.of("customerClaimedFen", 1_000_000L, "merchantOrders", 1_000L));
        unknown.put("claimShare", null);
        unknown.put("merchantDisputeRate", null);
        assertThat(tables.collect(ProcessIds.DECISION_ABUSE_FLAGS, unknown)).isEmpty();
    }

    @Test
    void aThresholdAProcessOwnerChangesInTheTableIsTheOneThatCounts() throws IOException {
        assertThat(flagsFor(Map.of("customerDisputes", 2L))).isEmpty();
        String edited = Files.readString(Path.of("processes/abuse-flags.dmn"), StandardCharsets.UTF_8).replace(
                "<inputEntry id=\"rule_frequentDisputer_customerDisputes\"><text>>= 3</text>",
                "<inputEntry id=\"rule_frequentDisputer_customerDisputes\"><text>>= 2</text>");
        assertThat(edited).contains("<text>>= 2</text>");
        String deployment = repository.createDeployment().name("abuse-flags, threshold lowered")
                .addString("abuse-flags.dmn", edited).deploy().getId();
        try {
            assertThat(flagsFor(Map.of("customerDisputes", 2L))).containsExactly("FREQUENT_DISPUTER");
        } finally {
            repository.deleteDeployment(deployment, true);
        }
        assertThat(flagsFor(Map.of("customerDisputes", 2L))).isEmpty();
    }

    // ------------------------------------------------------------------ the facts, counted from the records

    @Test
    void theThirdDisputeOfACustomerWithinThirtyDaysIsFlaggedForTheReviewerAndAnOlderOneDoesNotCount() {
        String buyer = someone("buyer");
        String merchant = someone("merchant");
        Dispute first = open(buyer, order(buyer, merchant, 2_500, null));
        given.moveClock(Duration.ofDays(30).plusMinutes(1)); // the first falls out of the 30 days
        Dispute second = open(buyer, order(buyer, merchant, 2_500, null));
        Dispute third = open(buyer, order(buyer, merchant, 2_500, null));
        assertThat(flags.of(first.id())).isEmpty();
        assertThat(flags.of(second.id())).isEmpty();
        assertThat(flags.of(third.id())).as("two disputes within 30 days").isEmpty();

        double before = counted(AbuseFlag.FREQUENT_DISPUTER);
        Dispute fourth = open(buyer, order(buyer, merchant, 2_500, null));

        assertThat(flags.of(fourth.id())).singleElement().satisfies(f -> {
            assertThat(f.flag()).isEqualTo(AbuseFlag.FREQUENT_DISPUTER);
            assertThat(f.audience()).isEqualTo(Audience.REVIEWER);
            assertThat(f.stage()).isEqualTo(Stage.OPENED);
            assertThat(f.facts()).isEqualTo("30 天内发起争议 3 起（含本案）");
            assertThat(f.sentence()).contains("争议较多");
            assertThat(f.customerId()).isEqualTo(buyer);
        });
        assertThat(counted(AbuseFlag.FREQUENT_DISPUTER) - before).isEqualTo(1.0);

        // evaluated again, the dispute keeps one flag of each kind, and the counter does not move
        flags.evaluateAtArbitration(given.get(fourth.id()));
        assertThat(flags.of(fourth.id())).hasSize(1);
        assertThat(counted(AbuseFlag.FREQUENT_DISPUTER) - before).isEqualTo(1.0);
    }

    @Test
    void aCustomerWhoClaimsBackHalfOfWhatTheyBoughtIsFlaggedAndOneWhoClaimsLessIsNot() {
        String merchant = someone("merchant");
        String half = someone("buyer");
        order(half, merchant, 60_000, null); // bought, not disputed
        Dispute halfClaimed = open(half, order(half, merchant, 60_000, null));
        String less = someone("buyer");
        order(less, merchant, 60_001, null);
        Dispute lessClaimed = open(less, order(less, merchant, 60_000, null));

        assertThat(flags.of(halfClaimed.id())).singleElement().satisfies(f -> {
            assertThat(f.flag()).isEqualTo(AbuseFlag.CLAIMS_EXCEED_PURCHASES);
            assertThat(f.audience()).isEqualTo(Audience.REVIEWER);
            assertThat(f.facts()).isEqualTo("90 天内申请退款 ¥600.00，同期购买 ¥1,200.00（50.0%）");
        });
        assertThat(flags.of(lessClaimed.id())).isEmpty();
    }

    @Test
    void aCardKeyTwoBuyersDisputeIsFlaggedForTheArbitersAndTheFirstDisputeGetsItWhenItGoesToArbitration() {
        String merchant = someone("merchant");
        String key = "KEY-" + UUID.randomUUID();
        String first = someone("buyer");
        Dispute one = open(first, order(first, merchant, 2_500, key));
        assertThat(flags.of(one.id())).as("one buyer of the key").isEmpty();

        String second = someone("buyer");
        Dispute two = open(second, order(second, merchant, 2_500, " " + key.toLowerCase() + " "));
        assertThat(flags.of(two.id())).singleElement().satisfies(f -> {
            assertThat(f.flag()).isEqualTo(AbuseFlag.SHARED_CARD_KEY);
            assertThat(f.audience()).isEqualTo(Audience.ARBITER);
            assertThat(f.facts()).isEqualTo("180 天内有 2 位买家就同一卡密发起争议");
        });

        // the first dispute goes to arbitration: counted again, it is flagged too
        assertThat(flags.of(one.id())).isEmpty();
        toArbitration(one, merchant);
        assertThat(flags.of(one.id())).singleElement().satisfies(f -> {
            assertThat(f.flag()).isEqualTo(AbuseFlag.SHARED_CARD_KEY);
            assertThat(f.stage()).isEqualTo(Stage.ARBITRATION);
        });
        // the key is kept as its digest, never as itself
        assertThat(jdbc.sql("select key_sha256 from dispute_card_key where dispute_id = ?").param(one.id())
                .query(String.class).list()).singleElement().asString().hasSize(64).doesNotContain(key);
    }

    @Test
    void theKeyACustomerReportsWithTheFormalRequestCountsLikeTheKeyTheOrderDelivered() {
        String merchant = someone("merchant");
        String key = "KEY-" + UUID.randomUUID();
        String first = someone("buyer");
        open(first, order(first, merchant, 2_500, key));
        String second = someone("buyer");
        Dispute reporting = open(second, order(second, merchant, 2_500, "KEY-" + UUID.randomUUID()));
        assertThat(flags.of(reporting.id())).isEmpty();

        refuse(reporting, merchant);
        given.bringRequiredEvidence(reporting.id());
        disputes.formalRequest(customer(second), reporting.id(), "卡密无效", key);
        given.completeAs("reviewer1", given.task(reporting.id(), ProcessIds.Task.REVIEW_REFUND_REQUEST), Map.of(
                ProcessIds.Var.REVIEW_DECISION, "REJECT", ProcessIds.Var.REVIEW_NOTE, "需平台仲裁"));
        disputes.intervention(customer(second), reporting.id(), "不服驳回");

        assertThat(flags.of(reporting.id())).extracting(RaisedFlag::flag).containsExactly(AbuseFlag.SHARED_CARD_KEY);
    }

    @Test
    void aMerchantWithOneDisputeInTwentyOrdersIsFlaggedAndOneWithOneInTwentyOneIsNot() {
        String atRate = someone("merchant");
        String belowRate = someone("merchant");
        String buyer = someone("buyer");
        for (int i = 0; i < 19; i++) {
            order(buyer, atRate, 1_000, null);
            order(buyer, belowRate, 1_000, null);
        }
        order(buyer, belowRate, 1_000, null);
        Dispute flagged = open(buyer, order(buyer, atRate, 1_000, null));
        String another = someone("buyer");
        Dispute quiet = open(another, order(another, belowRate, 1_000, null));

        assertThat(flags.of(flagged.id())).singleElement().satisfies(f -> {
            assertThat(f.flag()).isEqualTo(AbuseFlag.MERCHANT_DISPUTE_RATE);
            assertThat(f.audience()).isEqualTo(Audience.ARBITER);
            assertThat(f.facts()).isEqualTo("30 天内争议 1 起 / 订单 20 笔（5.0%）");
            assertThat(f.merchantId()).isEqualTo(atRate);
        });
        assertThat(flags.of(quiet.id())).isEmpty();
    }

    // ------------------------------------------------------------------ shown to staff, never deciding

    @Test
    void aFlaggedDisputeGoesExactlyTheWayAnUnflaggedOneDoesAndStaffReadTheFlagsOnTheirForms() {
        String merchant = someone("merchant");
        String key = "KEY-" + UUID.randomUUID();
        String often = someone("buyer");
        open(often, order(often, merchant, 2_500, null));
        open(often, order(often, merchant, 2_500, null));
        String other = someone("buyer");
        open(other, order(other, merchant, 2_500, key));
        Dispute flagged = open(often, order(often, merchant, 2_500, key));
        String once = someone("buyer");
        Dispute plain = open(once, order(once, merchant, 2_500, null));
        assertThat(flags.of(flagged.id())).extracting(RaisedFlag::flag)
                .containsExactly(AbuseFlag.FREQUENT_DISPUTER, AbuseFlag.SHARED_CARD_KEY);
        assertThat(flags.of(plain.id())).isEmpty();

        for (Dispute d : List.of(flagged, plain)) {
            refuse(d, merchant);
            given.bringRequiredEvidence(d.id());
            disputes.formalRequest(customer(d.customerId()), d.id(), "卡密无效");
        }
        // the reviewer reads the reviewer's flag, not the arbiters'
        String review = (String) given.formFacts("reviewer1",
                given.task(flagged.id(), ProcessIds.Task.REVIEW_REFUND_REQUEST).getId()).get("abuseFlagsText");
        assertThat(review).contains("频繁发起争议", "30 天内发起争议 3 起").doesNotContain("同一卡密");
        assertThat(given.formFacts("reviewer1", given.task(plain.id(), ProcessIds.Task.REVIEW_REFUND_REQUEST).getId()))
                .containsEntry("abuseFlagsText", "无");

        for (Dispute d : List.of(flagged, plain)) {
            given.completeAs("reviewer1", given.task(d.id(), ProcessIds.Task.REVIEW_REFUND_REQUEST), Map.of(
                    ProcessIds.Var.REVIEW_DECISION, "REJECT", ProcessIds.Var.REVIEW_NOTE, "需平台仲裁"));
            disputes.intervention(customer(d.customerId()), d.id(), "不服驳回");
            given.addEvidence(d.id(), merchant, "MERCHANT", "USAGE_LOG");
            disputes.merchantProof(merchantCaller(merchant), d.id(), "使用记录已上传");
        }
        // the arbiter reads both
        String arbitration = (String) given.formFacts("arbiter1",
                given.task(flagged.id(), ProcessIds.Task.ARBITRATE_DISPUTE).getId()).get("abuseFlagsText");
        assertThat(arbitration).contains("频繁发起争议", "同一卡密多位买家报告", "仅供参考");

        for (Dispute d : List.of(flagged, plain)) {
            given.completeAs("arbiter1", given.task(d.id(), ProcessIds.Task.ARBITRATE_DISPUTE), Map.of(
                    ProcessIds.Var.RULING, "REFUND_FULL", ProcessIds.Var.RULING_REASON, "商家证据不足，全额退款"));
            given.runDueJobs(d.id());
        }
        given.settleRefunds();
        for (Dispute d : List.of(flagged, plain)) {
            disputes.arrivalConfirmation(customer(d.customerId()), d.id(), true, null);
        }

        assertThat(path(flagged)).isNotEmpty().isEqualTo(path(plain));
        assertThat(given.get(flagged.id()).status()).isEqualTo(given.get(plain.id()).status());
        assertThat(given.get(flagged.id()).outcome()).isNotNull().isEqualTo(given.get(plain.id()).outcome());
        assertThat(given.get(flagged.id()).approvedAmountFen()).isEqualTo(given.get(plain.id()).approvedAmountFen());
        assertThat(variableNames(flagged)).isEqualTo(variableNames(plain)).noneMatch(n -> n.toLowerCase().contains("abuse"));
    }

    @Test
    void staffSeeTheFlagsOfADisputeAndTheCustomerAndMerchantItConcernsDoNot() {
        String key = "KEY-" + UUID.randomUUID();
        String other = someone("buyer");
        open(other, order(other, someone("merchant"), 2_500, key));
        Dispute d = disputes.open(TestDisputes.BUYER1, new DisputeService.OpenRequest(order("buyer1", "merchant1",
                2_500, key), Reason.INVALID_CARD_KEY, "卡密无效", null), null).dispute();
        try {
            assertThat(flags.of(d.id())).extracting(RaisedFlag::flag).contains(AbuseFlag.SHARED_CARD_KEY);

            for (String staff : List.of("reviewer1", "arbiter1", "ops1")) {
                JsonNode view = get(staff, "/api/v1/disputes/" + d.id()).getBody();
                assertThat(view.get("abuseFlags")).as(staff).isNotNull();
                assertThat(view.get("abuseFlags").findValuesAsText("flag")).as(staff).contains("SHARED_CARD_KEY");
            }
            for (String party : List.of("buyer1", "merchant1")) {
                ResponseEntity<JsonNode> view = get(party, "/api/v1/disputes/" + d.id());
                assertThat(view.getStatusCode().value()).isEqualTo(200);
                assertThat(view.getBody().has("abuseFlags")).as(party).isFalse();
                assertThat(view.getBody().toString()).as(party).doesNotContain("SHARED_CARD_KEY", "同一卡密");
            }

            // the dossier's summary: the flags in staff's copy, not in a party's
            assertThat(dossierSummary("arbiter1", d.id())).contains("风险提示 Abuse flags", "SHARED_CARD_KEY");
            for (String party : List.of("buyer1", "merchant1")) {
                assertThat(dossierSummary(party, d.id())).as(party).contains(d.id())
                        .doesNotContain("风险提示", "SHARED_CARD_KEY");
            }

            // the operations list, newest first, paged
            ResponseEntity<JsonNode> list = get("ops1", "/api/v1/abuse-flags?since="
                    + ClockUtil.getCurrentTime().toInstant().minusSeconds(60) + "&size=100");
            assertThat(list.getStatusCode().value()).isEqualTo(200);
            assertThat(list.getBody().get("flags").findValuesAsText("disputeId")).contains(d.id());
            assertThat(list.getBody().get("size").asInt()).isEqualTo(100);
            assertThat(get("ops1", "/api/v1/abuse-flags?since=" + ClockUtil.getCurrentTime().toInstant()
                    .plusSeconds(60)).getBody().get("total").asLong()).isZero();
            ResponseEntity<JsonNode> onePage = get("admin", "/api/v1/abuse-flags?size=1&page=0");
            assertThat(onePage.getBody().get("flags")).hasSize(1);
            assertThat(onePage.getBody().get("total").asLong()).isPositive();

            for (String notOperations : List.of("buyer1", "merchant1", "reviewer1")) {
                ResponseEntity<JsonNode> refused = get(notOperations, "/api/v1/abuse-flags");
                assertThat(refused.getStatusCode().value()).as(notOperations).isEqualTo(403);
                assertThat(refused.getBody().get("detail").asText()).contains("operations");
            }
            ResponseEntity<JsonNode> wrong = get("ops1", "/api/v1/abuse-flags?since=yesterday");
            assertThat(wrong.getStatusCode().value()).isEqualTo(400);
            assertThat(wrong.getBody().toString()).contains("since", "ISO-8601");
            assertThat(get("ops1", "/api/v1/abuse-flags?size=0").getStatusCode().value()).isEqualTo(400);
        } finally {
            disputes.withdrawal(TestDisputes.BUYER1, d.id(), "测试结束"); // releases merchant1's hold
        }
    }

    // ------------------------------------------------------------------ helpers

    private List<String> flagsFor(Map<String, Object> facts) {
        return tables.collect(ProcessIds.DECISION_ABUSE_FLAGS, input(facts)).stream()
                .map(r -> (String) r.get("flag")).toList();
    }

    /** Quiet facts (nothing flagged), with {@code facts} in their place. */
    private static Map<String, Object> input(Map<String, Object> facts) {
        Map<String, Object> input = new HashMap<>(Map.of("customerDisputes", 1L, "customerClaimedFen", 1_000L,
                "claimShare", 0.1, "cardKeyCustomers", 1L, "merchantOrders", 100L, "merchantDisputeRate", 0.01));
        input.putAll(facts);
        return input;
    }

    private static String someone(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Caller customer(String id) {
        return new Caller(id, Set.of(Caller.CUSTOMERS));
    }

    private static Caller merchantCaller(String id) {
        return new Caller(id, Set.of(Caller.MERCHANTS));
    }

    /** A delivered Alipay card-key order made now (null key: a unique one). */
    private String order(String buyer, String merchant, long amountFen, String cardKey) {
        String id = "ORD-A-" + UUID.randomUUID().toString().substring(0, 12);
        var now = ClockUtil.getCurrentTime().toInstant();
        jdbc.sql("""
                insert into sandbox_order (order_id, buyer_id, merchant_id, amount_fen, payment_channel, product_category,
                  delivered_at, delivered_card_key, gateway_behaviour, created_at)
                values (?, ?, ?, ?, 'ALIPAY', 'CARD_KEY', ?, ?, 'SUCCEED', ?)""")
                .params(id, buyer, merchant, amountFen, Timestamp.from(now.minus(1, ChronoUnit.DAYS)),
                        cardKey == null ? "KEY-" + id : cardKey, Timestamp.from(now))
                .update();
        return id;
    }

    private Dispute open(String buyer, String orderId) {
        return disputes.open(customer(buyer), new DisputeService.OpenRequest(orderId, Reason.INVALID_CARD_KEY,
                "卡密无效", null), null).dispute();
    }

    private void refuse(Dispute d, String merchant) {
        disputes.merchantResponse(merchantCaller(merchant), d.id(), new MerchantAnswer(MerchantDecision.REFUSE, null,
                "卡密已被使用", null));
    }

    private void toArbitration(Dispute d, String merchant) {
        refuse(d, merchant);
        disputes.intervention(customer(d.customerId()), d.id(), "商家拒绝，申请平台介入");
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.IN_ARBITRATION);
    }

    private double counted(AbuseFlag flag) {
        var counter = meters.find("kameng.abuse.flags").tag("flag", flag.name()).counter();
        return counter == null ? 0 : counter.count();
    }

    /** The activities the dispute's process passed, in order. */
    private List<String> path(Dispute d) {
        return history.createHistoricActivityInstanceQuery().processInstanceId(given.lastInstanceId(d.id()))
                .orderPartiallyByOccurrence().asc().list().stream().map(HistoricActivityInstance::getActivityId)
                .toList();
    }

    private List<String> variableNames(Dispute d) {
        return history.createHistoricVariableInstanceQuery().processInstanceId(given.lastInstanceId(d.id())).list()
                .stream().map(v -> v.getName()).sorted().toList();
    }

    /** summary.txt of the dispute's dossier ZIP as {@code user} downloads it. */
    private String dossierSummary(String user, String disputeId) {
        var http = RestClient.builder().baseUrl("http://localhost:" + environment.getProperty("local.server.port"))
                .build();
        byte[] zip = http.get().uri("/api/v1/disputes/{id}/dossier", disputeId)
                .headers(h -> h.setBasicAuth(user, "demo")).retrieve().body(byte[].class);
        try (var entries = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip),
                StandardCharsets.UTF_8)) {
            for (var e = entries.getNextEntry(); e != null; e = entries.getNextEntry()) {
                if (e.getName().equals("summary.txt")) {
                    return new String(entries.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("no summary.txt in the dossier of " + disputeId);
    }

    private ResponseEntity<JsonNode> get(String user, String path) {
        var http = RestClient.builder().baseUrl("http://localhost:" + environment.getProperty("local.server.port"))
                .defaultStatusHandler(status -> true, (request, response) -> { }).build();
        return http.get().uri(path).headers(h -> h.setBasicAuth(user, "demo")).retrieve().toEntity(JsonNode.class);
    }
}
