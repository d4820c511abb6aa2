package cn.kameng.refunddesk.order;

/** What was sold. The labels are what staff read. */
public enum ProductCategory {
    GAME_CARD("游戏点卡"), CARD_KEY("卡密"), GAME_ACCOUNT("游戏账号"), RECHARGE("充值"), VIRTUAL_SERVICE("虚拟服务");

    private final String label;

    ProductCategory(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
