package cn.kameng.refunddesk.ledger;

import java.time.Instant;

/** One line of a ledger transaction: an amount in fen on an account (the transaction's lines sum to zero). */
public record LedgerEntry(long id, String transactionId, String kind, String accountId, long amountFen,
        String disputeId, String note, String createdBy, Instant createdAt) {
}
