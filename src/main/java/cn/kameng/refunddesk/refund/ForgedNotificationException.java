package cn.kameng.refunddesk.refund;

/** A notification whose signature does not verify: it is not from the gateway and changes nothing. */
public class ForgedNotificationException extends RuntimeException {
    public ForgedNotificationException(String message) {
        super(message);
    }
}
