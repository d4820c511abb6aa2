-- A restriction now holds: a restricted customer cannot open a dispute. The customer may contest it
-- once; a senior arbiter lifts it or keeps it, with a reason, in Tasklist (restriction-review.bpmn).
alter table account_restriction add column status varchar(20) default 'ACTIVE' not null;
alter table account_restriction add column contest_statement varchar(8000);
alter table account_restriction add column contested_at timestamp with time zone;
alter table account_restriction add column decided_by varchar(64);
alter table account_restriction add column decided_at timestamp with time zone;
alter table account_restriction add column decision_note varchar(8000);
create index account_restriction_customer on account_restriction (customer_id, status);
