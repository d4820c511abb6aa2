package cn.kameng.refunddesk.appeal;

import static cn.kameng.refunddesk.support.TestDisputes.BUYER1;
import static cn.kameng.refunddesk.support.TestDisputes.MERCHANT1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Date;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.DomainException.NotFound;
import cn.kameng.refunddesk.dispute.DomainException.WrongState;
import cn.kameng.refunddesk.dispute.Outcome;
import cn.kameng.refunddesk.dispute.Party;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.ledger.Bearer;
import cn.kameng.refunddesk.ledger.DepositLedger;
import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.refund.RefundRecords;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService;

/**
 * The losing party appeals a ruling once, within dispute.sla.appeal-window, and an arbiter other than the one who
 * ruled upholds or overturns it (appeal.bpmn). The merchant's appeal never holds the buyer's refund back; won, the
 * deposit is credited back and the compensation fund bears the refund. The buyer's appeal won refunds the claim.
 */
@DisputeServiceTest
class AppealTest {

    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired Appeals appeals;
    @Autowired DepositLedger ledger;
    @Autowired RefundRecords refunds;
    @Autowired TaskService tasks;
    @Autowired HistoryService history;
    @Autowired JdbcClient jdbc;
    @Autowired Environment environment;
    @Autowired org.camunda.bpm.engine.ProcessEngine engine;
    @Autowired cn.kameng.refunddesk.evidence.EvidenceService evidence;
    @Autowired cn.kameng.refunddesk.evidence.DossierExport dossiers;

    @BeforeEach
    void clock() {
        ClockUtil.setCurrentTime(new Date());
    }

    /** Every ledger transaction balances and every account is the sum of its entries; merchant1's deposit is left empty. */
    @AfterEach
    void ledgerAddsUpAndMerchant1IsLeftEmpty() {
        ClockUtil.reset();
        long free = ledger.balances("merchant1").depositFen();
        if (free > 0) { // other tests of this context open merchant1's disputes: a balanced withdrawal empties it
            String tx = "LTX-" + java.util.UUID.randomUUID();
            jdbc.sql("insert into ledger_transaction (id, kind, merchant_id, dispute_id, note, created_by, created_at)"
                    + " values (?, 'TEST_WITHDRAWAL', 'merchant1', null, 'test clean-up', 'test', ?)")
                    .params(tx, java.sql.Timestamp.from(java.time.Instant.now())).update();
            jdbc.sql("insert into ledger_entry (transaction_id, account_id, amount_fen) values (?, 'DEPOSIT:merchant1', ?)")
                    .params(tx, -free).update();
            jdbc.sql("insert into ledger_entry (transaction_id, account_id, amount_fen) values (?, 'OUTSIDE', ?)")
                    .params(tx, free).update();
            jdbc.sql("update ledger_account set balance_fen = balance_fen - ? where id = 'DEPOSIT:merchant1'").param(free).update();
        }
        assertThat(jdbc.sql("select transaction_id from ledger_entry group by transaction_id having sum(amount_fen) <> 0")
                .query(String.class).list()).as("unbalanced ledger transactions").isEmpty();
        assertThat(jdbc.sql("""
                select a.id from ledger_account a where a.balance_fen is not null and a.balance_fen <>
                  (select coalesce(sum(e.amount_fen), 0) from ledger_entry e where e.account_id = a.id)""")
                .query(String.class).list()).as("accounts whose balance is not the sum of their entries").isEmpty();
        assertThat(ledger.balances("merchant1").depositFen()).isZero();
        assertThat(ledger.balances("merchant1").heldFen()).isZero();
    }

    // ------------------------------------------------------------------ the merchant appeals a refund

