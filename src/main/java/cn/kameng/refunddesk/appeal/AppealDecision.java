package cn.kameng.refunddesk.appeal;

/** The appeal arbiter's decision (decideAppeal.form's {@code appealDecision}): the ruling stands or falls. */
public enum AppealDecision {
    UPHOLD("维持原裁决"),
    OVERTURN("撤销原裁决");

    private final String label;

    AppealDecision(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
