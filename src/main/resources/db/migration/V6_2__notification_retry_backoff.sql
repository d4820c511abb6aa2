-- A notification the transport refuses is tried again later and later, not every relay round: the
-- outbox counts the attempts, keeps the last error and the time of the next attempt. H2 and PostgreSQL alike.
alter table notification_outbox add column attempts integer default 0 not null;
alter table notification_outbox add column next_attempt_at timestamp with time zone;
alter table notification_outbox add column last_error varchar(500);
