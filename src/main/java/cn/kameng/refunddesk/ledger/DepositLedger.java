package cn.kameng.refunddesk.ledger;

import static cn.kameng.refunddesk.ledger.AccountKind.BUYER_REFUNDS;
import static cn.kameng.refunddesk.ledger.AccountKind.DEPOSIT;
import static cn.kameng.refunddesk.ledger.AccountKind.FUND;
import static cn.kameng.refunddesk.ledger.AccountKind.FUND_ADVANCES;
import static cn.kameng.refunddesk.ledger.AccountKind.HELD;
import static cn.kameng.refunddesk.ledger.AccountKind.OUTSIDE;
import static cn.kameng.refunddesk.ledger.AccountKind.RECEIVABLE;
import static cn.kameng.refunddesk.ledger.AccountKind.WRITTEN_OFF;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.Journal;
import cn.kameng.refunddesk.dispute.Money;
import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.process.DecisionTables;
import cn.kameng.refunddesk.process.ProcessIds;

/**
 * The merchants' deposits (保证金) and the platform's compensation fund, double-entry in integer fen. While a
 * dispute is open its claimed amount is held on the merchant's deposit (what is there; the rest is recorded as
 * a shortfall, never a negative balance). When it closes the hold is released, or, for a refund, turned into
 * the debit that pays for it: processes/refund-bearer.dmn says whose money it is, and what a merchant's deposit
 * cannot cover the fund pays first (先行赔付) and records as a receivable against the merchant. The buyer's
 * refund itself never waits for any of this: it is the exactly-once refund of refund/. Who bore it is said on
 * the dispute's closing line, which both parties are sent.
 */
@Service
public class DepositLedger {

    /** A merchant's position: what is free, what its open disputes hold, and what it owes the fund. */
    public record Balances(String merchantId, long depositFen, long heldFen, long receivableFen) {
    }

    /** A merchant's deposit statement: balances and a page of entries, newest first. */
    public record Statement(Balances balances, List<LedgerEntry> entries, int page, int size) {
    }

    /**
     * Who bore a refund, and the sentence that says so on the dispute's closing line; {@code receivableFen} is what
     * the fund paid first and is owed back by the merchant (0 when the deposit covered it or the platform bore it).
     */
    public record Settled(Bearer bearer, String message, long receivableFen) {
    }

    /** What a dispute held and who bore its refund, with its entries. */
    public record DisputeSettlement(long claimedFen, long heldFen, long shortfallFen, String status, Bearer bearer,
            List<LedgerEntry> entries) {
    }

    private static final Logger log = LoggerFactory.getLogger(DepositLedger.class);

    /**
     * Published in the transaction of a recovery recorded by the merchant's account (finance's, the platform's
     * RECEIVABLE_PAID) that leaves the merchant owing nothing: {@code disputeIds} are the disputes whose advances it
     * owed, whose recovery tasks have nothing left to recover.
     */
    public record ReceivableCleared(String merchantId, List<String> disputeIds) {
        public ReceivableCleared {
            disputeIds = List.copyOf(disputeIds);
        }
    }

    private final LedgerRecords records;
    private final DecisionTables decisions;
    private final org.springframework.context.ApplicationEventPublisher events;

    DepositLedger(LedgerRecords records, DecisionTables decisions,
            org.springframework.context.ApplicationEventPublisher events) {
        this.records = records;
        this.decisions = decisions;
        this.events = events;
    }

    /** A dispute was opened: its claimed amount is held on the merchant's deposit, as far as the deposit goes. */
    public void hold(Dispute d) {
        String m = d.merchantId();
        long held = 0;
        // a merchant without a deposit (most, and every benchmark one) costs one read and locks nothing
        if (records.merchantBalance(DEPOSIT, m) > 0) {
            long available = records.lockMerchantAccount(DEPOSIT, m);
            records.lockMerchantAccount(HELD, m);
            held = Math.min(available, d.claimedAmountFen());
            records.post("HOLD", m, d.id(), "冻结争议申请金额", Journal.SYSTEM, ServiceClock.now(),
                    amounts(DEPOSIT.of(m), -held, HELD.of(m), held));
        }
        records.insertHold(d.id(), m, d.claimedAmountFen(), held, ServiceClock.now());
    }

