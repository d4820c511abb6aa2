package cn.kameng.refunddesk.dispute;

public enum Outcome {
    REFUNDED, PARTIALLY_REFUNDED, REJECTED, INELIGIBLE, WITHDRAWN, REPLACED, ABANDONED
}
