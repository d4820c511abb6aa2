package cn.kameng.refunddesk.complaint;

/**
 * A complaint channel answered a call and refused it for good: the application has no access to that API, or the
 * channel does not take a parameter we send. Asking again the same way cannot help; an operator must act (the
 * message says what the channel said). A push whose complaint cannot be read for this reason is answered 503, so
 * the channel pushes again while the access is put right, and the poll reads it once it is.
 */
public class ChannelRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ChannelRefusedException(String message) {
        super(message);
    }
}
