-- ADR 0072: a channel complaint naming an order we do not know is tied by the complaints group (Tasklist task
-- tieChannelComplaint) or marked as not ours. What they decided, who and when; given_order_id keeps the order id
-- the channel gave when staff tied the complaint to another order (order_id then holds ours).
alter table channel_complaint add column given_order_id varchar(64);
alter table channel_complaint add column tie_decision varchar(20);
alter table channel_complaint add column tie_decided_by varchar(64);
alter table channel_complaint add column tie_decided_at timestamp with time zone;
alter table channel_complaint add column tie_note varchar(2000);