    /** The dispute closed without a refund: whatever it held is free again. */
    public void release(String disputeId) {
        records.lockHold(disputeId).filter(h -> "HELD".equals(h.status())).ifPresent(h -> {
            if (h.heldFen() > 0) {
                records.lockMerchantAccount(DEPOSIT, h.merchantId());
                records.lockMerchantAccount(HELD, h.merchantId());
                records.post("RELEASE", h.merchantId(), disputeId, "争议结束，解除冻结", Journal.SYSTEM,
                        ServiceClock.now(), amounts(HELD.of(h.merchantId()), -h.heldFen(), DEPOSIT.of(h.merchantId()),
                                h.heldFen()));
            }
            records.closeHold(disputeId, "RELEASED", null, ServiceClock.now());
        });
    }

    /**
     * The dispute closed refunded {@code refundedFen}: the hold becomes the debit that pays for it (the rest of
     * the hold is released), or the fund pays, as processes/refund-bearer.dmn says. Once per dispute.
     */
    public Settled settle(Dispute d, long refundedFen) {
        String m = d.merchantId();
        var hold = records.lockHold(d.id());
        if (hold.isPresent() && "SETTLED".equals(hold.get().status())) {
            log.warn("Dispute {} was settled on the ledger already; its refund is not debited twice", d.id());
            return new Settled(hold.get().bearer(), "", 0);
        }
        if (hold.isEmpty()) { // opened before the ledger existed
            records.insertHold(d.id(), m, d.claimedAmountFen(), 0, ServiceClock.now());
        }
        long held = hold.map(LedgerRecords.Hold::heldFen).orElse(0L);
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("platformFault", d.platformFault());
        input.put("reason", d.reason().name());
        input.put("merchantReply", d.merchantDecision() == null ? null : d.merchantDecision().name());
        Map<String, Object> answer = decisions.single(ProcessIds.DECISION_REFUND_BEARER, input)
                .orElseThrow(() -> new IllegalStateException("the refund-bearer decision gave no answer for " + input));
        Bearer bearer = Bearer.valueOf((String) answer.get("bearer"));
        long deposit = records.lockMerchantAccount(DEPOSIT, m);
        records.lockMerchantAccount(HELD, m);
        Map<String, Long> amounts = new LinkedHashMap<>();
        amounts.put(BUYER_REFUNDS.of(m), refundedFen);
        amounts.put(HELD.of(m), -held);
        String message;
        long advanced = 0;
        if (bearer == Bearer.PLATFORM) {
            amounts.put(DEPOSIT.of(m), held);
            amounts.put(FUND.of(m), -refundedFen);
            message = "退款 " + Money.yuan(refundedFen) + " 由平台赔偿基金承担：" + answer.get("explanation");
        } else {
            long fromHold = Math.min(held, refundedFen);
            long fromDeposit = Math.min(deposit, refundedFen - fromHold);
            advanced = refundedFen - fromHold - fromDeposit;
            amounts.put(DEPOSIT.of(m), held - fromHold - fromDeposit);
            amounts.put(FUND.of(m), -advanced);
            if (advanced > 0) {
                records.lockMerchantAccount(RECEIVABLE, m);
                amounts.put(RECEIVABLE.of(m), advanced);
                amounts.put(FUND_ADVANCES.of(m), -advanced);
            }
            message = "退款 " + Money.yuan(refundedFen) + " 由商家保证金承担 " + Money.yuan(fromHold + fromDeposit)
                    + (advanced > 0 ? "；保证金不足，平台先行赔付 " + Money.yuan(advanced) + "，已记商家应付款待追偿" : "")
                    + "。";
        }
        records.post("REFUND_SETTLED", m, d.id(), message, Journal.SYSTEM, ServiceClock.now(), amounts);
        records.closeHold(d.id(), "SETTLED", bearer, ServiceClock.now());
        return new Settled(bearer, message, advanced);
    }

