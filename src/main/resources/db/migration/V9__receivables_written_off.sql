-- What finance writes off of a receivable the merchant will never pay back (processes/receivable-recovery.bpmn):
-- the platform's loss. A write-off moves the receivable here in one balanced transaction, so that the fund's
-- advances stay equal to what is still receivable plus what was written off. See docs/adr/0052-deposit-ledger.md.
insert into ledger_account (id, kind, balance_fen) values ('WRITTEN_OFF', 'WRITTEN_OFF', null);
