-- ADR 0073. channel_complaint_image.reference now holds the image's stable key (ComplaintSource.ImageRef.key:
-- Alipay's URL without its signature and expiry, WeChat Pay's media URL), so a picture read again under a fresh
-- signed address is the same row. A row is claimed before its image is downloaded (evidence_id and note empty,
-- claimed_until set); the claim is filled in with the evidence, let go when the download fails, and may be taken
-- over once claimed_until has passed (a crash between claim and evidence).
alter table channel_complaint_image add column location varchar(2000);
alter table channel_complaint_image add column claimed_until timestamp with time zone;

-- An answer the channel refused (or the source did not take), re-sent by staff: who asked, when, how often.
alter table channel_answer add column resent_by varchar(64);
alter table channel_answer add column resent_at timestamp with time zone;
alter table channel_answer add column resent_count int default 0 not null;
