package cn.kameng.refunddesk.web;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import org.apache.tomcat.util.http.fileupload.impl.FileCountLimitExceededException;
import org.apache.tomcat.util.http.fileupload.impl.FileSizeLimitExceededException;
import org.apache.tomcat.util.http.fileupload.impl.SizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import cn.kameng.refunddesk.dispute.DomainException;

/** Every error of the API as application/problem+json with a sentence that says what is wrong. */
@RestControllerAdvice(basePackages = "cn.kameng.refunddesk")
@Order(Ordered.HIGHEST_PRECEDENCE)
class ProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    private final DataSize maxFileSize;
    private final DataSize maxRequestSize;

    ProblemHandler(@Value("${spring.servlet.multipart.max-file-size:1MB}") DataSize maxFileSize,
            @Value("${spring.servlet.multipart.max-request-size:10MB}") DataSize maxRequestSize) {
        this.maxFileSize = maxFileSize;
        this.maxRequestSize = maxRequestSize;
    }

    /** The rule a request broke, said by the service that holds it; the status is the rule's kind. */
    @ExceptionHandler(DomainException.class)
    ResponseEntity<ProblemDetail> ruleBroken(DomainException e) {
        ResponseEntity<ProblemDetail> answer = problem(statusOf(e), e.getMessage(), e.fieldErrors());
        if (e instanceof DomainException.TooMany tooMany) {
            return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                    .header(org.springframework.http.HttpHeaders.RETRY_AFTER, Long.toString(tooMany.retryAfterSeconds()))
                    .body(answer.getBody());
        }
        if (e instanceof DomainException.Unavailable unavailable) {
            return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                    .header(org.springframework.http.HttpHeaders.RETRY_AFTER,
                            Long.toString(unavailable.retryAfterSeconds()))
                    .body(answer.getBody());
        }
        return answer;
    }

    static HttpStatus statusOf(DomainException e) {
        if (e instanceof DomainException.NotFound) {
            return HttpStatus.NOT_FOUND;
        }
        if (e instanceof DomainException.WrongState) {
            return HttpStatus.CONFLICT;
        }
        if (e instanceof DomainException.NotYours) {
            return HttpStatus.FORBIDDEN;
        }
        if (e instanceof DomainException.BadInput) {
            return HttpStatus.BAD_REQUEST;
        }
        if (e instanceof DomainException.NotAuthentic) {
            return HttpStatus.UNAUTHORIZED;
        }
        if (e instanceof DomainException.Gone) {
            return HttpStatus.GONE;
        }
        if (e instanceof DomainException.TooLarge) {
            return HttpStatus.PAYLOAD_TOO_LARGE;
        }
        if (e instanceof DomainException.UnacceptedType) {
            return HttpStatus.UNSUPPORTED_MEDIA_TYPE;
        }
        if (e instanceof DomainException.Unprocessable) {
            return HttpStatus.UNPROCESSABLE_ENTITY;
        }
        if (e instanceof DomainException.TooMany) {
            return HttpStatus.TOO_MANY_REQUESTS;
        }
        if (e instanceof DomainException.Unavailable) {
            return HttpStatus.SERVICE_UNAVAILABLE;
        }
        throw new IllegalStateException("no HTTP status is defined for " + e.getClass().getName());
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ProblemDetail> invalid(MethodArgumentNotValidException e) {
        Map<String, String> errors = new LinkedHashMap<>();
        e.getBindingResult().getFieldErrors().forEach(f -> errors.putIfAbsent(f.getField(), f.getDefaultMessage()));
        String detail = errors.entrySet().stream().map(x -> x.getKey() + " " + x.getValue())
                .collect(Collectors.joining("; "));
        return problem(HttpStatus.BAD_REQUEST, detail, errors);
    }

    @ExceptionHandler(jakarta.validation.ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraint(jakarta.validation.ConstraintViolationException e) {
        Map<String, String> errors = new LinkedHashMap<>();
        e.getConstraintViolations().forEach(v -> {
            String path = v.getPropertyPath().toString();
            errors.putIfAbsent(path.substring(path.lastIndexOf('.') + 1), v.getMessage());
        });
        return problem(HttpStatus.BAD_REQUEST, errors.entrySet().stream().map(x -> x.getKey() + " " + x.getValue())
                .collect(Collectors.joining("; ")), errors);
    }

    @ExceptionHandler(org.springframework.web.method.annotation.HandlerMethodValidationException.class)
    ResponseEntity<ProblemDetail> methodValidation(org.springframework.web.method.annotation.HandlerMethodValidationException e) {
        Map<String, String> errors = new LinkedHashMap<>();
        e.getParameterValidationResults().forEach(r -> r.getResolvableErrors().forEach(err -> errors.putIfAbsent(
                r.getMethodParameter().getParameterName() == null ? "parameter" : r.getMethodParameter().getParameterName(),
                err.getDefaultMessage())));
        return problem(HttpStatus.BAD_REQUEST, errors.entrySet().stream().map(x -> x.getKey() + " " + x.getValue())
                .collect(Collectors.joining("; ")), errors);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause instanceof StrictJson.BadText bad && !bad.getPath().isEmpty()) {
            return field(path(bad), bad.reason());
        }
        if (cause instanceof InvalidFormatException ife && !ife.getPath().isEmpty()) {
            String allowed = ife.getTargetType().isEnum()
                    ? ", one of " + java.util.Arrays.toString(ife.getTargetType().getEnumConstants()) : "";
            return field(path(ife), "'" + ife.getValue() + "' is not a valid " + ife.getTargetType().getSimpleName()
                    + allowed);
        }
        if (cause instanceof MismatchedInputException mie && !mie.getPath().isEmpty()) {
            return field(path(mie), "must be " + expected(mie.getTargetType()));
        }
        if (cause instanceof com.fasterxml.jackson.databind.JsonMappingException jme && !jme.getPath().isEmpty()
                && (jme.getCause() instanceof com.fasterxml.jackson.core.exc.InputCoercionException
                        || jme.getCause() instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException)) {
            StringBuilder path = new StringBuilder();
            jme.getPath().forEach(ref -> {
                if (ref.getFieldName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
                }
            });
            return field(path.isEmpty() ? "body" : path.toString(),
                    "is a number out of range (whole numbers of fen fit in 64 bits)");
        }
        if (cause instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
                && jpe.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser parser) {
            String name = parser.getParsingContext() == null ? null : parser.getParsingContext().getCurrentName();
            String message = jpe.getOriginalMessage() == null ? "" : jpe.getOriginalMessage();
            if (name != null && message.startsWith("Duplicate field")) {
                return field(name, "is given more than once; send each field once");
            }
            if (name != null && (cause instanceof com.fasterxml.jackson.core.exc.InputCoercionException
                    || cause instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException)) {
                return field(name, "is a number out of range (whole numbers of fen fit in 64 bits)");
            }
        }
        return problem(HttpStatus.BAD_REQUEST, "the request body is missing or is not valid JSON", Map.of());
    }

    private static ResponseEntity<ProblemDetail> field(String field, String detail) {
        return problem(HttpStatus.BAD_REQUEST, field + ": " + detail, Map.of(field, detail));
    }

    private static String path(MismatchedInputException e) {
        StringBuilder path = new StringBuilder();
        for (com.fasterxml.jackson.databind.JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants()) + " (by name)";
        }
        if (type == String.class) {
            return "a JSON string";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == java.time.Instant.class) {
            return "an ISO-8601 instant as a string (2025-01-31T08:00:00Z)";
        }
        return "a " + type.getSimpleName();
    }

    @ExceptionHandler(MissingServletRequestPartException.class)
    ResponseEntity<ProblemDetail> missingPart(MissingServletRequestPartException e) {
        return problem(HttpStatus.BAD_REQUEST, e.getRequestPartName() + ": is required",
                Map.of(e.getRequestPartName(), "is required"));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ProblemDetail> missingParameter(MissingServletRequestParameterException e) {
        return problem(HttpStatus.BAD_REQUEST, e.getParameterName() + ": is required",
                Map.of(e.getParameterName(), "is required"));
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<ProblemDetail> missingHeader(MissingRequestHeaderException e) {
        return problem(HttpStatus.BAD_REQUEST, "header " + e.getHeaderName() + " is required", Map.of());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        Class<?> type = e.getRequiredType();
        String allowed = type != null && type.isEnum() ? ", one of " + java.util.Arrays.toString(type.getEnumConstants()) : "";
        String detail = "'" + e.getValue() + "' is not valid" + allowed;
        return problem(HttpStatus.BAD_REQUEST, e.getName() + ": " + detail, Map.of(e.getName(), detail));
    }

    /**
     * An upload over a limit of the multipart parser. Spring reports every such case as
     * {@code MaxUploadSizeExceededException(-1)}; the limit that was hit is read from Tomcat's exception, and a part
     * whose headers (its file name) are too long is the client's 400 on {@code file}, not a 413.
     */
    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<ProblemDetail> tooLarge(MaxUploadSizeExceededException e) {
        return overLimit(e);
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> multipart(MultipartException e) {
        if (cause(e, SizeException.class) != null || cause(e, FileCountLimitExceededException.class) != null) {
            return overLimit(e);
        }
        if (e.getCause() != null && e.getCause().getClass().getSimpleName().equals("InvalidFileNameException")) {
            return problem(HttpStatus.BAD_REQUEST, "file: the file name contains a character no file name may have",
                    Map.of("file", "the file name contains a character no file name may have"));
        }
        return problem(HttpStatus.BAD_REQUEST, "the request is not a readable multipart upload", Map.of());
    }

    private ResponseEntity<ProblemDetail> overLimit(Exception e) {
        FileCountLimitExceededException count = cause(e, FileCountLimitExceededException.class);
        if (count != null) {
            return problem(HttpStatus.BAD_REQUEST, "the upload has more than the " + count.getLimit()
                    + " parts an upload may have", Map.of());
        }
        SizeException size = cause(e, SizeException.class);
        if (size != null && size.getMessage() != null && size.getMessage().startsWith("Header section")) {
            String detail = "the part's headers (its file name among them) are longer than the "
                    + size.getPermittedSize() + " bytes a part's headers may have";
            return problem(HttpStatus.BAD_REQUEST, "file: " + detail, Map.of("file", detail));
        }
        if (size instanceof FileSizeLimitExceededException) {
            return problem(HttpStatus.PAYLOAD_TOO_LARGE, "the file is larger than the " + size.getPermittedSize()
                    + " bytes an uploaded file may have", Map.of());
        }
        if (size != null && size.getPermittedSize() > 0) {
            return problem(HttpStatus.PAYLOAD_TOO_LARGE, "the upload is larger than the " + size.getPermittedSize()
                    + " bytes an upload may have", Map.of());
        }
        return problem(HttpStatus.PAYLOAD_TOO_LARGE, "the upload is larger than allowed: at most "
                + maxFileSize.toBytes() + " bytes a file and " + maxRequestSize.toBytes() + " bytes the whole upload",
                Map.of());
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> kind) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (kind.isInstance(t)) {
                return kind.cast(t);
            }
        }
        return null;
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e) {
        return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "content type " + e.getContentType()
                + " is not accepted here; send " + e.getSupportedMediaTypes(), Map.of());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e) {
        return problem(HttpStatus.METHOD_NOT_ALLOWED, e.getMethod() + " is not allowed here", Map.of());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "there is nothing at /" + e.getResourcePath(), Map.of());
    }

    /** A header or URL the firewall will not pass on (e.g. a non-ASCII header value). */
    @ExceptionHandler(org.springframework.security.web.firewall.RequestRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(org.springframework.security.web.firewall.RequestRejectedException e) {
        return problem(HttpStatus.BAD_REQUEST, "the request was refused: " + e.getMessage()
                + " (header values must be printable ASCII)", Map.of());
    }

    /**
     * Contention the database resolved by refusing this transaction (a lock it waited too long for, a deadlock
     * victim, a lost optimistic lock): rolled back whole, so nothing was changed, and asking again a moment later
     * will most likely succeed. 503 with Retry-After, never a 500 the caller cannot act on.
     */
    @ExceptionHandler(org.springframework.dao.TransientDataAccessException.class)
    ResponseEntity<ProblemDetail> busy(org.springframework.dao.TransientDataAccessException e) {
        log.warn("Busy database, the caller is asked to retry: {}", e.getMostSpecificCause().getMessage());
        ResponseEntity<ProblemDetail> answer = problem(HttpStatus.SERVICE_UNAVAILABLE, "the service is busy with other"
                + " changes to the same records; nothing was changed, try again in a moment", Map.of());
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                .header(org.springframework.http.HttpHeaders.RETRY_AFTER, "1").body(answer.getBody());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        String ref = UUID.randomUUID().toString();
        log.error("Unexpected error {}", ref, e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "an unexpected error occurred; nothing was changed."
                + " Reference " + ref, Map.of());
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail, Map<String, String> errors) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setType(URI.create("about:blank"));
        if (!errors.isEmpty()) {
            body.setProperty("errors", errors);
        }
        return ResponseEntity.status(status).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(body);
    }
}
