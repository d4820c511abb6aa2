-- Money movements recorded at most once per request (issue 15): finance's top-ups and recoveries under an
-- Idempotency-Key, and the platform's deposit events under their event id. The row is written in the same
-- transaction as the movement; a repeat answers the stored answer and moves nothing. See docs/adr/0060.
create table ledger_request (
    request_key    varchar(200)  primary key,  -- <scope>:<key>, e.g. platform-event:<eventId>, finance:<user>:<key>
    fingerprint    varchar(64)   not null,     -- sha256 of what the request asked; another body under the key is 409
    answer         text          not null,     -- the answer given the first time, as JSON
    created_at     timestamp with time zone not null
);

-- The nonces of the platform's signed calls on us, kept for the replay window: a nonce seen again is refused.
create table platform_inbound_nonce (
    nonce          varchar(100)  primary key,
    seen_at        timestamp with time zone not null
);
create index platform_inbound_nonce_seen on platform_inbound_nonce (seen_at);
