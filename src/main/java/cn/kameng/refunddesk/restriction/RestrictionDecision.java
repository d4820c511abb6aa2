package cn.kameng.refunddesk.restriction;

/** A senior arbiter's decision on a contested restriction (reviewAccountRestriction.form's {@code restrictionDecision}). */
public enum RestrictionDecision {
    LIFT,
    KEEP
}
