package cn.kameng.refunddesk.dispute;

/** Why the customer wants their money back. The Chinese label is what staff see in Tasklist. */
public enum Reason {
    NOT_DELIVERED("未发货"),
    INVALID_CARD_KEY("卡密无效"),
    ACCOUNT_UNUSABLE("账号无法登录"),
    NOT_AS_DESCRIBED("与描述不符"),
    DUPLICATE_CHARGE("重复扣款"),
    WRONG_ITEM("错误发货"),
    MERCHANT_VANISHED("商家跑路"),
    MISTAKEN_PURCHASE("误购"),
    ACCOUNT_LEAKED_BY_BUYER("买家自行泄露账号"),
    OTHER("其他");

    private final String label;

    Reason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
