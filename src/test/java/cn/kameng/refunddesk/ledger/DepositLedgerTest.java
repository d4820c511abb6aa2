package cn.kameng.refunddesk.ledger;

import static cn.kameng.refunddesk.support.TestDisputes.BUYER1;
import static cn.kameng.refunddesk.support.TestDisputes.MERCHANT1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;

import com.fasterxml.jackson.databind.JsonNode;

import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.Outcome;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService;

/**
 * The merchant's deposit holds what an open dispute claims and pays the refund it ends in; what the deposit
 * cannot cover the compensation fund pays first and recovers. After every scenario every account agrees with
 * its entries and every transaction balances.
 */
@DisputeServiceTest
class DepositLedgerTest {

    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired DepositLedger ledger;
    @Autowired LedgerRecords records;
    @Autowired JdbcClient jdbc;
    @Autowired TransactionTemplate transaction;
    @Autowired Environment environment;
    @Autowired org.camunda.bpm.engine.TaskService tasks;
    @Autowired org.camunda.bpm.engine.IdentityService identity;

    @AfterEach
    void everyAccountIsTheSumOfItsEntries() {
        assertThat(records.unbalancedTransactions()).as("transactions whose entries do not sum to zero").isEmpty();
        for (String account : records.accounts()) {
            records.storedBalance(account).ifPresent(stored -> assertThat(stored)
                    .as("balance of %s against its entries", account).isEqualTo(records.sumOfEntries(account)));
        }
        long receivables = jdbc.sql("select coalesce(sum(balance_fen), 0) from ledger_account where kind = 'RECEIVABLE'")
                .query(Long.class).single();
        assertThat(receivables + ledger.writtenOff()).as("the fund's advances are what is still receivable plus written off")
                .isEqualTo(-records.sumOfEntries(AccountKind.FUND_ADVANCES.name()));
        // merchant1 is every test's merchant: start the next test from an empty deposit
        var b = ledger.balances("merchant1");
        assertThat(b.heldFen()).as("nothing stays held once this test's disputes closed or were released").isZero();
    }

