-- The images each answer to a channel carries (ADR 0071): which evidence, in which order, written in the outbox
-- transaction with the answer itself, so a retry after a restart sends the same images. The bytes are read from
-- the evidence store when the answer is sent.
create table channel_answer_image (
    answer_key  varchar(120) not null references channel_answer (answer_key),
    position    int          not null,
    evidence_id varchar(40)  not null references evidence (id),
    primary key (answer_key, position)
);
