-- A party's statement may be 2,000 characters (the API's limit) and the timeline and the notification
-- outbox put a short sentence in front of it, so 2,000 was too small for the line that records it: the
-- request failed after validation had accepted it. H2 and PostgreSQL both accept SET DATA TYPE.
alter table timeline_entry alter column message set data type varchar(8000);
alter table notification_outbox alter column message set data type varchar(8000);
