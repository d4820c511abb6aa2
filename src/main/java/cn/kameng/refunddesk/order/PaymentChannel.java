package cn.kameng.refunddesk.order;

/** How the buyer paid, and so where the refund goes back. The labels are what staff read. */
public enum PaymentChannel {
    ALIPAY("支付宝"), WECHAT_PAY("微信支付"), BANK_CARD("银行卡"), PLATFORM_BALANCE("平台余额");

    private final String label;

    PaymentChannel(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
