package cn.kameng.refunddesk.web;

import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * An answer that is not a success, with a sentence saying what is wrong. Thrown inside a transaction
 * it rolls that transaction back: nothing is half-written.
 */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final Map<String, String> fieldErrors;

    public ApiProblem(HttpStatus status, String detail) {
        this(status, detail, Map.of());
    }

    public ApiProblem(HttpStatus status, String detail, Map<String, String> fieldErrors) {
        super(detail);
        this.status = status;
        this.fieldErrors = fieldErrors;
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(HttpStatus.NOT_FOUND, detail);
    }

    public static ApiProblem conflict(String detail) {
        return new ApiProblem(HttpStatus.CONFLICT, detail);
    }

    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(HttpStatus.FORBIDDEN, detail);
    }

    public static ApiProblem badField(String field, String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, field + ": " + detail, Map.of(field, detail));
    }

    public HttpStatus status() {
        return status;
    }

    public Map<String, String> fieldErrors() {
        return fieldErrors;
    }
}
