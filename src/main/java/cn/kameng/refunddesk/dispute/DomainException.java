package cn.kameng.refunddesk.dispute;

import java.util.Map;

/**
 * A rule of the service that a request broke, with a sentence saying which. Services throw these;
 * {@code web/} alone turns them into problem+json (the status each maps to is on its class). Thrown
 * inside a transaction it rolls that transaction back: nothing is half-written.
 */
public abstract sealed class DomainException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Map<String, String> fieldErrors;

    DomainException(String detail, Map<String, String> fieldErrors) {
        super(detail);
        this.fieldErrors = Map.copyOf(fieldErrors);
    }

    /** The fields at fault and what is wrong with each; empty when the request as a whole is. */
    public Map<String, String> fieldErrors() {
        return fieldErrors;
    }

    /** There is no such thing, or not one the caller may see (404). */
    public static final class NotFound extends DomainException {
        private static final long serialVersionUID = 1L;

        public NotFound(String detail) {
            super(detail, Map.of());
        }
    }

    /** The thing is not in a state that allows this now (409). */
    public static final class WrongState extends DomainException {
        private static final long serialVersionUID = 1L;

        public WrongState(String detail) {
            super(detail, Map.of());
        }
    }

    /** The caller may see it but this is the other party's (or another group's) to do (403). */
    public static final class NotYours extends DomainException {
        private static final long serialVersionUID = 1L;

        public NotYours(String detail) {
            super(detail, Map.of());
        }
    }

    /** A field of the request, or the request as a whole, is not acceptable (400). */
    public static final class BadInput extends DomainException {
        private static final long serialVersionUID = 1L;

        public BadInput(String detail) {
            super(detail, Map.of());
        }

        public BadInput(String detail, Map<String, String> fieldErrors) {
            super(detail, fieldErrors);
        }

        /** One field at fault: the sentence is "field: detail". */
        public static BadInput field(String field, String detail) {
            return new BadInput(field + ": " + detail, Map.of(field, detail));
        }
    }

    /** A message that claims to come from a gateway or channel and whose signature does not verify (401). */
    public static final class NotAuthentic extends DomainException {
        private static final long serialVersionUID = 1L;

        public NotAuthentic(String detail) {
            super(detail, Map.of());
        }
    }

    /** It existed and is gone for good (410). */
    public static final class Gone extends DomainException {
        private static final long serialVersionUID = 1L;

        public Gone(String detail) {
            super(detail, Map.of());
        }
    }

    /** An upload larger than allowed (413). */
    public static final class TooLarge extends DomainException {
        private static final long serialVersionUID = 1L;

        public TooLarge(String detail) {
            super(detail, Map.of());
        }
    }

    /** A file whose bytes are not of an accepted type (415). */
    public static final class UnacceptedType extends DomainException {
        private static final long serialVersionUID = 1L;

        public UnacceptedType(String detail) {
            super(detail, Map.of());
        }
    }

    /**
     * The request is well formed but contradicts an earlier one it claims to repeat (422): the same
     * Idempotency-Key with a different body.
     */
    public static final class Unprocessable extends DomainException {
        private static final long serialVersionUID = 1L;

        public Unprocessable(String detail, Map<String, String> fieldErrors) {
            super(detail, fieldErrors);
        }
    }

    /** Too many attempts from this caller for now; try again after {@code retryAfterSeconds} (429). */
    public static final class TooMany extends DomainException {
        private static final long serialVersionUID = 1L;

        private final long retryAfterSeconds;

        public TooMany(String detail, long retryAfterSeconds) {
            super(detail, Map.of());
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /**
     * A system the request needs (the platform's order directory) cannot be reached now; nothing was written.
     * Try again after {@code retryAfterSeconds} (503).
     */
    public static final class Unavailable extends DomainException {
        private static final long serialVersionUID = 1L;

        private final long retryAfterSeconds;

        public Unavailable(String detail, long retryAfterSeconds) {
            super(detail, Map.of());
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
