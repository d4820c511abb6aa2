-- A ruling's appeal (issue 15, item 4; docs/adr/0065-appeal.md): the losing party appeals once, within
-- dispute.sla.appeal-window of the ruling, and a different arbiter upholds or overturns it (appeal.bpmn).
-- One row per dispute: the primary key is the "once".
create table dispute_appeal (
    dispute_id     varchar(40)  primary key references dispute (id),
    party          varchar(20)  not null,
    appellant      varchar(64)  not null,
    ruling         varchar(30)  not null,
    ruled_by       varchar(64),
    statement      varchar(8000) not null,
    filed_at       timestamp with time zone not null,
    status         varchar(20)  not null,
    decided_by     varchar(64),
    decision_note  varchar(8000),
    decided_at     timestamp with time zone
);
-- When the ruling was recorded: the appeal window counts from it.
alter table dispute add column ruled_at timestamp with time zone;
