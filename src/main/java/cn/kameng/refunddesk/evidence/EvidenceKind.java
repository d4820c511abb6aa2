package cn.kameng.refunddesk.evidence;

/** What a piece of evidence shows. The names are the API's and the database's; the labels are what staff read. */
public enum EvidenceKind {
    ORDER_SCREENSHOT("订单截图"),
    PAYMENT_RECORD("支付记录"),
    PROBLEM_SCREENSHOT("问题截图"),
    CHAT_RECORD("聊天记录"),
    DELIVERY_RECORD("发货记录"),
    USAGE_LOG("使用记录"),
    OTHER("其他");

    private final String label;

    EvidenceKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The label of a stored kind name; an unknown name is shown as it is. */
    public static String labelOf(String name) {
        try {
            return valueOf(name).label();
        } catch (IllegalArgumentException | NullPointerException e) {
            return String.valueOf(name);
        }
    }
}
