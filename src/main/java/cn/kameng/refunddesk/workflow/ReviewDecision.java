package cn.kameng.refunddesk.workflow;

/** The reviewer's decision on a formal refund request (reviewRefundRequest.form's {@code reviewDecision}). */
public enum ReviewDecision {
    APPROVE,
    REJECT
}
