-- UnionPay (UPACP 5.1.0) knows a transaction by merId + orderId + txnTime, and its query needs both
-- orderId and txnTime of the refund it asks about. The adapter writes them here, committed on its own,
-- before the first refund request for a key; every retry and query reuses them, so UnionPay sees one
-- refund per key. union_order_id is our idempotency key without its dashes (UnionPay allows 8-32
-- letters and digits only).
create table unionpay_refund_order (
    idempotency_key varchar(64)              primary key,
    union_order_id  varchar(32)              not null unique,
    txn_time        varchar(14)              not null,
    created_at      timestamp with time zone not null
);

-- The payment's own ID at its channel (UnionPay: the consumption's queryId, which a refund names as
-- origQryId). Sandbox orders only; production reads it from the platform's order records.
alter table sandbox_order add column payment_reference varchar(64);
