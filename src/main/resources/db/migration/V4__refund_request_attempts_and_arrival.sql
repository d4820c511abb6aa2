-- Every time a refund is sent to its gateway, committed on its own before the call: a later attempt
-- (the job retried after a timeout or a 5xx) then knows the gateway may already hold the refund and
-- queries it before sending the request again. No foreign key: the row is written while the
-- request's transaction holds the refund row locked.
create table refund_request_attempt (
    idempotency_key varchar(64)              not null,
    attempted_at    timestamp with time zone not null
);
create index ix_refund_request_attempt_key on refund_request_attempt (idempotency_key);

-- Where the money went after the gateway said it was refunded, in words (e.g. Alipay deposit_back_info:
-- expected at the bank by 2026-12-03, or the bank card refused it and it went to the buyer's balance).
alter table refund add column arrival_note varchar(500);
