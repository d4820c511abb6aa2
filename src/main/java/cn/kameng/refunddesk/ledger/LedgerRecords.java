package cn.kameng.refunddesk.ledger;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.stereotype.Repository;

/** The tables ledger_account, ledger_transaction, ledger_entry and deposit_hold. */
@Repository
class LedgerRecords {

    /** What a dispute holds on its merchant's deposit. */
    record Hold(String disputeId, String merchantId, long claimedFen, long heldFen, long shortfallFen, String status,
            Bearer bearer) {
    }

    private final JdbcClient jdbc;
    private final boolean postgres;

    LedgerRecords(JdbcClient jdbc, DataSource dataSource) throws MetaDataAccessException {
        this.jdbc = jdbc;
        String product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
        this.postgres = product.toLowerCase(java.util.Locale.ROOT).contains("postgres");
    }

    /** The merchant's account of {@code kind}, created at 0 if absent, locked until the transaction ends. */
    long lockMerchantAccount(AccountKind kind, String merchantId) {
        String id = kind.of(merchantId);
        Optional<Long> balance = jdbc.sql("select balance_fen from ledger_account where id = ? for update").param(id)
                .query(Long.class).optional();
        if (balance.isPresent()) {
            return balance.get();
        }
        // Two disputes of a new merchant may create its account at once, and neither may fail: on PostgreSQL a
        // failed insert ends the whole transaction, so it skips the conflict; H2 carries on after a failed one.
        if (postgres) {
            jdbc.sql("insert into ledger_account (id, kind, merchant_id, balance_fen) values (?, ?, ?, 0)"
                    + " on conflict (id) do nothing").params(id, kind.name(), merchantId).update();
        } else {
            try {
                jdbc.sql("insert into ledger_account (id, kind, merchant_id, balance_fen) values (?, ?, ?, 0)")
                        .params(id, kind.name(), merchantId).update();
            } catch (DuplicateKeyException e) {
                // made by the other dispute a moment ago
            }
        }
        return jdbc.sql("select balance_fen from ledger_account where id = ? for update").param(id)
                .query(Long.class).single();
    }

    /** The merchant's balance of {@code kind} without locking; 0 when it has no such account yet. */
    long merchantBalance(AccountKind kind, String merchantId) {
        return jdbc.sql("select balance_fen from ledger_account where id = ?").param(kind.of(merchantId))
                .query(Long.class).optional().orElse(0L);
    }

    /** The balance as the sum of the account's entries (the platform's accounts; the check of the merchants'). */
    long sumOfEntries(String accountId) {
        return jdbc.sql("select coalesce(sum(amount_fen), 0) from ledger_entry where account_id = ?").param(accountId)
                .query(Long.class).single();
    }

    /** What the dispute's own transactions left on {@code accountId}: its advance less what was recovered or written off. */
    long sumOfDisputeEntries(String accountId, String disputeId) {
        return jdbc.sql("select coalesce(sum(e.amount_fen), 0) from ledger_entry e join ledger_transaction t"
                + " on t.id = e.transaction_id where e.account_id = ? and t.dispute_id = ?").params(accountId, disputeId)
                .query(Long.class).single();
    }

    /** The disputes named by the account's transactions, oldest first. */
    List<String> disputesWithEntries(String accountId) {
        return jdbc.sql("select t.dispute_id from ledger_entry e join ledger_transaction t on t.id = e.transaction_id"
                + " where e.account_id = ? and t.dispute_id is not null group by t.dispute_id order by min(t.created_at)")
                .param(accountId).query(String.class).list();
    }

    /** Writes one balanced transaction; merchant accounts' balances move with it (their rows are locked). */
    String post(String kind, String merchantId, String disputeId, String note, String by, Instant at,
            Map<String, Long> amounts) {
        long sum = amounts.values().stream().mapToLong(Long::longValue).sum();
        if (sum != 0) {
            throw new IllegalStateException("ledger transaction " + kind + " does not balance: " + amounts);
        }
        String id = "LTX-" + UUID.randomUUID();
        jdbc.sql("insert into ledger_transaction (id, kind, merchant_id, dispute_id, note, created_by, created_at)"
                + " values (?, ?, ?, ?, ?, ?, ?)").params(id, kind, merchantId, disputeId, note, by, Timestamp.from(at))
                .update();
        amounts.forEach((account, amount) -> {
            if (amount == 0) {
                return;
            }
            jdbc.sql("insert into ledger_entry (transaction_id, account_id, amount_fen) values (?, ?, ?)")
                    .params(id, account, amount).update();
            jdbc.sql("update ledger_account set balance_fen = balance_fen + ? where id = ? and balance_fen is not null")
                    .params(amount, account).update();
        });
        return id;
    }

