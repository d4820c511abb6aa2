package cn.kameng.refunddesk.abuse;

/** When the flags were evaluated: on opening, or when the dispute went to arbitration. */
public enum Stage {
    OPENED, ARBITRATION
}
