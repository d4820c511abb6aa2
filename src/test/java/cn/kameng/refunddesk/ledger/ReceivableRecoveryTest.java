package cn.kameng.refunddesk.ledger;

import static cn.kameng.refunddesk.support.TestDisputes.BUYER1;
import static cn.kameng.refunddesk.support.TestDisputes.MERCHANT1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import cn.kameng.refunddesk.dispute.Caller;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.Outcome;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.refund.RefundRecords;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService;

/**
 * What the fund paid first for a merchant whose deposit fell short becomes finance's task: the merchant is told,
 * finance records what came back (the task returns while something is still owed) or writes the rest off with a
 * reason to the platform's loss account. Every account still equals its entries, and no task is left open.
 */
@DisputeServiceTest
class ReceivableRecoveryTest {

    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired DepositLedger ledger;
    @Autowired LedgerRecords records;
    @Autowired ProcessEngine engine;
    @Autowired TaskService tasks;
    @Autowired HistoryService history;
    @Autowired JdbcClient jdbc;
    @Autowired Environment environment;
    @Autowired RefundRecords refunds;

    @AfterEach
    void theLedgerAddsUpAndNothingIsLeftOpen() {
        assertThat(records.unbalancedTransactions()).isEmpty();
        for (String account : records.accounts()) {
            records.storedBalance(account).ifPresent(stored -> assertThat(stored)
                    .as("balance of %s against its entries", account).isEqualTo(records.sumOfEntries(account)));
        }
        long receivables = jdbc.sql("select coalesce(sum(balance_fen), 0) from ledger_account where kind = 'RECEIVABLE'")
                .query(Long.class).single();
        assertThat(receivables + ledger.writtenOff()).as("the fund's advances: still receivable plus written off")
                .isEqualTo(-records.sumOfEntries(AccountKind.FUND_ADVANCES.name()));
        assertThat(ledger.balances("merchant1").heldFen()).isZero();
    }

    @Test
    void aShortfallBecomesFinancesTaskWithTheFactsAndARecoveryRestoresTheFund() {
        Dispute d = shortfallOf(1_000, 2_500);
        assertThat(ledger.owedFor(d.id())).isEqualTo(1_500);
        assertThat(given.timeline(d.id())).as("the merchant is told before the closing line")
                .containsSubsequence("RECEIVABLE_RECORDED", "CLOSED_REFUNDED");
        assertThat(jdbc.sql("select count(*) from notification_outbox where dispute_id = ? and event = 'RECEIVABLE_RECORDED'"
                + " and recipient = 'merchant1'").param(d.id()).query(Long.class).single()).isEqualTo(1);

        Task task = given.task(d.id(), ProcessIds.Task.RECOVER_RECEIVABLE);
        assertThat(task).as("finance's recovery task").isNotNull();
        assertThat(tasks.getIdentityLinksForTask(task.getId())).anySatisfy(l -> assertThat(l.getGroupId()).isEqualTo("finance"));
        assertThat(task.getDueDate()).as("due per dispute.sla.receivable-recovery-due").isNotNull();
        assertThat(given.deadlines(d.id())).containsKey("RECEIVABLE_RECOVERY");
        Map<String, Object> facts = given.formFacts("finance1", task.getId());
        assertThat(facts).containsEntry("merchantId", "merchant1").containsEntry("disputeId", d.id())
                .containsEntry("receivableOwedFen", 1_500L).containsEntry("receivableOwedText", "¥15.00（1500 分）");
        assertThat((String) facts.get("deadlineText")).contains("北京时间");
        assertThat(given.formFacts("merchant1", task.getId())).as("a party reads no staff form").isEmpty();

        long fund = ledger.fundBalance();
        long owedInAll = ledger.balances("merchant1").receivableFen(); // other tests' refunds of merchant1 too
        given.completeAs("finance1", task, Map.of(ProcessIds.Var.RECOVERY_DECISION, "RECOVERED",
                ProcessIds.Var.RECOVERED_AMOUNT_FEN, 500L, ProcessIds.Var.RECOVERY_NOTE, "首期 银行回单 001"));
        assertThat(ledger.owedFor(d.id())).isEqualTo(1_000);
        Task again = given.task(d.id(), ProcessIds.Task.RECOVER_RECEIVABLE);
        assertThat(again).as("a part recovered: the task comes back for the rest").isNotNull();
        assertThat(given.formFacts("finance1", again.getId())).containsEntry("receivableOwedFen", 1_000L);

        given.completeAs("finance1", again, Map.of(ProcessIds.Var.RECOVERY_DECISION, "RECOVERED",
                ProcessIds.Var.RECOVERED_AMOUNT_FEN, 1_000L));
        assertThat(ledger.owedFor(d.id())).isZero();
        assertThat(ledger.balances("merchant1").receivableFen()).isEqualTo(owedInAll - 1_500);
        assertThat(ledger.fundBalance()).as("the fund has back what it paid first").isEqualTo(fund + 1_500);
        assertThat(given.task(d.id(), ProcessIds.Task.RECOVER_RECEIVABLE)).isNull();
        assertThat(given.deadlines(d.id())).as("nothing left to recover, no deadline").doesNotContainKey("RECEIVABLE_RECOVERY");
        assertThat(ledger.ofDispute(d.id()).orElseThrow().entries()).extracting(LedgerEntry::kind).contains("RECOVERY");
        assertThat(history.createHistoricVariableInstanceQuery().variableName(ProcessIds.Var.RECOVERY_NOTE).count())
                .as("finance's words stay on the ledger, out of the engine's history").isZero();
    }

