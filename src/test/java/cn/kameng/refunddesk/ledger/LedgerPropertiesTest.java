package cn.kameng.refunddesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;
import cn.kameng.refunddesk.process.DecisionTables;
import cn.kameng.refunddesk.process.ProcessIds;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random sequences of the ledger's movements over a few merchants: deposits topped up, disputes opened (their claim
 * held) and closed without a refund (released) or refunded (settled: from the hold, then the deposit, the rest paid
 * first by the fund as a receivable, or borne by the platform as processes/refund-bearer.dmn says), fund top-ups,
 * finance's recoveries (a lump sum, or against one dispute), write-offs and won merchant appeals (the deposit credited
 * back). Straight on the ledger service over H2 with the service's own Flyway migrations and the real DMN table; no
 * Spring context. A model of what each movement should do is kept beside it, and after every movement each merchant's
 * accounts are the model's; after every sequence:
 * <ul>
 * <li>every account's stored balance is the sum of its entries, and every transaction's entries sum to zero;</li>
 * <li>no deposit, held part or receivable is ever negative (the compensation fund may be: it pays first);</li>
 * <li>{@code FUND + Σ RECEIVABLE = funded − borne by the platform − written off}: what the fund was given, less what
 * it paid out for good (refunds the platform bears, deposits credited back and receivables cancelled after won
 * appeals, write-offs); what it paid first and is still owed counts as still the fund's;</li>
 * <li>{@code −FUND_ADVANCES = Σ RECEIVABLE + written off}: the fund's advances are what is still receivable plus
 * what was written off (a won appeal cancels its advance together with its receivable);</li>
 * <li>every movement but a top-up, a fund top-up and a lump-sum recovery names its dispute, and that dispute is the
 * merchant's; what a dispute holds and what it refunded are its own entries.</li>
 * </ul>
 */
class LedgerPropertiesTest {

    private static final List<String> MERCHANTS = List.of("m-a", "m-b", "m-c");

    private static HikariDataSource dataSource;
    private static JdbcClient jdbc;
    private static TransactionTemplate transaction;
    private static DepositLedger ledger;
    private static LedgerRecords records;
    private static long tries;

