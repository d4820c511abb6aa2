package cn.kameng.refunddesk.complaint;

/**
 * A complaint channel did not answer, or answered with a server error: the outcome of the call is unknown.
 * Not the caller's fault and not a {@code DomainException}: the poll tries again at its next run, the outbox
 * after {@code dispute.Backoff}'s pause, and a push that needs the detail is answered so the channel pushes again.
 */
public class ChannelUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ChannelUnavailableException(String message) {
        super(message);
    }

    public ChannelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