    /**
     * The merchant's appeal of the ruling that refunded the buyer was upheld in its favour (docs/adr/0065-appeal.md): the
     * compensation fund bears the refund instead. The buyer keeps the money. When the refund was already settled on
     * the merchant's deposit, what the deposit paid is credited back from the fund and what the fund advanced and
     * the merchant still owes for this dispute is cancelled, in one balanced transaction naming the dispute; while
     * the refund is still under way, {@code platformBears} (the dispute marked platform-at-fault) makes the
     * settlement charge the fund (refund-bearer.dmn). Answers the sentence for the dispute's timeline.
     */
    public String creditBackAfterAppeal(Dispute d, String by) {
        var hold = records.lockHold(d.id());
        if (hold.isEmpty() || !"SETTLED".equals(hold.get().status())) {
            return "退款结算时由平台赔偿基金承担，不从商家保证金扣除。";
        }
        String m = d.merchantId();
        records.lockMerchantAccount(DEPOSIT, m);
        records.lockMerchantAccount(RECEIVABLE, m);
        long paidByDeposit = -records.sumOfDisputeEntries(DEPOSIT.of(m), d.id());
        long owed = owedFor(d.id());
        if (paidByDeposit <= 0 && owed <= 0) {
            records.closeHold(d.id(), "SETTLED", Bearer.PLATFORM, ServiceClock.now());
            return "该退款未从商家保证金扣除，无需退回。";
        }
        String message = "申诉成立：退回商家保证金 " + Money.yuan(Math.max(paidByDeposit, 0))
                + (owed > 0 ? "，撤销商家就此争议的应付款 " + Money.yuan(owed) : "") + "，退款由平台赔偿基金承担。";
        Map<String, Long> amounts = new LinkedHashMap<>();
        amounts.put(DEPOSIT.of(m), Math.max(paidByDeposit, 0));
        amounts.put(FUND.of(m), -Math.max(paidByDeposit, 0));
        amounts.put(RECEIVABLE.of(m), -owed);
        amounts.put(FUND_ADVANCES.of(m), owed);
        records.post("APPEAL_CREDIT", m, d.id(), message, by, ServiceClock.now(), amounts);
        records.closeHold(d.id(), "SETTLED", Bearer.PLATFORM, ServiceClock.now());
        return message;
    }

    /** Finance records a merchant's deposit (or top-up) that arrived from the platform's accounts. */
    @Transactional
    public Statement topUp(String merchantId, long amountFen, String note, String by) {
        requirePositive(amountFen);
        records.lockMerchantAccount(DEPOSIT, merchantId);
        records.post("TOP_UP", merchantId, null, note, by, ServiceClock.now(),
                amounts(OUTSIDE.of(merchantId), -amountFen, DEPOSIT.of(merchantId), amountFen));
        return statement(merchantId, 0, 20);
    }

    /** Finance records what a merchant paid back of what the fund advanced for it. */
    @Transactional
    public Statement recover(String merchantId, long amountFen, String note, String by) {
        requirePositive(amountFen);
        long owed = records.lockMerchantAccount(RECEIVABLE, merchantId);
        if (amountFen > owed) {
            throw BadInput.field("amountFen", "must not exceed the " + owed + " fen merchant " + merchantId + " owes");
        }
        postRecovery(merchantId, null, amountFen, note, by);
        if (amountFen == owed) {
            events.publishEvent(new ReceivableCleared(merchantId, records.disputesWithEntries(RECEIVABLE.of(merchantId))));
        }
        return statement(merchantId, 0, 20);
    }

    /**
     * What the merchant still owes for this dispute's advance: the advance less what was recovered or written off
     * naming the dispute, and never more than the merchant owes in all (a recovery recorded without a dispute
     * counts against every one of its receivables).
     */
    public long owedFor(String disputeId) {
        return records.hold(disputeId).map(h -> Math.min(records.merchantBalance(RECEIVABLE, h.merchantId()),
                records.sumOfDisputeEntries(RECEIVABLE.of(h.merchantId()), disputeId))).orElse(0L);
    }

    /** The merchant the dispute's hold names (its receivable's merchant). */
    public java.util.Optional<String> merchantOf(String disputeId) {
        return records.hold(disputeId).map(LedgerRecords.Hold::merchantId);
    }

