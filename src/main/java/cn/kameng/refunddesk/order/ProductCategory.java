package cn.kameng.refunddesk.order;

public enum ProductCategory {
    GAME_CARD, CARD_KEY, GAME_ACCOUNT, RECHARGE, VIRTUAL_SERVICE
}
