-- An order is refunded at most once, whichever of its disputes asked for it: a second dispute opened
-- on an order after the first was refunded (or a complaint linked to either) must not pay it again.
-- live_order_id mirrors live_dispute_id (set while the refund may move or has moved money, cleared
-- when it failed without moving any), keyed by the order instead of the dispute.
alter table refund add column live_order_id varchar(40);

update refund set live_order_id = (select d.order_id from dispute d where d.id = refund.dispute_id)
where live_dispute_id is not null;

alter table refund add constraint uq_refund_live_order unique (live_order_id);
