package cn.kameng.refunddesk.dispute;

public enum ComplaintChannel {
    ALIPAY("支付宝争议处理"), WECHAT_PAY("微信支付消费者投诉"), CONSUMER_12315("全国12315平台"), HEIMAO("黑猫投诉");

    private final String label;

    ComplaintChannel(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
