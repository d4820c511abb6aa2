-- Complaints taken in from a channel's own API (WeChat Pay 消费者投诉2.0, Alipay's two families), ADR 0068.
-- One row per source and external id, however often it is pushed or polled; tied to our external_complaint
-- (the Tasklist task) and so to the order's dispute.
create table channel_complaint (
    id                  varchar(40)   primary key,
    source              varchar(40)   not null,
    external_id         varchar(100)  not null,
    channel             varchar(20)   not null,
    complaint_id        varchar(40)   references external_complaint (id),
    order_id            varchar(64),
    dispute_id          varchar(40)   references dispute (id),
    channel_trade_id    varchar(64),
    problem_type        varchar(100),
    reason              varchar(40),
    buyer_words         varchar(4000),
    amount_fen          bigint,
    refund_requested    boolean       not null,
    state               varchar(20)   not null,
    channel_status      varchar(40),
    complained_at       timestamp with time zone,
    reply_due_at        timestamp with time zone,
    reply_counted_on    varchar(20),
    complete_due_at     timestamp with time zone,
    complete_counted_on varchar(20),
    received_at         timestamp with time zone not null,
    updated_at          timestamp with time zone not null,
    constraint ux_channel_complaint_source_external unique (source, external_id)
);
create index ix_channel_complaint_order on channel_complaint (order_id);

-- The negotiation as the channel last showed it, oldest first (replaced whole when it changes).
create table channel_complaint_history (
    channel_complaint_id varchar(40)  not null references channel_complaint (id),
    line_no              int          not null,
    happened_at          timestamp with time zone,
    by_party             varchar(20)  not null,
    channel_action       varchar(100),
    line_text            varchar(4000),
    image_count          int          not null,
    primary key (channel_complaint_id, line_no)
);

-- Each image of the channel downloaded once into the evidence store (party PLATFORM).
create table channel_complaint_image (
    channel_complaint_id varchar(40)   not null references channel_complaint (id),
    reference            varchar(1000) not null,
    evidence_id          varchar(40),
    note                 varchar(500),
    primary key (channel_complaint_id, reference)
);

-- How far each source's list has been read; claimed by one node at a time (claimed_until).
create table channel_poll_cursor (
    source        varchar(40) primary key,
    polled_until  timestamp with time zone not null,
    polled_at     timestamp with time zone,
    claimed_until timestamp with time zone,
    last_error    varchar(1000)
);

-- Answers to the channels (transactional outbox): written with what they answer, sent in sequence per
-- complaint, retried with the notification backoff until the channel accepts, once per answer_key.
create table channel_answer (
    answer_key           varchar(120)  primary key,
    channel_complaint_id varchar(40)   not null references channel_complaint (id),
    sequence_no          int           not null,
    kind                 varchar(20)   not null,
    resolution           varchar(20),
    answer_text          varchar(4000),
    refund_day           date,
    status               varchar(20)   not null,
    attempts             int           not null,
    next_attempt_at      timestamp with time zone not null,
    claimed_until        timestamp with time zone,
    last_error           varchar(1000),
    created_at           timestamp with time zone not null,
    sent_at              timestamp with time zone,
    constraint ux_channel_answer_sequence unique (channel_complaint_id, sequence_no)
);
create index ix_channel_answer_due on channel_answer (status, next_attempt_at);