    void insertHold(String disputeId, String merchantId, long claimed, long held, Instant at) {
        jdbc.sql("insert into deposit_hold (dispute_id, merchant_id, claimed_fen, held_fen, shortfall_fen, status,"
                + " created_at) values (?, ?, ?, ?, ?, 'HELD', ?)")
                .params(disputeId, merchantId, claimed, held, claimed - held, Timestamp.from(at)).update();
    }

    Optional<Hold> lockHold(String disputeId) {
        return jdbc.sql("select * from deposit_hold where dispute_id = ? for update").param(disputeId)
                .query(LedgerRecords::hold).optional();
    }

    Optional<Hold> hold(String disputeId) {
        return jdbc.sql("select * from deposit_hold where dispute_id = ?").param(disputeId)
                .query(LedgerRecords::hold).optional();
    }

    void closeHold(String disputeId, String status, Bearer bearer, Instant at) {
        jdbc.sql("update deposit_hold set status = ?, bearer = ?, held_fen = 0, settled_at = ? where dispute_id = ?")
                .params(status, bearer == null ? null : bearer.name(), Timestamp.from(at), disputeId).update();
    }

    /** A merchant's hold reopened for a refund ordered after its dispute closed: nothing is held any more. */
    void reopenHold(String disputeId) {
        jdbc.sql("update deposit_hold set status = 'HELD', bearer = null, settled_at = null where dispute_id = ?")
                .param(disputeId).update();
    }

    List<LedgerEntry> ofDispute(String disputeId) {
        return jdbc.sql(ENTRIES + " where t.dispute_id = ? order by e.id").param(disputeId).query(LedgerRecords::entry)
                .list();
    }

    /** The merchant's entries on its own accounts, newest first. */
    List<LedgerEntry> ofMerchant(String merchantId, int page, int size) {
        return jdbc.sql(ENTRIES + " where a.merchant_id = ? order by e.id desc limit ? offset ?")
                .params(merchantId, size, (long) page * size).query(LedgerRecords::entry).list();
    }

    List<String> accounts() {
        return jdbc.sql("select id from ledger_account order by id").query(String.class).list();
    }

    Optional<Long> storedBalance(String accountId) {
        return jdbc.sql("select balance_fen from ledger_account where id = ?").param(accountId)
                .query((rs, i) -> { long v = rs.getLong(1); return rs.wasNull() ? null : v; }).optional()
                .map(Optional::ofNullable).flatMap(o -> o);
    }

    /** Transactions whose entries do not sum to zero (none, if the ledger is sound). */
    List<String> unbalancedTransactions() {
        return jdbc.sql("select transaction_id from ledger_entry group by transaction_id having sum(amount_fen) <> 0")
                .query(String.class).list();
    }

    private static final String ENTRIES = """
            select e.id, e.transaction_id, t.kind, e.account_id, e.amount_fen, t.dispute_id, t.note, t.created_by,
              t.created_at from ledger_entry e join ledger_transaction t on t.id = e.transaction_id
              join ledger_account a on a.id = e.account_id""";

    private static LedgerEntry entry(ResultSet rs, int row) throws SQLException {
        return new LedgerEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getTimestamp(9).toInstant());
    }

    private static Hold hold(ResultSet rs, int row) throws SQLException {
        String bearer = rs.getString("bearer");
        return new Hold(rs.getString("dispute_id"), rs.getString("merchant_id"), rs.getLong("claimed_fen"),
                rs.getLong("held_fen"), rs.getLong("shortfall_fen"), rs.getString("status"),
                bearer == null ? null : Bearer.valueOf(bearer));
    }
}
