package cn.kameng.refunddesk.complaint;

/** The complaints group's decision on a channel complaint naming an order we do not know (tieChannelComplaint.form). */
public enum TieDecision {
    /** It is about one of our orders: tied to it, as if the channel had named it. */
    TIE,
    /** It is not about any order of ours: recorded, nothing opened. */
    NOT_OURS
}
