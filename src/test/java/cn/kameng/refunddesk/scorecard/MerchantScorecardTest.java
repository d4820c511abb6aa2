package cn.kameng.refunddesk.scorecard;

import static cn.kameng.refunddesk.support.TestDisputes.BUYER1;
import static cn.kameng.refunddesk.support.TestDisputes.BUYER2;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import com.fasterxml.jackson.databind.JsonNode;

import cn.kameng.refunddesk.complaint.ComplaintService;
import cn.kameng.refunddesk.dispute.Caller;
import cn.kameng.refunddesk.dispute.ComplaintChannel;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;

/**
 * A merchant's scorecard counts what happened to its disputes: one merchant of this test's own (other tests of
 * the shared context dispute merchant1's orders) with six orders and five disputes: one refunded at once, one
 * lost in arbitration without proof (举证不能), one won with proof, two unanswered; four outside complaints, two
 * of them repeats. Operations read it as JSON and CSV; the merchant reads only its own.
 */
@DisputeServiceTest
class MerchantScorecardTest {

    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired ComplaintService complaints;
    @Autowired Scorecards scorecards;
    @Autowired ScorecardRecords records;
    @Autowired JdbcClient jdbc;
    @Autowired Environment environment;

    private final String merchant = "scorecard-" + UUID.randomUUID().toString().substring(0, 8);
    private final Caller merchantCaller = new Caller(merchant, Set.of(Caller.MERCHANTS));

