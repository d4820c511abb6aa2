package cn.kameng.refunddesk.restriction;

/** Where an account restriction stands (column account_restriction.status). */
public enum RestrictionStatus {
    /** The customer cannot open disputes and may contest once. */
    ACTIVE,
    /** Contested: a senior arbiter decides; the customer still cannot open disputes meanwhile. */
    CONTESTED,
    /** Contested and kept: final. */
    KEPT,
    /** Lifted by a senior arbiter: the customer may open disputes again. */
    LIFTED;

    /** Whether the customer is held back from opening disputes. */
    public boolean holds() {
        return this != LIFTED;
    }
}
