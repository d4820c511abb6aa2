-- Working-day deadlines now follow the official calendar (holidays and make-up days, 调休). Each
-- deadline keeps when it started and how it was counted, so that one counted Monday to Friday (a year
-- whose calendar is not published yet) can be recounted when the calendar arrives.
alter table dispute_deadline add column started_at timestamp with time zone;
alter table dispute_deadline add column counted_on varchar(20) default 'CALENDAR_TIME' not null;

-- Deadlines made before this version were counted Monday to Friday; the service recounts them at start.
update dispute_deadline set counted_on = 'MONDAY_TO_FRIDAY' where basis like '%WD';