    @Test
    void theScorecardCountsDisputesRefundsRulingsProofAnswersAndRepeatComplaints() {
        LocalDate today = ServiceClock.now().atZone(Period.BEIJING).toLocalDate();
        String from = today.minusDays(1).toString();
        String to = today.plusDays(5).toString();

        Dispute refunded = open(BUYER1, order("buyer1", 2_500));
        Dispute lost = open(BUYER1, order("buyer1", 3_000));
        Dispute won = open(BUYER1, order("buyer1", 4_000));
        Dispute silent = open(BUYER1, order("buyer1", 1_000));
        Dispute silentToo = open(BUYER2, order("buyer2", 1_200));
        order("buyer2", 900); // an order nobody disputes still counts among the merchant's orders

        // answered after 1 h, 2 h and 3 h: the median is 2 h
        given.moveClock(Duration.ofHours(1));
        answer(refunded, MerchantDecision.ACCEPT, "同意退款");
        given.moveClock(Duration.ofHours(1));
        answer(won, MerchantDecision.REFUSE, "卡密已使用");
        given.moveClock(Duration.ofHours(1));
        answer(lost, MerchantDecision.REFUSE, "卡密已使用");

        disputes.intervention(BUYER1, lost.id(), "商家拒绝，申请平台介入");
        disputes.intervention(BUYER1, won.id(), "商家拒绝，申请平台介入");
        given.addEvidence(won.id(), merchant, "MERCHANT", "USAGE_LOG");
        disputes.merchantProof(merchantCaller, won.id(), "使用记录已上传");
        given.moveClock(Duration.ofHours(48).plusMinutes(1));
        given.runDueJobs(lost.id());
        assertThat(given.get(lost.id()).merchantProofMissing()).as("no proof within the window").isTrue();
        given.completeAs("arbiter1", given.task(lost.id(), ProcessIds.Task.ARBITRATE_DISPUTE), Map.of(
                ProcessIds.Var.RULING, "REFUND_FULL", ProcessIds.Var.RULING_REASON, "商家举证不能，全额退款"));
        given.completeAs("arbiter1", given.task(won.id(), ProcessIds.Task.ARBITRATE_DISPUTE), Map.of(
                ProcessIds.Var.RULING, "REJECT", ProcessIds.Var.RULING_REASON, "使用记录证明卡密已被买家兑换"));
        given.runDueJobs(refunded.id());
        given.runDueJobs(lost.id());
        given.settleRefunds();
        assertThat(given.get(refunded.id()).status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);
        assertThat(given.get(lost.id()).status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);

        // the first complaint about an order or a buyer is not a repeat; the same order, or the same buyer about
        // another order, again within the period is, counted on the channel it came through
        complain(ComplaintChannel.ALIPAY, silent);      // first
        complain(ComplaintChannel.CONSUMER_12315, silentToo); // another buyer and order: first
        complain(ComplaintChannel.WECHAT_PAY, silent);  // the same order again: repeat
        complain(ComplaintChannel.HEIMAO, lost);        // buyer1 again, about another order: repeat

        Scorecard card = scorecards.of(ops(), merchant, scorecards.period(from, to));

        assertThat(card.merchantId()).isEqualTo(merchant);
        assertThat(card.from()).isEqualTo(today.minusDays(1));
        assertThat(card.to()).isEqualTo(today.plusDays(5));
        assertThat(card.disputesOpened()).isEqualTo(5);
        assertThat(card.orders()).isEqualTo(6);
        assertThat(card.disputesPerThousandOrders()).isEqualByComparingTo(new BigDecimal("833.33"));
        assertThat(card.refundsSettled()).isEqualTo(2);
        assertThat(card.refundedFen()).isEqualTo(2_500 + 3_000);
        assertThat(card.rulingsLost()).as("REFUND_FULL lost; REJECT won").isEqualTo(1);
        assertThat(card.reachedArbitration()).isEqualTo(2);
        assertThat(card.merchantProofMissing()).isEqualTo(1);
        assertThat(card.merchantProofMissingRate()).isEqualByComparingTo(new BigDecimal("0.5"));
        assertThat(card.merchantAnswers()).as("the silent two are no answer").isEqualTo(3);
        // the service's clock keeps running between the test's steps: a few seconds more than the 2 h moved
        assertThat(card.medianAnswerSeconds()).isBetween(2 * 3600L, 2 * 3600L + 60);
        assertThat(card.complaints()).containsExactly(Map.entry(ComplaintChannel.ALIPAY, 1L),
                Map.entry(ComplaintChannel.WECHAT_PAY, 1L), Map.entry(ComplaintChannel.CONSUMER_12315, 1L),
                Map.entry(ComplaintChannel.HEIMAO, 1L));
        assertThat(card.repeatComplaints()).containsExactly(Map.entry(ComplaintChannel.ALIPAY, 0L),
                Map.entry(ComplaintChannel.WECHAT_PAY, 1L), Map.entry(ComplaintChannel.CONSUMER_12315, 0L),
                Map.entry(ComplaintChannel.HEIMAO, 1L));

        String header = "merchant_id,from,to,disputes_opened,orders,disputes_per_1000_orders,refunds_settled,"
                + "refunded_fen,rulings_lost,reached_arbitration,merchant_proof_missing,merchant_proof_missing_rate,"
                + "merchant_answers,median_answer_seconds,complaints_alipay,complaints_wechat_pay,"
                + "complaints_consumer_12315,complaints_heimao,repeat_complaints_alipay,repeat_complaints_wechat_pay,"
                + "repeat_complaints_consumer_12315,repeat_complaints_heimao";
        String row = merchant + "," + from + "," + to + ",5,6,833.33,2,5500,1,2,1,0.5000,3," + card.medianAnswerSeconds()
                + ",1,1,1,1,0,1,0,1";

        ResponseEntity<byte[]> byAccept = http().get()
                .uri("/api/v1/merchants/{m}/scorecard?from={f}&to={t}", merchant, from, to)
                .header("Accept", "text/csv").headers(h -> h.setBasicAuth("ops1", "demo")).retrieve()
                .toEntity(byte[].class);
        assertThat(byAccept.getStatusCode().value()).isEqualTo(200);
        assertThat(byAccept.getHeaders().getContentType().toString()).isEqualTo("text/csv;charset=UTF-8");
        assertThat(byAccept.getHeaders().getContentDisposition().getFilename()).endsWith(".csv");
        byte[] bytes = byAccept.getBody();
        assertThat(bytes).as("UTF-8 byte order mark first, for Excel").startsWith(0xEF, 0xBB, 0xBF);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("\uFEFF" + header + "\r\n" + row + "\r\n");

        ResponseEntity<byte[]> byPath = http().get()
                .uri("/api/v1/merchants/{m}/scorecard.csv?from={f}&to={t}", merchant, from, to)
                .headers(h -> h.setBasicAuth("ops1", "demo")).retrieve().toEntity(byte[].class);
        assertThat(byPath.getStatusCode().value()).isEqualTo(200);
        assertThat(byPath.getBody()).isEqualTo(bytes);

        JsonNode json = get("ops1", "/api/v1/merchants/" + merchant + "/scorecard?from=" + from + "&to=" + to)
                .getBody();
        assertThat(json.get("disputesOpened").asLong()).isEqualTo(5);
        assertThat(json.get("disputesPerThousandOrders").decimalValue()).isEqualByComparingTo("833.33");
        assertThat(json.get("medianAnswerSeconds").asLong()).isEqualTo(card.medianAnswerSeconds());
        assertThat(json.get("repeatComplaints").get("HEIMAO").asLong()).isEqualTo(1);

        // every merchant with disputes in the range, for operations: ours among them, as JSON and as CSV
        JsonNode all = get("admin", "/api/v1/scorecards?from=" + from + "&to=" + to).getBody();
        assertThat(all.findValuesAsText("merchantId")).contains(merchant).isSorted();
        String allCsv = new String(http().get().uri("/api/v1/scorecards.csv?from={f}&to={t}", from, to)
                .headers(h -> h.setBasicAuth("ops1", "demo")).retrieve().toEntity(byte[].class).getBody(),
                StandardCharsets.UTF_8);
        assertThat(allCsv).startsWith("\uFEFF" + header + "\r\n").contains("\r\n" + row + "\r\n");
    }

