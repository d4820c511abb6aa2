package cn.kameng.refunddesk.abuse;

/**
 * Whom a flag is for (the DMN's output column {@code audience}). REVIEWER flags show on the reviewer's and the
 * arbiters' forms, ARBITER flags on the arbiters' forms (arbitration and appeal); operations and the staff's API
 * see every flag, OPERATIONS ones only there.
 */
public enum Audience {
    REVIEWER("审核员"), ARBITER("仲裁员"), OPERATIONS("运营");

    private final String label;

    Audience(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