    /**
     * Completion of recoverReceivable: finance recorded a recovery of {@code amountFen}, or wrote off what is left
     * with a reason (moved to the platform's loss, WRITTEN_OFF, in one balanced transaction: never without
     * entries). Refused with a sentence (the form's 400) when the amount is missing or above what is owed, or a
     * write-off has no reason. Answers what is still owed for the dispute afterwards.
     */
    public long decideRecovery(String disputeId, RecoveryDecision decision, Long amountFen, String note, String by) {
        if (decision == null) {
            throw new IllegalArgumentException("recoveryDecision must be RECOVERED or WRITTEN_OFF");
        }
        String m = merchantOf(disputeId)
                .orElseThrow(() -> new IllegalStateException("dispute " + disputeId + " has no deposit hold"));
        records.lockMerchantAccount(RECEIVABLE, m);
        long owed = owedFor(disputeId);
        if (decision == RecoveryDecision.RECOVERED) {
            if (amountFen == null || amountFen <= 0) {
                throw new IllegalArgumentException("请填写追回金额 (recoveredAmountFen must be a positive number of fen)");
            }
            if (amountFen > owed) {
                throw new IllegalArgumentException("追回金额不能超过商家就此争议尚欠的 " + Money.yuan(owed) + "（" + owed
                        + " 分）(recoveredAmountFen must not exceed the " + owed + " fen owed)");
            }
            postRecovery(m, disputeId, amountFen, note == null || note.isBlank() ? "商家归还先行赔付款" : note, by);
            return owed - amountFen;
        }
        if (note == null || note.isBlank()) {
            throw new IllegalArgumentException("请填写核销理由 (recoveryNote is required to write a receivable off)");
        }
        if (owed > 0) {
            records.post("WRITE_OFF", m, disputeId, note, by, ServiceClock.now(),
                    amounts(RECEIVABLE.of(m), -owed, WRITTEN_OFF.of(m), owed));
        }
        return 0;
    }

    /** What the platform wrote off in all: its loss on receivables. */
    public long writtenOff() {
        return records.sumOfEntries(WRITTEN_OFF.name());
    }

    private void postRecovery(String merchantId, String disputeId, long amountFen, String note, String by) {
        Map<String, Long> amounts = new LinkedHashMap<>();
        amounts.put(OUTSIDE.of(merchantId), -amountFen);
        amounts.put(FUND.of(merchantId), amountFen);
        amounts.put(RECEIVABLE.of(merchantId), -amountFen);
        amounts.put(FUND_ADVANCES.of(merchantId), amountFen);
        records.post("RECOVERY", merchantId, disputeId, note, by, ServiceClock.now(), amounts);
    }

    /** A movement into the compensation fund, as recorded, with the fund's balance after it. */
    public record FundTopUp(String transactionId, long amountFen, String note, long balanceFen) {
    }

    /** Finance puts money into the platform's compensation fund. */
    @Transactional
    public FundTopUp topUpFund(long amountFen, String note, String by) {
        requirePositive(amountFen);
        String id = records.post("FUND_TOP_UP", null, null, note, by, ServiceClock.now(),
                amounts(OUTSIDE.name(), -amountFen, FUND.name(), amountFen));
        return new FundTopUp(id, amountFen, note, records.sumOfEntries(FUND.name()));
    }

    @Transactional(readOnly = true)
    public Statement statement(String merchantId, int page, int size) {
        return new Statement(balances(merchantId), records.ofMerchant(merchantId, page, size), page, size);
    }

    public Balances balances(String merchantId) {
        return new Balances(merchantId, records.merchantBalance(DEPOSIT, merchantId),
                records.merchantBalance(HELD, merchantId), records.merchantBalance(RECEIVABLE, merchantId));
    }

    /** The fund's balance: what it was given and recovered, less what it paid. */
    public long fundBalance() {
        return records.sumOfEntries(FUND.name());
    }

    public java.util.Optional<DisputeSettlement> ofDispute(String disputeId) {
        return records.hold(disputeId).map(h -> new DisputeSettlement(h.claimedFen(), h.heldFen(), h.shortfallFen(),
                h.status(), h.bearer(), records.ofDispute(disputeId)));
    }

    private static void requirePositive(long amountFen) {
        if (amountFen <= 0) {
            throw BadInput.field("amountFen", "must be a positive number of fen");
        }
    }

    private static Map<String, Long> amounts(String a, long x, String b, long y) {
        Map<String, Long> amounts = new LinkedHashMap<>();
        amounts.put(a, x);
        amounts.put(b, y);
        return amounts;
    }
}