    @Test
    void aPeriodWithNothingInItIsZerosAndNoRateWhereNothingCanBeDividedBy() {
        Scorecard card = scorecards.of(ops(), merchant, scorecards.period("2025-01-01", "2025-02-01"));
        assertThat(card.disputesOpened()).isZero();
        assertThat(card.orders()).isZero();
        assertThat(card.disputesPerThousandOrders()).as("no orders: nothing to divide by").isNull();
        assertThat(card.merchantProofMissingRate()).isNull();
        assertThat(card.medianAnswerSeconds()).isNull();
        assertThat(card.complaints()).containsOnlyKeys(ComplaintChannel.values()).allSatisfy((c, n) -> assertThat(n).isZero());
    }

    @Test
    void withoutAnOrderSystemThatCanCountOrdersTheRateIsAnEmptyCellNeverZero() {
        var noCounts = new Scorecards(records, orderId -> Optional.empty(), new ScorecardProperties(366));
        String orderId = order("buyer1", 2_000);
        open(BUYER1, orderId);
        LocalDate today = ServiceClock.now().atZone(Period.BEIJING).toLocalDate();
        Scorecard card = noCounts.of(merchantCaller, merchant, noCounts.period(today.toString(),
                today.plusDays(1).toString()));
        assertThat(card.disputesOpened()).isEqualTo(1);
        assertThat(card.orders()).isNull();
        assertThat(card.disputesPerThousandOrders()).isNull();
        String csv = new String(ScorecardCsv.of(List.of(card)), StandardCharsets.UTF_8);
        assertThat(csv.split("\r\n")[1]).startsWith(merchant + "," + today + "," + today.plusDays(1) + ",1,,,0,0,");
    }

    @Test
    void aTextCellWithACommaOrAQuoteIsQuotedAsRfc4180Says() {
        Map<ComplaintChannel, Long> none = Map.of(ComplaintChannel.ALIPAY, 0L, ComplaintChannel.WECHAT_PAY, 0L,
                ComplaintChannel.CONSUMER_12315, 0L, ComplaintChannel.HEIMAO, 0L);
        Scorecard card = new Scorecard("商户,\"甲\"", LocalDate.of(2026, 11, 1), LocalDate.of(2026, 12, 1), 0, null,
                null, 0, 0, 0, 0, 0, null, 0, null, none, none);
        String csv = new String(ScorecardCsv.of(List.of(card)), StandardCharsets.UTF_8);
        assertThat(csv.split("\r\n")[1]).isEqualTo("\"商户,\"\"甲\"\"\",2026-11-01,2026-12-01,0,,,0,0,0,0,0,,0,,0,0,0,0,0,0,0,0");
    }

    @Test
    void theMedianOfAnEvenNumberOfAnswersIsTheMeanOfTheMiddleTwo() {
        assertThat(Scorecards.medianSeconds(List.of(Duration.ofSeconds(10), Duration.ofSeconds(40),
                Duration.ofSeconds(20), Duration.ofSeconds(31)))).isEqualTo(25);
        assertThat(Scorecards.medianSeconds(List.of())).isNull();
    }

