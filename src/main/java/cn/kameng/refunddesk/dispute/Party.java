package cn.kameng.refunddesk.dispute;

/** Who a piece of evidence, a request or a ruling concerns. Stored and sent by these names. */
public enum Party {
    CUSTOMER("买家"),
    MERCHANT("商家"),
    /** Records the platform attaches itself, such as the chat log. */
    PLATFORM("平台");

    private final String label;

    Party(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
