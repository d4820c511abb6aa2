package cn.kameng.refunddesk.order;

public enum PaymentChannel {
    ALIPAY, WECHAT_PAY, BANK_CARD, PLATFORM_BALANCE
}
