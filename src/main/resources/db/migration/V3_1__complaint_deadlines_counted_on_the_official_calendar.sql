-- An outside complaint's answer deadline (12315: 7 working days) is counted like the dispute's deadlines:
-- on the official calendar, or Monday to Friday for a year not yet published, then recounted when it is.
alter table external_complaint add column counted_on varchar(20) default 'CALENDAR_TIME' not null;

-- Open complaints received before this version may have been counted Monday to Friday; the service recounts
-- them at start (a calendar-time deadline keeps its instant and is marked CALENDAR_TIME).
update external_complaint set counted_on = 'MONDAY_TO_FRIDAY' where status = 'OPEN';
