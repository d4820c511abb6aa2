package cn.kameng.refunddesk.evidence;

public enum EvidenceKind {
    ORDER_SCREENSHOT, PAYMENT_RECORD, PROBLEM_SCREENSHOT, CHAT_RECORD, DELIVERY_RECORD, USAGE_LOG, OTHER
}