    @Test
    void theMerchantWinsItsAppealAfterTheRefundAndTheFundBearsItWhileTheDepositIsCreditedBack() {
        ledger.topUp("merchant1", 10_000, "保证金", "finance1");
        long fundBefore = ledger.fundBalance();
        Dispute d = ruledFor(Party.CUSTOMER);
        refundSettlesAndArrives(d);
        assertThat(ledger.balances("merchant1").depositFen()).isEqualTo(7_500);
        assertThat(ledger.ofDispute(d.id()).orElseThrow().bearer()).isEqualTo(Bearer.MERCHANT);

        var filed = api("merchant1").post().uri("/api/v1/disputes/{id}/appeal", d.id())
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("statement", "买家在购买前已使用卡密，附新的使用日志"))
                .retrieve().toEntity(JsonNode.class);
        assertThat(filed.getStatusCode().value()).isEqualTo(200);
        assertThat(filed.getBody().path("party").asText()).isEqualTo("MERCHANT");
        assertThat(filed.getBody().path("status").asText()).isEqualTo("FILED");

        Task decide = given.task(d.id(), ProcessIds.Task.DECIDE_APPEAL);
        assertThat(decide).as("the appeal's task").isNotNull();
        assertThat(tasks.getIdentityLinksForTask(decide.getId())).anySatisfy(l -> assertThat(l.getGroupId()).isEqualTo("arbiters"));
        assertThat(decide.getDueDate()).as("due per dispute.sla.appeal-decision")
                .isEqualTo(Date.from(given.deadlines(d.id()).get("APPEAL_DECISION")));
        Map<String, Object> facts = given.formFacts("arbiter2", decide.getId());
        assertThat(facts).containsEntry("appealStatement", "买家在购买前已使用卡密，附新的使用日志")
                .containsEntry("rulingReasonText", "卡密在购买前已被使用").containsEntry("arbiterId", "arbiter1")
                .containsEntry("appealParty", "商家").containsKey("appealEvidenceLinks");

        // never the first arbiter: not in their queue, no claim, no completion
        assertThat(appealQueue("arbiter2")).as("申诉 Appeals, for the arbiters").contains(decide.getId());
        assertThat(appealQueue("arbiter1")).as("hidden from the arbiter who ruled").doesNotContain(decide.getId());
        assertThat(given.formFacts("arbiter1", decide.getId())).as("hidden from the arbiter who ruled").isEmpty();
        assertThatThrownBy(() -> tasks.setAssignee(decide.getId(), "arbiter1")).hasMessageContaining("另一位仲裁员");
        assertThatThrownBy(() -> appeals.decide(d.id(), AppealDecision.OVERTURN, "我改主意了", "arbiter1"))
                .hasMessageContaining("cannot decide its appeal");
        assertThatThrownBy(() -> given.completeAs("arbiter2", decide, Map.of(ProcessIds.Var.APPEAL_DECISION, "OVERTURN")))
                .hasMessageContaining("appealNote is required");

        given.completeAs("arbiter2", decide, Map.of(ProcessIds.Var.APPEAL_DECISION, "OVERTURN",
                ProcessIds.Var.APPEAL_NOTE, "新日志证明卡密在购买前已被使用"));

        assertThat(ledger.balances("merchant1").depositFen()).as("the debit is credited back").isEqualTo(10_000);
        assertThat(ledger.fundBalance()).as("the fund bears the refund").isEqualTo(fundBefore - 2_500);
        var settlement = ledger.ofDispute(d.id()).orElseThrow();
        assertThat(settlement.bearer()).isEqualTo(Bearer.PLATFORM);
        assertThat(settlement.entries()).filteredOn(e -> "APPEAL_CREDIT".equals(e.kind()))
                .extracting(e -> e.accountId() + " " + e.amountFen())
                .containsExactlyInAnyOrder("DEPOSIT:merchant1 2500", "FUND -2500");
        Dispute after = given.get(d.id());
        assertThat(after.outcome()).as("the buyer keeps the money").isEqualTo(Outcome.REFUNDED);
        assertThat(refunds.of(d.id())).hasSize(1);
        assertThat(given.timeline(d.id())).contains("APPEAL_FILED", "APPEAL_OVERTURNED");
        assertThat(history.createHistoricVariableInstanceQuery().variableName(ProcessIds.Var.APPEAL_NOTE).count())
                .as("the arbiter's words stay on the dispute").isZero();