    @BeforeContainer
    static void database() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:ledger-properties-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        config.setMaximumPoolSize(2);
        dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = JdbcClient.create(dataSource);
        transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        records = new LedgerRecords(jdbc, dataSource);
        ledger = new DepositLedger(records, refundBearerTable(), event -> { }); // no task to end here
    }

    @AfterContainer
    static void close() {
        dataSource.close();
    }

    /** processes/refund-bearer.dmn as the engine evaluates it, on Camunda's DMN engine alone. */
    private static DecisionTables refundBearerTable() throws Exception {
        DmnEngine engine = DmnEngineConfiguration.createDefaultDmnEngineConfiguration().buildEngine();
        DmnDecision decision;
        try (InputStream dmn = LedgerPropertiesTest.class.getResourceAsStream("/processes/refund-bearer.dmn")) {
            decision = engine.parseDecision(ProcessIds.DECISION_REFUND_BEARER, dmn);
        }
        return new DecisionTables() {
            @Override
            public Optional<Map<String, Object>> single(String key, Map<String, Object> input) {
                assertThat(key).isEqualTo(ProcessIds.DECISION_REFUND_BEARER);
                var row = engine.evaluateDecisionTable(decision, input).getFirstResult();
                return Optional.ofNullable(row).map(r -> new LinkedHashMap<>(r.getEntryMap()));
            }

            @Override
            public List<Map<String, Object>> collect(String key, Map<String, Object> input) {
                throw new UnsupportedOperationException(key);
            }
        };
    }

    // ------------------------------------------------------------------ the movements

    /** One movement; the ints that pick a merchant or a dispute are taken modulo what there is when it runs. */
    sealed interface Step permits TopUp, FundTopUp, Open, Release, Settle, Recover, RecoverFor, WriteOff, AppealWon {
    }

    record TopUp(int merchant, long amountFen) implements Step {
    }

    record FundTopUp(long amountFen) implements Step {
    }

    record Open(int merchant, long claimedFen, Reason reason, boolean platformFault) implements Step {
    }

    record Release(int pick) implements Step {
    }

    /** Refunds {@code percent} of the claim (at least 1 fen). */
    record Settle(int pick, int percent) implements Step {
    }

    /** A lump sum the merchant paid back, against no dispute ({@code percent} of what it owes). */
    record Recover(int merchant, int percent) implements Step {
    }

    /** Finance's recovery task: {@code percent} of what is still owed for one settled dispute. */
    record RecoverFor(int pick, int percent) implements Step {
    }

    record WriteOff(int pick) implements Step {
    }

    /** The merchant's appeal of a settled refund was won: the fund bears it, the deposit is credited back. */
    record AppealWon(int pick) implements Step {
    }

    @Provide
    Arbitrary<List<Step>> movements() {
        Arbitrary<Integer> merchant = Arbitraries.integers().between(0, MERCHANTS.size() - 1);
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 1_000);
        Arbitrary<Integer> percent = Arbitraries.integers().between(1, 100);
        Arbitrary<Long> fen = Arbitraries.longs().between(1, 20_000);
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                Tuple.of(3, step(Combinators.combine(merchant, fen).as(TopUp::new))),
                Tuple.of(1, step(fen.map(FundTopUp::new))),
                Tuple.of(5, step(Combinators.combine(merchant, Arbitraries.longs().between(1, 10_000),
                        Arbitraries.of(Reason.INVALID_CARD_KEY, Reason.NOT_DELIVERED, Reason.MERCHANT_VANISHED,
                                Reason.DUPLICATE_CHARGE),
                        Arbitraries.integers().between(0, 3).map(i -> i == 0)).as(Open::new))),
                Tuple.of(2, step(pick.map(Release::new))),
                Tuple.of(4, step(Combinators.combine(pick, percent).as(Settle::new))),
                Tuple.of(1, step(Combinators.combine(merchant, percent).as(Recover::new))),
                Tuple.of(2, step(Combinators.combine(pick, percent).as(RecoverFor::new))),
                Tuple.of(1, step(pick.map(WriteOff::new))),
                Tuple.of(1, step(pick.map(AppealWon::new))));
        return step.list().ofMinSize(1).ofMaxSize(40);
    }

    private static Arbitrary<Step> step(Arbitrary<? extends Step> arbitrary) {
        return arbitrary.map(Step.class::cast);
    }

    @Property(tries = 150)
    void everyAccountIsTheSumOfItsEntriesAndTheFundAddsUp(@ForAll("movements") List<Step> steps) {
        Model model = new Model("t" + (++tries) + "-" + UUID.randomUUID().toString().substring(0, 6));
        for (Step step : steps) {
            model.apply(step);
            model.merchantsAgree();
        }
        model.everythingAddsUp();
    }

    // ------------------------------------------------------------------ the model

    /** What the ledger should hold for one sequence: its merchants are this sequence's own. */
    static final class Model {

        /** A dispute of the sequence: what it holds, and once settled what its merchant paid and owes for it. */
        static final class Case {
            final Dispute dispute;
            long held;
            String status = "HELD";
            long refunded;
            long paidByDeposit;
            long owed;

            Case(Dispute dispute, long held) {
                this.dispute = dispute;
                this.held = held;
            }
        }

        final String prefix;
        final Map<String, Long> deposit = new HashMap<>();
        final Map<String, Long> receivable = new HashMap<>();
        final List<Case> cases = new ArrayList<>();
        final long fundAtStart = records.sumOfEntries(AccountKind.FUND.name());
        final long advancesAtStart = records.sumOfEntries(AccountKind.FUND_ADVANCES.name());
        final long refundsAtStart = records.sumOfEntries(AccountKind.BUYER_REFUNDS.name());
        final long writtenOffAtStart = records.sumOfEntries(AccountKind.WRITTEN_OFF.name());
        long funded;
        long borneByPlatform;
        long writtenOff;
        long refunded;
        long fund;

        Model(String prefix) {
            this.prefix = prefix;
            merchants().forEach(m -> {
                deposit.put(m, 0L);
                receivable.put(m, 0L);
            });
        }

        List<String> merchants() {
            return MERCHANTS.stream().map(m -> prefix + "-" + m).toList();
        }

        String merchant(int i) {
            return merchants().get(i);
        }

        Optional<Case> pick(int pick, String status) {
            List<Case> candidates = cases.stream().filter(c -> c.status.equals(status)).toList();
            return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(pick % candidates.size()));
        }

        void apply(Step step) {
            if (step instanceof TopUp t) {
                String m = merchant(t.merchant());
                ledger.topUp(m, t.amountFen(), "保证金", "finance1");
                deposit.merge(m, t.amountFen(), Long::sum);
            } else if (step instanceof FundTopUp f) {
                ledger.topUpFund(f.amountFen(), "赔偿基金", "finance1");
                funded += f.amountFen();
                fund += f.amountFen();
            } else if (step instanceof Open o) {
                String m = merchant(o.merchant());
                Dispute d = dispute(m, o.claimedFen(), o.reason(), o.platformFault());
                transaction.executeWithoutResult(s -> ledger.hold(d));
                long held = Math.min(deposit.get(m), o.claimedFen());
                deposit.merge(m, -held, Long::sum);
                cases.add(new Case(d, held));
            } else if (step instanceof Release r) {
                pick(r.pick(), "HELD").ifPresent(c -> {
                    transaction.executeWithoutResult(s -> ledger.release(c.dispute.id()));
                    deposit.merge(c.dispute.merchantId(), c.held, Long::sum);
                    c.held = 0;
                    c.status = "RELEASED";
                });
            } else if (step instanceof Settle s) {
                pick(s.pick(), "HELD").ifPresent(c -> settle(c, s.percent()));
            } else if (step instanceof Recover r) {
                String m = merchant(r.merchant());
                long owes = receivable.get(m);
                if (owes > 0) {
                    long amount = Math.max(1, owes * r.percent() / 100);
                    ledger.recover(m, amount, "商家归还", "finance1");
                    receivable.merge(m, -amount, Long::sum);
                    fund += amount;
                }
            } else if (step instanceof RecoverFor r) {
                pick(r.pick(), "SETTLED").ifPresent(c -> {
                    long owedNow = owedFor(c);
                    assertThat(ledger.owedFor(c.dispute.id())).as("owed for %s", c.dispute.id()).isEqualTo(owedNow);
                    if (owedNow > 0) {
                        long amount = Math.max(1, owedNow * r.percent() / 100);
                        long left = transaction.execute(t -> ledger.decideRecovery(c.dispute.id(),
                                RecoveryDecision.RECOVERED, amount, "银行回单", "finance1"));
                        assertThat(left).isEqualTo(owedNow - amount);
                        c.owed -= amount;
                        receivable.merge(c.dispute.merchantId(), -amount, Long::sum);
                        fund += amount;
                    }
                });
            } else if (step instanceof WriteOff w) {
                pick(w.pick(), "SETTLED").ifPresent(c -> {
                    long owedNow = owedFor(c);
                    transaction.executeWithoutResult(t -> ledger.decideRecovery(c.dispute.id(),
                            RecoveryDecision.WRITTEN_OFF, null, "商家已注销", "finance1"));
                    c.owed -= owedNow;
                    receivable.merge(c.dispute.merchantId(), -owedNow, Long::sum);
                    writtenOff += owedNow;
                });
            } else if (step instanceof AppealWon a) {
                pick(a.pick(), "SETTLED").ifPresent(c -> {
                    long owedNow = owedFor(c);
                    transaction.executeWithoutResult(t -> ledger.creditBackAfterAppeal(c.dispute, "arbiter2"));
                    String m = c.dispute.merchantId();
                    deposit.merge(m, c.paidByDeposit, Long::sum);
                    fund -= c.paidByDeposit;
                    receivable.merge(m, -owedNow, Long::sum);
                    borneByPlatform += c.paidByDeposit + owedNow;
                    c.owed -= owedNow;
                    c.paidByDeposit = 0;
                });
            } else {
                throw new AssertionError(step);
            }
        }

        /** As DepositLedger.owedFor: this dispute's advance less what came back, never more than the merchant owes. */
        long owedFor(Case c) {
            return Math.min(receivable.get(c.dispute.merchantId()), c.owed);
        }

        void settle(Case c, int percent) {
            long amount = Math.max(1, c.dispute.claimedAmountFen() * percent / 100);
            DepositLedger.Settled settled = transaction.execute(t -> ledger.settle(c.dispute, amount));
            assertThat(settled.bearer()).as("refund-bearer.dmn: the platform's mistake is the platform's")
                    .isEqualTo(c.dispute.platformFault() ? Bearer.PLATFORM : Bearer.MERCHANT);
            String m = c.dispute.merchantId();
            long free = deposit.get(m);
            refunded += amount;
            c.refunded = amount;
            c.status = "SETTLED";
            if (settled.bearer() == Bearer.PLATFORM) {
                deposit.put(m, free + c.held);
                fund -= amount;
                borneByPlatform += amount;
            } else {
                long fromHold = Math.min(c.held, amount);
                long fromDeposit = Math.min(free, amount - fromHold);
                long advanced = amount - fromHold - fromDeposit;
                deposit.put(m, free + c.held - fromHold - fromDeposit);
                receivable.merge(m, advanced, Long::sum);
                fund -= advanced;
                c.paidByDeposit = fromHold + fromDeposit;
                c.owed = advanced;
                assertThat(settled.receivableFen()).as("what the fund paid first").isEqualTo(advanced);
            }
            c.held = 0;
        }

        /** A dispute row of the merchant (the ledger's foreign keys name it), as the intake would have stored it. */
        Dispute dispute(String merchant, long claimed, Reason reason, boolean platformFault) {
            String id = "DSP-P-" + UUID.randomUUID().toString().substring(0, 18);
            Instant now = Instant.now();
            jdbc.sql("""
                    insert into dispute (id, order_id, customer_id, merchant_id, reason, description, payment_channel,
                      product_category, paid_amount_fen, claimed_amount_fen, status, platform_fault, opened_at)
                    values (?, ?, 'buyer-p', ?, ?, 'property', 'ALIPAY', 'CARD_KEY', ?, ?, 'IN_ARBITRATION', ?, ?)""")
                    .params(id, "ORD-" + id, merchant, reason.name(), claimed, claimed, platformFault, Timestamp.from(now))
                    .update();
            return Dispute.builder().id(id).orderId("ORD-" + id).customerId("buyer-p").merchantId(merchant)
                    .reason(reason).description("property").paymentChannel(PaymentChannel.ALIPAY)
                    .productCategory(ProductCategory.CARD_KEY).paidAmountFen(claimed).claimedAmountFen(claimed)
                    .status(DisputeStatus.IN_ARBITRATION).platformFault(platformFault).openedAt(now).build();
        }

        /** Each merchant's free deposit, held part and receivable are the model's, and none is negative. */
        void merchantsAgree() {
            for (String m : merchants()) {
                long held = cases.stream().filter(c -> c.dispute.merchantId().equals(m)).mapToLong(c -> c.held).sum();
                assertThat(ledger.balances(m)).as("%s's balances", m)
                        .isEqualTo(new DepositLedger.Balances(m, deposit.get(m), held, receivable.get(m)));
                assertThat(deposit.get(m)).isNotNegative();
                assertThat(receivable.get(m)).isNotNegative();
            }
        }

        void everythingAddsUp() {
            assertThat(records.unbalancedTransactions()).as("transactions whose entries do not sum to zero").isEmpty();
            assertThat(jdbc.sql("""
                    select a.id from ledger_account a where a.balance_fen is not null and a.balance_fen <>
                      (select coalesce(sum(e.amount_fen), 0) from ledger_entry e where e.account_id = a.id)""")
                    .query(String.class).list()).as("accounts whose balance is not the sum of their entries").isEmpty();
            assertThat(jdbc.sql("select id from ledger_account where kind in ('DEPOSIT', 'HELD', 'RECEIVABLE')"
                    + " and balance_fen < 0").query(String.class).list()).as("negative merchant accounts").isEmpty();

            long fundNow = records.sumOfEntries(AccountKind.FUND.name());
            long receivables = merchants().stream().mapToLong(m -> records.merchantBalance(AccountKind.RECEIVABLE, m))
                    .sum();
            assertThat(fundNow - fundAtStart).as("the fund's movements").isEqualTo(fund);
            assertThat(fundNow - fundAtStart + receivables)
                    .as("the fund plus what it is owed: funded %d − borne by the platform %d − written off %d", funded,
                            borneByPlatform, writtenOff)
                    .isEqualTo(funded - borneByPlatform - writtenOff);
            assertThat(-(records.sumOfEntries(AccountKind.FUND_ADVANCES.name()) - advancesAtStart))
                    .as("the fund's advances are what is still receivable plus what was written off")
                    .isEqualTo(receivables + writtenOff);
            assertThat(records.sumOfEntries(AccountKind.WRITTEN_OFF.name()) - writtenOffAtStart).isEqualTo(writtenOff);
            assertThat(records.sumOfEntries(AccountKind.BUYER_REFUNDS.name()) - refundsAtStart)
                    .as("what buyers got back").isEqualTo(refunded);

            List<String> anonymous = jdbc.sql("""
                    select t.id || ' ' || t.kind from ledger_transaction t
                    where t.merchant_id like ? and t.kind not in ('TOP_UP', 'FUND_TOP_UP')
                      and not (t.kind = 'RECOVERY' and t.dispute_id is null and t.created_by = 'finance1'
                               and t.note = '商家归还')
                      and (t.dispute_id is null
                           or t.merchant_id <> (select d.merchant_id from dispute d where d.id = t.dispute_id))""")
                    .param(prefix + "-%").query(String.class).list();
            assertThat(anonymous).as("movements that do not name their merchant's dispute").isEmpty();
            for (Case c : cases) {
                String m = c.dispute.merchantId();
                assertThat(records.sumOfDisputeEntries(AccountKind.HELD.of(m), c.dispute.id()))
                        .as("what %s holds, from its own entries", c.dispute.id()).isEqualTo(c.held);
                assertThat(records.sumOfDisputeEntries(AccountKind.BUYER_REFUNDS.name(), c.dispute.id()))
                        .as("what %s refunded", c.dispute.id()).isEqualTo(c.refunded);
                assertThat(-records.sumOfDisputeEntries(AccountKind.DEPOSIT.of(m), c.dispute.id()))
                        .as("what %s's deposit paid for it or still holds", c.dispute.id())
                        .isEqualTo(c.paidByDeposit + c.held);
                assertThat(ledger.ofDispute(c.dispute.id()).orElseThrow().status()).isEqualTo(c.status);
            }
        }
    }
}
