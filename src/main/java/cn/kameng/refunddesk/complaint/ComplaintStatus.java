package cn.kameng.refunddesk.complaint;

/** Where an outside complaint stands (column external_complaint.status). */
public enum ComplaintStatus {
    OPEN,
    ANSWERED
}
