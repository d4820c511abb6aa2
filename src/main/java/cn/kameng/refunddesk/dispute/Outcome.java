package cn.kameng.refunddesk.dispute;

public enum Outcome {
    REFUNDED("已退款"), PARTIALLY_REFUNDED("已部分退款"), REJECTED("已驳回"), INELIGIBLE("不符合退款条件"),
    WITHDRAWN("买家已撤回"), REPLACED("已补发"), ABANDONED("买家未继续");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
