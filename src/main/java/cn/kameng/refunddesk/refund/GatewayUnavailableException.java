package cn.kameng.refunddesk.refund;

/** The gateway did not answer or answered with a server error: the outcome is unknown. */
public class GatewayUnavailableException extends RuntimeException {
    public GatewayUnavailableException(String message) {
        super(message);
    }
}
