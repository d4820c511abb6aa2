package cn.kameng.refunddesk.complaint;

/** Where an outside complaint stands (column external_complaint.status). */
public enum ComplaintStatus {
    OPEN,
    ANSWERED,
    /** The channel closed it (completed, withdrawn, judged) before we answered: nothing was sent back (ADR 0072). */
    CLOSED_AT_CHANNEL
}
