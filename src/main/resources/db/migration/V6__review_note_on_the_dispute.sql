-- The reviewer's reason for rejecting a formal request, kept on the dispute (issue 6). Until now it
-- lived in a process variable until the dispute closed; staff's words no longer stay in the process
-- or the engine's history, so the close step reads it from here. H2 and PostgreSQL alike.
alter table dispute add column review_note varchar(2000);