        var view = api("merchant1").get().uri("/api/v1/disputes/{id}", d.id()).retrieve().toEntity(JsonNode.class);
        assertThat(view.getBody().path("appeal").path("status").asText()).isEqualTo("OVERTURNED");
        assertThat(view.getBody().path("appeal").path("decidedBy").asText()).isEqualTo("arbiter2");
        assertThat(view.getBody().path("appeal").path("decisionNote").asText()).isEqualTo("新日志证明卡密在购买前已被使用");
        assertThat(view.getBody().path("appeal").path("appellant").asText()).isEqualTo("merchant1");

        assertThatThrownBy(() -> appeals.file(MERCHANT1, d.id(), "再申诉一次")).as("a ruling is appealed once")
                .isInstanceOf(WrongState.class).hasMessageContaining("appealed already");
    }

    @Test
    void aMerchantsAppealNeverHoldsTheRefundBackAndWonBeforeItSettlesTheFundPays() {
        ledger.topUp("merchant1", 10_000, "保证金", "finance1");
        long fundBefore = ledger.fundBalance();
        Dispute d = ruledFor(Party.CUSTOMER);
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.REFUNDING);

        appeals.file(MERCHANT1, d.id(), "裁决有误");
        given.completeAs("arbiter2", given.task(d.id(), ProcessIds.Task.DECIDE_APPEAL), Map.of(
                ProcessIds.Var.APPEAL_DECISION, "OVERTURN", ProcessIds.Var.APPEAL_NOTE, "裁决有误，由平台承担"));
        assertThat(given.instance(d.id())).as("the refund's process runs on").isNotNull();

        refundSettlesAndArrives(d);

        assertThat(given.get(d.id()).outcome()).isEqualTo(Outcome.REFUNDED);
        assertThat(ledger.ofDispute(d.id()).orElseThrow().bearer()).isEqualTo(Bearer.PLATFORM);
        assertThat(ledger.balances("merchant1").depositFen()).isEqualTo(10_000);
        assertThat(ledger.fundBalance()).isEqualTo(fundBefore - 2_500);
    }

    @Test
    void theMerchantLosesItsAppealAndNothingMoves() {
        ledger.topUp("merchant1", 10_000, "保证金", "finance1");
        long fundBefore = ledger.fundBalance();
        Dispute d = ruledFor(Party.CUSTOMER);
        refundSettlesAndArrives(d);
        appeals.file(MERCHANT1, d.id(), "不服裁决");

        given.completeAs("arbiter2", given.task(d.id(), ProcessIds.Task.DECIDE_APPEAL), Map.of(
                ProcessIds.Var.APPEAL_DECISION, "UPHOLD", ProcessIds.Var.APPEAL_NOTE, "无新证据，维持"));

        assertThat(appeals.of(d.id()).orElseThrow().status()).isEqualTo(AppealStatus.UPHELD);
        assertThat(ledger.balances("merchant1").depositFen()).isEqualTo(7_500);
        assertThat(ledger.fundBalance()).isEqualTo(fundBefore);
        assertThat(ledger.ofDispute(d.id()).orElseThrow().bearer()).isEqualTo(Bearer.MERCHANT);
        assertThat(given.timeline(d.id())).contains("APPEAL_UPHELD");
        assertThat(given.task(d.id(), ProcessIds.Task.DECIDE_APPEAL)).isNull();
        assertThatThrownBy(() -> appeals.file(MERCHANT1, d.id(), "再来")).isInstanceOf(WrongState.class);
    }

    // ------------------------------------------------------------------ the buyer appeals a rejection

    @Test
    void theBuyerWinsItsAppealAndIsRefundedAsARulingForThemWould() {
        Dispute d = ruledFor(Party.MERCHANT);
        assertThat(given.get(d.id()).outcome()).isEqualTo(Outcome.REJECTED);
        assertThatThrownBy(() -> appeals.file(MERCHANT1, d.id(), "我也申诉")).as("the winner has nothing to appeal")
                .isInstanceOf(WrongState.class).hasMessageContaining("only they may appeal");
        assertThatThrownBy(() -> appeals.file(TestDisputes.MERCHANT2, d.id(), "别人的争议"))
                .isInstanceOf(NotFound.class);

        given.moveClock(Duration.ofHours(2)); // the buyer appeals two hours after the ruling
        assertThatThrownBy(() -> upload(BUYER1, d.id())).as("a closed dispute takes no evidence before an appeal")
                .isInstanceOf(WrongState.class);
        appeals.file(BUYER1, d.id(), "补充了卡密无效的录屏");
        var brought = upload(BUYER1, d.id());
        assertThatThrownBy(() -> upload(MERCHANT1, d.id())).as("only the appellant brings the appeal's evidence")
                .isInstanceOf(WrongState.class);
        Task decide = given.task(d.id(), ProcessIds.Task.DECIDE_APPEAL);
        assertThat(given.formFacts("arbiter2", decide.getId())).containsEntry("appealParty", "买家")
                .containsEntry("rulingReasonText", "证据不足")
                .hasEntrySatisfying("appealEvidenceLinks", links -> assertThat((String) links).contains(brought.id()));
        given.completeAs("arbiter2", decide, Map.of(ProcessIds.Var.APPEAL_DECISION, "OVERTURN",
                ProcessIds.Var.APPEAL_NOTE, "录屏证明卡密无效"));

        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.REFUNDING);
        refundSettlesAndArrives(d);
        assertThat(given.get(d.id()).outcome()).isEqualTo(Outcome.REFUNDED);
        assertThat(refunds.of(d.id())).singleElement().satisfies(r -> assertThat(r.amountFen()).isEqualTo(2_500));
        assertThat(given.timeline(d.id())).contains("APPEAL_FILED", "APPEAL_OVERTURNED");
        String summary = dossierSummary(d.id());
        assertThat(summary).contains("申诉 Appeal: CUSTOMER buyer1").contains("补充了卡密无效的录屏")
                .contains("申诉结果 Appeal decision: OVERTURNED · by arbiter2").contains("录屏证明卡密无效");
        recoverWhatTheFundPaidFirst(d);
    }

    @Test
    void theBuyersWonAppealRefundsTheOrderOnceThroughTheDisputeTheyOpenedOnItMeanwhile() {
        Dispute rejected = ruledFor(Party.MERCHANT);
        appeals.file(BUYER1, rejected.id(), "补充了卡密无效的录屏");
        // while the appeal waits, the buyer opens another dispute on the same order
        Dispute again = given.open(rejected.orderId(), Reason.INVALID_CARD_KEY);
        assertThat(given.get(again.id()).status()).isEqualTo(DisputeStatus.AWAITING_MERCHANT);

        given.completeAs("arbiter2", given.task(rejected.id(), ProcessIds.Task.DECIDE_APPEAL), Map.of(
                ProcessIds.Var.APPEAL_DECISION, "OVERTURN", ProcessIds.Var.APPEAL_NOTE, "录屏证明卡密无效"));

        assertThat(appeals.of(rejected.id()).orElseThrow().status()).isEqualTo(AppealStatus.OVERTURNED);
        assertThat(given.get(rejected.id()).status()).as("the order's open dispute takes the refund")
                .isEqualTo(DisputeStatus.CLOSED);
        assertThat(given.get(again.id()).status()).isEqualTo(DisputeStatus.REFUNDING);
        assertThat(given.timelineMessages(rejected.id())).last().asString().contains(again.id());
        refundSettlesAndArrives(again);

        assertThat(given.get(again.id()).outcome()).isEqualTo(Outcome.REFUNDED);
        assertThat(refunds.of(again.id())).singleElement().satisfies(r -> assertThat(r.amountFen()).isEqualTo(2_500));
        assertThat(refunds.of(rejected.id())).isEmpty();
        assertThat(given.gatewayRefunds(rejected.orderId())).as("the order is refunded exactly once").isEqualTo(1);
        recoverWhatTheFundPaidFirst(again);
    }

    @Test
    void theBuyersWonAppealOnAnOrderWhoseRefundAnotherDisputeHasUnderWayRefundsNothingMore() {
        Dispute rejected = ruledFor(Party.MERCHANT);
        appeals.file(BUYER1, rejected.id(), "我不服");
        // meanwhile the buyer opened another dispute on the order, and the merchant accepted it: its refund waits
        String otherId = given.acceptedDispute(rejected.orderId());
        assertThat(given.get(otherId).status()).isEqualTo(DisputeStatus.REFUNDING);

        given.completeAs("arbiter2", given.task(rejected.id(), ProcessIds.Task.DECIDE_APPEAL), Map.of(
                ProcessIds.Var.APPEAL_DECISION, "OVERTURN", ProcessIds.Var.APPEAL_NOTE, "应当退款"));

        assertThat(given.get(rejected.id()).status()).isEqualTo(DisputeStatus.CLOSED);
        assertThat(given.timelineMessages(rejected.id())).last().asString().contains(otherId).contains("不重复退款");
        Dispute other = given.get(otherId);
        refundSettlesAndArrives(other);
        assertThat(given.get(otherId).outcome()).isEqualTo(Outcome.REFUNDED);
        assertThat(refunds.of(rejected.id())).isEmpty();
        assertThat(given.gatewayRefunds(rejected.orderId())).as("the order is refunded exactly once").isEqualTo(1);
        recoverWhatTheFundPaidFirst(other);
    }

    @Test
    void theBuyerLosesItsAppealAndTheRejectionStands() {
        Dispute d = ruledFor(Party.MERCHANT);
        appeals.file(BUYER1, d.id(), "我不服");
        given.completeAs("arbiter2", given.task(d.id(), ProcessIds.Task.DECIDE_APPEAL), Map.of(
                ProcessIds.Var.APPEAL_DECISION, "UPHOLD", ProcessIds.Var.APPEAL_NOTE, "证据仍不足"));

        Dispute after = given.get(d.id());
        assertThat(after.status()).isEqualTo(DisputeStatus.CLOSED);
        assertThat(after.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(refunds.of(d.id())).isEmpty();
        assertThat(given.timeline(d.id())).contains("APPEAL_UPHELD");
    }

    @Test
    void anAppealAfterTheWindowIsRefusedOverHttpWith409() {
        Dispute d = ruledFor(Party.MERCHANT);
        given.moveClock(Duration.ofDays(15));

        var late = api("buyer1").post().uri("/api/v1/disputes/{id}/appeal", d.id())
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("statement", "迟到的申诉"))
                .retrieve().toEntity(JsonNode.class);
        assertThat(late.getStatusCode().value()).isEqualTo(409);
        assertThat(late.getBody().path("detail").asText()).contains("has passed");
        assertThat(appeals.of(d.id())).isEmpty();

        var other = api("merchant2").post().uri("/api/v1/disputes/{id}/appeal", d.id())
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("statement", "x"))
                .retrieve().toEntity(JsonNode.class);
        assertThat(other.getStatusCode().value()).as("someone else's dispute").isEqualTo(404);
    }

    @Test
    void aDisputeWithoutARulingHasNothingToAppeal() {
        Dispute d = given.open(2_500, Reason.INVALID_CARD_KEY);
        assertThatThrownBy(() -> appeals.file(BUYER1, d.id(), "申诉")).isInstanceOf(WrongState.class)
                .hasMessageContaining("no ruling against a party");
        disputes.withdrawal(BUYER1, d.id(), "测试结束");
    }

    /** An intervened dispute ruled by arbiter1 for the customer (refund, no four eyes) or the merchant (reject). */
    private Dispute ruledFor(Party winner) {
        Dispute d = given.open(2_500, Reason.INVALID_CARD_KEY);
        disputes.merchantResponse(MERCHANT1, d.id(), new DisputeService.MerchantAnswer(
                DisputeService.MerchantDecision.REFUSE, null, "卡密已使用", null));
        disputes.intervention(BUYER1, d.id(), "商家拒绝，申请平台介入");
        given.addEvidence(d.id(), "merchant1", "MERCHANT", "USAGE_LOG");
        disputes.merchantProof(MERCHANT1, d.id(), "使用记录已上传");
        given.completeAs("arbiter1", given.task(d.id(), ProcessIds.Task.ARBITRATE_DISPUTE), winner == Party.CUSTOMER
                ? Map.of(ProcessIds.Var.RULING, "REFUND_FULL", ProcessIds.Var.RULING_REASON, "卡密在购买前已被使用")
                : Map.of(ProcessIds.Var.RULING, "REJECT", ProcessIds.Var.RULING_REASON, "证据不足"));
        return given.get(d.id());
    }

    private void refundSettlesAndArrives(Dispute d) {
        given.runDueJobs(d.id());
        assertThat(given.settleRefunds()).isEqualTo(1);
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);
        disputes.arrivalConfirmation(BUYER1, d.id(), true, null);
    }

    /** merchant1 has no deposit: the fund paid the refund first; finance records it paid back (nothing left owed or open). */
    private void recoverWhatTheFundPaidFirst(Dispute d) {
        Task recovery = given.task(d.id(), ProcessIds.Task.RECOVER_RECEIVABLE);
        if (recovery != null) {
            given.completeAs("finance1", recovery, Map.of(ProcessIds.Var.RECOVERY_DECISION, "RECOVERED",
                    ProcessIds.Var.RECOVERED_AMOUNT_FEN, ledger.owedFor(d.id())));
        }
        assertThat(ledger.owedFor(d.id())).isZero();
    }

    private cn.kameng.refunddesk.evidence.Evidence upload(cn.kameng.refunddesk.dispute.Caller who, String disputeId) {
        return evidence.upload(who, disputeId, "PROBLEM_SCREENSHOT", new org.springframework.mock.web.MockMultipartFile(
                "file", "appeal.png", "image/png", cn.kameng.refunddesk.support.EvidenceFiles.png()));
    }

    private String dossierSummary(String disputeId) {
        try (var zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(
                dossiers.export(new cn.kameng.refunddesk.dispute.Caller("arbiter2",
                        java.util.Set.of(cn.kameng.refunddesk.dispute.Caller.ARBITERS)), disputeId)))) {
            for (var entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.getName().equals("summary.txt")) {
                    return new String(zip.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("the dossier has no summary.txt");
    }

    /** The tasks of the Tasklist filter 申诉 Appeals, as {@code user} signed in sees them. */
    private java.util.List<String> appealQueue(String user) {
        var identity = engine.getIdentityService();
        var filters = engine.getFilterService();
        String id = filters.createFilterQuery().filterName("申诉 Appeals").singleResult().getId();
        identity.setAuthentication(user, identity.createGroupQuery().groupMember(user).list().stream()
                .map(org.camunda.bpm.engine.identity.Group::getId).toList());
        try {
            return filters.<Task>list(id).stream().map(Task::getId).toList();
        } finally {
            identity.clearAuthentication();
        }
    }

    private RestClient api(String user) {
        return RestClient.builder().baseUrl("http://localhost:" + environment.getProperty("local.server.port"))
                .defaultHeaders(h -> h.setBasicAuth(user, "demo"))
                .defaultStatusHandler(status -> true, (request, response) -> { }).build();
    }
}