    @Test
    void aDisputeHoldsItsClaimOnTheDepositAndTheRefundIsDebitedFromIt() {
        long before = ledger.balances("merchant1").depositFen();
        ledger.topUp("merchant1", 10_000, "保证金", "finance1");
        Dispute d = given.open(2_500, Reason.INVALID_CARD_KEY);

        assertThat(ledger.balances("merchant1")).isEqualTo(new DepositLedger.Balances("merchant1", before + 7_500,
                2_500, ledger.balances("merchant1").receivableFen()));
        assertThat(ledger.ofDispute(d.id()).orElseThrow().heldFen()).isEqualTo(2_500);

        refundedInFull(d);

        var settled = ledger.ofDispute(d.id()).orElseThrow();
        assertThat(settled.status()).isEqualTo("SETTLED");
        assertThat(settled.bearer()).isEqualTo(Bearer.MERCHANT);
        assertThat(ledger.balances("merchant1").depositFen()).isEqualTo(before + 7_500);
        assertThat(ledger.balances("merchant1").heldFen()).isZero();
        assertThat(settled.entries()).extracting(LedgerEntry::kind, LedgerEntry::accountId, LedgerEntry::amountFen)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("HOLD", "DEPOSIT:merchant1", -2_500L),
                        org.assertj.core.groups.Tuple.tuple("HOLD", "HELD:merchant1", 2_500L),
                        org.assertj.core.groups.Tuple.tuple("REFUND_SETTLED", "BUYER_REFUNDS", 2_500L),
                        org.assertj.core.groups.Tuple.tuple("REFUND_SETTLED", "HELD:merchant1", -2_500L));
        assertThat(given.timelineMessages(d.id())).last().asString().contains("由商家保证金承担 ¥25.00");
        drain("merchant1");
    }

    @Test
    void whatTheDepositCannotCoverTheFundPaysFirstAndRecordsAReceivable() {
        ledger.topUp("merchant1", 1_000, "保证金", "finance1");
        long fundBefore = ledger.fundBalance();
        long owedBefore = ledger.balances("merchant1").receivableFen();
        Dispute d = given.open(2_500, Reason.INVALID_CARD_KEY);
        var hold = ledger.ofDispute(d.id()).orElseThrow();
        assertThat(hold.heldFen()).isEqualTo(1_000);
        assertThat(hold.shortfallFen()).as("recorded, never a negative deposit").isEqualTo(1_500);

        refundedInFull(d);

        assertThat(ledger.balances("merchant1").depositFen()).isZero();
        assertThat(ledger.fundBalance()).isEqualTo(fundBefore - 1_500);
        assertThat(ledger.balances("merchant1").receivableFen()).isEqualTo(owedBefore + 1_500);
        assertThat(given.timelineMessages(d.id())).last().asString().contains("平台先行赔付 ¥15.00");

        assertThatThrownBy(() -> ledger.recover("merchant1", owedBefore + 1_501, "多收", "finance1"))
                .isInstanceOf(BadInput.class).hasMessageContaining("amountFen");
        var task = given.task(d.id(), cn.kameng.refunddesk.process.ProcessIds.Task.RECOVER_RECEIVABLE);
        assertThat(task).as("finance's recovery task (ReceivableRecoveryTest)").isNotNull();
        identity.setAuthentication("finance1", List.of("finance"));
        try {
            tasks.complete(task.getId(), Map.of(cn.kameng.refunddesk.process.ProcessIds.Var.RECOVERY_DECISION, "RECOVERED",
                    cn.kameng.refunddesk.process.ProcessIds.Var.RECOVERED_AMOUNT_FEN, 1_500L));
        } finally {
            identity.clearAuthentication();
        }
        if (owedBefore > 0) {
            ledger.recover("merchant1", owedBefore, "商家补缴", "finance1");
        }
        assertThat(ledger.balances("merchant1").receivableFen()).isZero();
        assertThat(ledger.fundBalance()).isEqualTo(fundBefore + owedBefore);
    }

    @Test
    void aDisputeClosedWithoutARefundReleasesItsHold() {
        ledger.topUp("merchant1", 3_000, "保证金", "finance1");
        long free = ledger.balances("merchant1").depositFen();
        Dispute d = given.open(2_500, Reason.INVALID_CARD_KEY);
        assertThat(ledger.balances("merchant1").depositFen()).isEqualTo(free - 2_500);

        disputes.withdrawal(BUYER1, d.id(), "已和商家协商");
        given.runDueJobs(d.id());

        assertThat(given.get(d.id()).outcome()).isEqualTo(Outcome.WITHDRAWN);
        assertThat(ledger.ofDispute(d.id()).orElseThrow().status()).isEqualTo("RELEASED");
        assertThat(ledger.balances("merchant1").depositFen()).isEqualTo(free);
        drain("merchant1");
    }

    @Test
    void thePlatformsOwnMistakeIsBorneByTheFundNotTheMerchant() {
        ledger.topUp("merchant1", 5_000, "保证金", "finance1");
        long deposit = ledger.balances("merchant1").depositFen();
        long fund = ledger.fundBalance();
        Dispute d = given.open(2_000, Reason.DUPLICATE_CHARGE); // eligibility: PLATFORM_REFUND
        given.runDueJobs(d.id());
        assertThat(given.settleRefunds()).isEqualTo(1);
        disputes.arrivalConfirmation(BUYER1, d.id(), true, null);

        assertThat(given.get(d.id()).outcome()).isEqualTo(Outcome.REFUNDED);
        assertThat(ledger.ofDispute(d.id()).orElseThrow().bearer()).isEqualTo(Bearer.PLATFORM);
        assertThat(ledger.balances("merchant1").depositFen()).isEqualTo(deposit);
        assertThat(ledger.fundBalance()).isEqualTo(fund - 2_000);
        drain("merchant1");
    }

    @Test
    void financeTopsUpAndTheMerchantReadsItsOwnStatementOnly() {
        var topUp = api("finance1").post().uri("/api/v1/merchant-deposits/merchant2/top-ups")
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body(Map.of("amountFen", 5_000, "note", "首次缴纳")).retrieve().toEntity(JsonNode.class);
        assertThat(topUp.getStatusCode().value()).isEqualTo(200);
        assertThat(topUp.getBody().at("/balances/depositFen").asLong()).isGreaterThanOrEqualTo(5_000);

        assertThat(api("merchant2").get().uri("/api/v1/merchant-deposits/merchant2").retrieve().toEntity(JsonNode.class)
                .getBody().at("/entries/0/kind").asText()).isEqualTo("TOP_UP");
        assertThat(api("merchant1").get().uri("/api/v1/merchant-deposits/merchant2").retrieve().toEntity(JsonNode.class)
                .getStatusCode().value()).isEqualTo(403);
        assertThat(api("merchant2").post().uri("/api/v1/merchant-deposits/merchant2/top-ups")
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).body(Map.of("amountFen", 5_000))
                .retrieve().toEntity(JsonNode.class).getStatusCode().value()).as("a merchant records no deposit").isEqualTo(403);
        assertThat(api("finance1").post().uri("/api/v1/merchant-deposits/merchant2/top-ups")
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).body(Map.of("amountFen", -5))
                .retrieve().toEntity(JsonNode.class).getStatusCode().value()).isEqualTo(400);
    }

    /**
     * Random sequences of top-ups, disputes held, released and settled, fund top-ups and recoveries, straight on
     * the ledger: the checks after each test find every account equal to its entries, and the deposit and held
     * parts never negative (the table refuses it).
     */
    @RepeatedTest(5)
    void randomMovementsKeepEveryAccountEqualToItsEntries(org.junit.jupiter.api.RepetitionInfo repetition) {
        Random random = new Random(20261203L + repetition.getCurrentRepetition());
        String merchant = "merchant-prop-" + repetition.getCurrentRepetition();
        List<Dispute> open = new java.util.ArrayList<>();
        long refundedByMerchant = 0;
        for (int step = 0; step < 40; step++) {
            switch (random.nextInt(6)) {
                case 0 -> ledger.topUp(merchant, 1 + random.nextInt(5_000), "top-up", "finance1");
                case 1 -> ledger.topUpFund(1 + random.nextInt(5_000), "fund", "finance1");
                case 2 -> open.add(transaction.execute(s -> {
                    Dispute d = aDisputeOf(merchant, 1 + random.nextInt(4_000));
                    ledger.hold(d);
                    return d;
                }));
                case 3 -> {
                    if (!open.isEmpty()) {
                        String id = open.remove(random.nextInt(open.size())).id();
                        transaction.executeWithoutResult(s -> ledger.release(id));
                    }
                }
                case 4 -> {
                    if (!open.isEmpty()) {
                        Dispute d = open.remove(random.nextInt(open.size()));
                        long refunded = 1 + random.nextInt((int) d.claimedAmountFen());
                        refundedByMerchant += refunded;
                        transaction.executeWithoutResult(s -> ledger.settle(d, refunded));
                    }
                }
                default -> {
                    long owed = ledger.balances(merchant).receivableFen();
                    if (owed > 0) {
                        ledger.recover(merchant, 1 + random.nextInt((int) Math.min(owed, Integer.MAX_VALUE - 1)),
                                "recovery", "finance1");
                    }
                }
            }
            var b = ledger.balances(merchant);
            assertThat(b.depositFen()).isNotNegative();
            assertThat(b.heldFen()).isNotNegative();
            assertThat(b.receivableFen()).isNotNegative();
        }
        long stillHeld = open.stream().mapToLong(d -> ledger.ofDispute(d.id()).orElseThrow().heldFen()).sum();
        assertThat(ledger.balances(merchant).heldFen()).as("held is what the open disputes hold").isEqualTo(stillHeld);
        open.forEach(d -> transaction.executeWithoutResult(s -> ledger.release(d.id())));
        assertThat(refundedByMerchant).isNotNegative();
    }

    /** A dispute row of another merchant, for the ledger alone (no process). */
    private Dispute aDisputeOf(String merchant, long claimed) {
        Dispute base = given.get(given.open(claimed, Reason.NOT_DELIVERED).id());
        disputes.withdrawal(BUYER1, base.id(), "ledger property test");
        given.runDueJobs(base.id());
        jdbc.sql("update dispute set merchant_id = ? where id = ?").params(merchant, base.id()).update();
        jdbc.sql("delete from deposit_hold where dispute_id = ?").param(base.id()).update();
        return given.get(base.id());
    }

    private void refundedInFull(Dispute d) {
        disputes.merchantResponse(MERCHANT1, d.id(), new DisputeService.MerchantAnswer(
                DisputeService.MerchantDecision.ACCEPT, null, "同意退款", null));
        given.runDueJobs(d.id());
        assertThat(given.settleRefunds()).isEqualTo(1);
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);
        disputes.arrivalConfirmation(BUYER1, d.id(), true, null);
        assertThat(given.get(d.id()).outcome()).isEqualTo(Outcome.REFUNDED);
    }

    /** Other tests of this context open merchant1's disputes: leave its deposit empty again. */
    private void drain(String merchant) {
        long free = ledger.balances(merchant).depositFen();
        if (free > 0) {
            transaction.executeWithoutResult(s -> {
                records.lockMerchantAccount(AccountKind.DEPOSIT, merchant);
                records.post("TEST_WITHDRAWAL", merchant, null, "test clean-up", "test", cn.kameng.refunddesk.dispute.ServiceClock.now(),
                        new java.util.LinkedHashMap<>(Map.of(AccountKind.DEPOSIT.of(merchant), -free, AccountKind.OUTSIDE.name(), free)));
            });
        }
    }

    private RestClient api(String user) {
        return RestClient.builder().baseUrl("http://localhost:" + environment.getProperty("local.server.port"))
                .defaultHeaders(h -> h.setBasicAuth(user, "demo"))
                .defaultStatusHandler(status -> true, (request, response) -> { }).build();
    }
}