    @Test
    void operationsReadAnyScorecardAMerchantOnlyItsOwnAndNobodyElse() {
        String range = "?from=2026-11-01&to=2026-12-01";
        assertThat(get("ops1", "/api/v1/merchants/merchant1/scorecard" + range).getStatusCode().value()).isEqualTo(200);
        assertThat(get("admin", "/api/v1/merchants/merchant2/scorecard" + range).getStatusCode().value()).isEqualTo(200);
        assertThat(get("merchant1", "/api/v1/merchants/merchant1/scorecard" + range).getStatusCode().value())
                .isEqualTo(200);
        var another = get("merchant2", "/api/v1/merchants/merchant1/scorecard" + range);
        assertThat(another.getStatusCode().value()).as("another merchant's is not there for it").isEqualTo(404);
        assertThat(another.getHeaders().getContentType().toString()).isEqualTo("application/problem+json");
        assertThat(get("merchant2", "/api/v1/merchants/merchant1/scorecard.csv" + range).getStatusCode().value())
                .isEqualTo(404);
        assertThat(get("buyer1", "/api/v1/merchants/merchant1/scorecard" + range).getStatusCode().value())
                .isEqualTo(403);
        assertThat(get("reviewer1", "/api/v1/merchants/merchant1/scorecard" + range).getStatusCode().value())
                .isEqualTo(403);
        assertThat(get("merchant1", "/api/v1/scorecards" + range).getStatusCode().value())
                .as("every merchant's is for operations").isEqualTo(403);
        assertThat(get("buyer1", "/api/v1/scorecards.csv" + range).getStatusCode().value()).isEqualTo(403);
    }

    @Test
    void aBadRangeIsA400NamingTheField() {
        assertBad("?from=2026-13-01&to=2026-12-01", "from", "is not a date");
        assertBad("?from=2026-11-01&to=next-month", "to", "is not a date");
        assertBad("?to=2026-12-01", "from", "is required");
        assertBad("?from=2026-12-01&to=2026-12-01", "to", "later date than from");
        assertBad("?from=2026-12-01&to=2026-11-01", "to", "later date than from");
        assertBad("?from=2025-01-01&to=2026-01-03", "to", "at most 366 days");
        assertThat(get("ops1", "/api/v1/merchants/merchant1/scorecard?from=2025-01-01&to=2026-01-02")
                .getStatusCode().value()).as("366 days is allowed").isEqualTo(200);

        var csv = http().get().uri("/api/v1/merchants/merchant1/scorecard?from=x&to=2026-12-01")
                .header("Accept", "text/csv").headers(h -> h.setBasicAuth("ops1", "demo")).retrieve()
                .toEntity(String.class);
        assertThat(csv.getStatusCode().value()).as("a CSV request gets its problem too").isEqualTo(400);
        assertThat(csv.getHeaders().getContentType().toString()).isEqualTo("application/problem+json");
        assertThat(csv.getBody()).contains("from");
        var all = get("ops1", "/api/v1/scorecards?from=2026-11-01");
        assertThat(all.getStatusCode().value()).isEqualTo(400);
        assertThat(all.getBody().get("errors").has("to")).isTrue();
    }

    private void assertBad(String query, String field, String says) {
        var answer = get("ops1", "/api/v1/merchants/merchant1/scorecard" + query);
        assertThat(answer.getStatusCode().value()).as(query).isEqualTo(400);
        assertThat(answer.getHeaders().getContentType().toString()).isEqualTo("application/problem+json");
        assertThat(answer.getBody().get("errors").get(field).asText()).as(query).contains(says);
        assertThat(answer.getBody().get("detail").asText()).startsWith(field + ":");
    }

    private String order(String buyer, long amountFen) {
        String id = given.order(amountFen);
        jdbc.sql("update sandbox_order set buyer_id = ?, merchant_id = ? where order_id = ?")
                .params(buyer, merchant, id).update();
        return id;
    }

    private Dispute open(Caller buyer, String orderId) {
        return disputes.open(buyer, new DisputeService.OpenRequest(orderId, Reason.INVALID_CARD_KEY, "卡密无效", null),
                null).dispute();
    }

    private void answer(Dispute d, MerchantDecision decision, String message) {
        disputes.merchantResponse(merchantCaller, d.id(), new DisputeService.MerchantAnswer(decision, null, message, null));
    }

    private void complain(ComplaintChannel channel, Dispute about) {
        given.moveClock(Duration.ofSeconds(1));
        complaints.receive(channel, "EXT-" + UUID.randomUUID(), about.orderId(), "消费者投诉：卡密无效");
    }

    private static Caller ops() {
        return new Caller("ops1", Set.of(Caller.OPERATIONS));
    }

    private RestClient http() {
        return RestClient.builder().baseUrl("http://localhost:" + environment.getProperty("local.server.port"))
                .defaultStatusHandler(status -> true, (request, response) -> { }).build();
    }

    private ResponseEntity<JsonNode> get(String user, String path) {
        return http().get().uri(path).headers(h -> h.setBasicAuth(user, "demo")).retrieve().toEntity(JsonNode.class);
    }
}