    @Test
    void aWriteOffMovesTheReceivableToThePlatformsLossWithItsReason() {
        Dispute d = shortfallOf(0, 1_800);
        assertThat(ledger.owedFor(d.id())).isEqualTo(1_800);
        long lost = ledger.writtenOff();
        long fund = ledger.fundBalance();
        long owedInAll = ledger.balances("merchant1").receivableFen();
        Task task = given.task(d.id(), ProcessIds.Task.RECOVER_RECEIVABLE);

        given.completeAs("finance1", task, Map.of(ProcessIds.Var.RECOVERY_DECISION, "WRITTEN_OFF",
                ProcessIds.Var.RECOVERY_NOTE, "商家已注销，无可执行财产"));

        assertThat(ledger.owedFor(d.id())).isZero();
        assertThat(ledger.balances("merchant1").receivableFen()).isEqualTo(owedInAll - 1_800);
        assertThat(ledger.writtenOff()).as("the loss account holds it").isEqualTo(lost + 1_800);
        assertThat(ledger.fundBalance()).as("the fund paid, and does not get it back").isEqualTo(fund);
        var writeOff = ledger.ofDispute(d.id()).orElseThrow().entries().stream().filter(e -> "WRITE_OFF".equals(e.kind()))
                .toList();
        assertThat(writeOff).extracting(LedgerEntry::accountId, LedgerEntry::amountFen)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("RECEIVABLE:merchant1", -1_800L),
                        org.assertj.core.groups.Tuple.tuple("WRITTEN_OFF", 1_800L));
        assertThat(writeOff.get(0).note()).isEqualTo("商家已注销，无可执行财产");
        assertThat(writeOff.get(0).createdBy()).isEqualTo("finance1");
        assertThat(given.task(d.id(), ProcessIds.Task.RECOVER_RECEIVABLE)).isNull();
    }

    @Test
    void aWriteOffWithoutAReasonOrARecoveryAboveWhatIsOwedIsRefusedWithItsSentence() {
        Dispute d = shortfallOf(0, 1_200);
        Task task = given.task(d.id(), ProcessIds.Task.RECOVER_RECEIVABLE);
        given.formFacts("finance1", task.getId()); // registers the engine for /engine-rest

        var noReason = completeOverRest("finance1", task, Map.of(ProcessIds.Var.RECOVERY_DECISION, "WRITTEN_OFF"));
        assertThat(noReason.getStatusCode().value()).isEqualTo(400);
        assertThat(noReason.getBody().path("message").asText()).contains("recoveryNote is required");
        var tooMuch = completeOverRest("finance1", task, Map.of(ProcessIds.Var.RECOVERY_DECISION, "RECOVERED",
                ProcessIds.Var.RECOVERED_AMOUNT_FEN, 1_201));
        assertThat(tooMuch.getStatusCode().value()).isEqualTo(400);
        assertThat(tooMuch.getBody().path("message").asText()).contains("must not exceed the 1200 fen owed");
        assertThatThrownBy(() -> given.completeAs("finance1", task, Map.of(ProcessIds.Var.RECOVERY_DECISION, "FORGIVEN")))
                .hasMessageContaining("must be one of [RECOVERED, WRITTEN_OFF]");
        assertThatThrownBy(() -> given.completeAs("finance1", task, Map.of(ProcessIds.Var.RECOVERY_DECISION, "RECOVERED")))
                .hasMessageContaining("recoveredAmountFen must be a positive number of fen");
        assertThat(ledger.owedFor(d.id())).as("nothing was posted").isEqualTo(1_200);
        assertThat(given.task(d.id(), ProcessIds.Task.RECOVER_RECEIVABLE)).as("still open").isNotNull();

        given.completeAs("finance1", task, Map.of(ProcessIds.Var.RECOVERY_DECISION, "RECOVERED",
                ProcessIds.Var.RECOVERED_AMOUNT_FEN, 1_200L));
        assertThat(ledger.owedFor(d.id())).isZero();
    }

    /**
     * The merchant pays back by its account, outside finance's tasks (finance's recovery on the deposit screen, or the
     * platform's RECEIVABLE_PAID event): a part paid leaves each task open with less owed; everything paid ends every
     * one of its recovery tasks by itself, with their deadlines.
     */
    @Test
    void aMerchantThatPaysEverythingBackByItsAccountEndsItsRecoveryTasksAndAPartPaymentEndsNone() {
        Dispute first = shortfallOf(0, 1_500);
        Dispute second = shortfallOf(0, 800);
        long owedInAll = ledger.balances("merchant1").receivableFen(); // with any other test's of merchant1
        assertThat(owedInAll).isGreaterThanOrEqualTo(2_300);

        ledger.recover("merchant1", 1_000, "商家转账 第一笔", "finance1");
        assertThat(given.task(first.id(), ProcessIds.Task.RECOVER_RECEIVABLE)).as("a part paid").isNotNull();
        assertThat(given.task(second.id(), ProcessIds.Task.RECOVER_RECEIVABLE)).isNotNull();
        assertThat(given.deadlines(first.id())).containsKey("RECEIVABLE_RECOVERY");

        ledger.recover("merchant1", owedInAll - 1_000, "商家转账 结清", "finance1");
        assertThat(ledger.owedFor(first.id())).isZero();
        assertThat(ledger.owedFor(second.id())).isZero();
        assertThat(given.task(first.id(), ProcessIds.Task.RECOVER_RECEIVABLE)).as("nothing left to recover").isNull();
        assertThat(given.task(second.id(), ProcessIds.Task.RECOVER_RECEIVABLE)).isNull();
        assertThat(given.deadlines(first.id())).doesNotContainKey("RECEIVABLE_RECOVERY");
        assertThat(given.deadlines(second.id())).doesNotContainKey("RECEIVABLE_RECOVERY");
        assertThat(history.createHistoricActivityInstanceQuery()
                .activityId(ProcessIds.Element.END_RECEIVABLE_CLEARED_ELSEWHERE).list())
                .extracting(a -> history.createHistoricProcessInstanceQuery().processInstanceId(a.getProcessInstanceId())
                        .singleResult().getBusinessKey())
                .contains(first.id(), second.id());
    }

    /**
     * 商家跑路: a merchant without any deposit vanishes, and a hundred buyers dispute their orders. Each dispute goes
     * straight to arbitration, waits out the merchant's 48 hours for proof, and is ruled for the buyer; each buyer is
     * refunded once, and the fund pays every refund first, with a receivable against the merchant and a recovery task
     * for finance per dispute. Finance then writes the hundred off: the platform's loss.
     */
    @Test
    void aVanishedMerchantsHundredDisputesArePaidFirstByTheFundWithAHundredReceivablesAndRecoveryTasks() {
        String merchant = "merchant-gone-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        long fundBefore = ledger.fundBalance();
        long lostBefore = ledger.writtenOff();
        record Claim(Caller buyer, String orderId, Dispute dispute) {
        }
        List<Claim> claims = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                Caller buyer = new Caller(merchant + "-buyer" + i, Set.of(Caller.CUSTOMERS));
                String order = given.orderOf(buyer.userId(), 1_000 + 10L * i);
                jdbc.sql("update sandbox_order set merchant_id = ? where order_id = ?").params(merchant, order).update();
                Dispute d = disputes.open(buyer, new DisputeService.OpenRequest(order, Reason.MERCHANT_VANISHED,
                        "商家失联，卡密无效", null), null).dispute();
                assertThat(d.status()).as("a vanished merchant: the platform steps in").isEqualTo(DisputeStatus.IN_ARBITRATION);
                claims.add(new Claim(buyer, order, d));
            }
            long total = claims.stream().mapToLong(c -> c.dispute().claimedAmountFen()).sum();

            Set<String> instances = claims.stream().map(c -> given.instance(c.dispute().id()).getId())
                    .collect(java.util.stream.Collectors.toSet());
            given.moveClock(Duration.ofHours(49)); // the merchant's 48 hours to bring proof pass in silence
            runDueJobsOf(instances);
            for (Claim c : claims) {
                given.completeAs("arbiter1", given.task(c.dispute().id(), ProcessIds.Task.ARBITRATE_DISPUTE), Map.of(
                        ProcessIds.Var.RULING, "REFUND_FULL", ProcessIds.Var.RULING_REASON, "商家失联，举证不能"));
            }
            runDueJobsOf(instances); // the refund requests, as the job executor would run them
            assertThat(given.settleRefunds()).as("one refund per dispute reaches the gateway").isEqualTo(100);
            for (Claim c : claims) {
                disputes.arrivalConfirmation(c.buyer(), c.dispute().id(), true, null);
            }
            assertThat(given.settleRefunds()).as("nothing is left to pay").isZero();

            for (Claim c : claims) {
                String id = c.dispute().id();
                assertThat(given.get(id).outcome()).isEqualTo(Outcome.REFUNDED);
                assertThat(refunds.of(id)).as("%s's buyer is refunded once", id).singleElement()
                        .satisfies(r -> assertThat(r.amountFen()).isEqualTo(c.dispute().claimedAmountFen()));
                assertThat(given.gatewayRefunds(c.orderId())).as("money moved once for %s", c.orderId()).isEqualTo(1);
                var settlement = ledger.ofDispute(id).orElseThrow();
                assertThat(settlement.bearer()).isEqualTo(Bearer.MERCHANT);
                assertThat(settlement.shortfallFen()).as("nothing on deposit to hold").isEqualTo(c.dispute().claimedAmountFen());
                assertThat(ledger.owedFor(id)).as("the receivable of %s", id).isEqualTo(c.dispute().claimedAmountFen());
            }
            assertThat(ledger.balances(merchant)).isEqualTo(new DepositLedger.Balances(merchant, 0, 0, total));
            assertThat(ledger.fundBalance()).as("the fund paid every refund first").isEqualTo(fundBefore - total);
            List<String> ids = claims.stream().map(c -> c.dispute().id()).toList();
            List<Task> recovery = tasks.createTaskQuery().taskDefinitionKey(ProcessIds.Task.RECOVER_RECEIVABLE)
                    .taskCandidateGroup(Caller.FINANCE).processInstanceBusinessKeyIn(ids.toArray(String[]::new)).list();
            assertThat(recovery).as("a recovery task for finance per receivable").hasSize(100);
            assertThat(jdbc.sql("select count(*) from notification_outbox where event = 'RECEIVABLE_RECORDED'"
                    + " and recipient = ?").param(merchant).query(Long.class).single())
                    .as("the merchant is told of each receivable").isEqualTo(100);

            for (Task task : recovery) {
                given.completeAs("finance1", task, Map.of(ProcessIds.Var.RECOVERY_DECISION, "WRITTEN_OFF",
                        ProcessIds.Var.RECOVERY_NOTE, "商家跑路，无可追偿财产"));
            }
            assertThat(ledger.balances(merchant).receivableFen()).isZero();
            assertThat(ledger.writtenOff()).as("the platform's loss").isEqualTo(lostBefore + total);
            assertThat(ledger.fundBalance()).isEqualTo(fundBefore - total);
            assertThat(tasks.createTaskQuery().taskDefinitionKey(ProcessIds.Task.RECOVER_RECEIVABLE)
                    .processInstanceBusinessKeyIn(ids.toArray(String[]::new)).count()).as("no task left open").isZero();
        } finally {
            org.camunda.bpm.engine.impl.util.ClockUtil.reset();
        }
    }

    /** Runs the due jobs of these process instances (one query a round for all of them), as the job executor would. */
    private void runDueJobsOf(Set<String> processInstances) {
        for (int round = 0; round < 10; round++) {
            List<org.camunda.bpm.engine.runtime.Job> due = engine.getManagementService().createJobQuery().executable()
                    .list().stream().filter(j -> processInstances.contains(j.getProcessInstanceId())).toList();
            if (due.isEmpty()) {
                return;
            }
            due.forEach(j -> engine.getManagementService().executeJob(j.getId()));
        }
        throw new IllegalStateException("jobs keep coming due");
    }

    /** merchant1 with {@code depositFen} on deposit loses a dispute of {@code claimedFen}: the fund pays the rest. */
    private Dispute shortfallOf(long depositFen, long claimedFen) {
        assertThat(ledger.balances("merchant1").depositFen()).as("merchant1 starts from an empty deposit").isZero();
        if (depositFen > 0) {
            ledger.topUp("merchant1", depositFen, "保证金", "finance1");
        }
        Dispute d = given.open(claimedFen, Reason.INVALID_CARD_KEY);
        disputes.merchantResponse(MERCHANT1, d.id(), new DisputeService.MerchantAnswer(
                DisputeService.MerchantDecision.ACCEPT, null, "同意退款", null));
        given.runDueJobs(d.id());
        assertThat(given.settleRefunds()).isEqualTo(1);
        disputes.arrivalConfirmation(BUYER1, d.id(), true, null);
        assertThat(given.get(d.id()).outcome()).isEqualTo(Outcome.REFUNDED);
        assertThat(ledger.balances("merchant1").depositFen()).isZero();
        return d;
    }

    private org.springframework.http.ResponseEntity<JsonNode> completeOverRest(String user, Task task,
            Map<String, Object> values) {
        Map<String, Object> variables = new LinkedHashMap<>();
        values.forEach((k, v) -> variables.put(k, Map.of("value", v)));
        return RestClient.builder().baseUrl("http://localhost:" + environment.getProperty("local.server.port"))
                .defaultStatusHandler(status -> true, (request, response) -> { }).build()
                .post().uri("/engine-rest/task/{id}/complete", task.getId()).headers(h -> h.setBasicAuth(user, "demo"))
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("variables", variables)).retrieve()
                .toEntity(JsonNode.class);
    }
}
