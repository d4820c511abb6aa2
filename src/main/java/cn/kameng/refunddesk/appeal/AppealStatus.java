package cn.kameng.refunddesk.appeal;

/** Where an appeal stands: with an arbiter, or decided one way. */
public enum AppealStatus {
    FILED, UPHELD, OVERTURNED
}
