package cn.kameng.refunddesk.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Every refused sign-in on /api/v1 as problem+json with a sentence that says what was wrong: with a bearer token
 * (expired, not yet valid, wrongly signed, for another audience, malformed, without the claims the service needs)
 * and with HTTP Basic. Never repeats the token.
 */
final class SignInProblems implements AuthenticationEntryPoint {

    /** A customer or merchant signing in with a password where the service takes only tokens from them. */
    static final class PartiesUseTokens extends AuthenticationException {
        private static final long serialVersionUID = 1L;

        PartiesUseTokens() {
            super("customers and merchants sign in with a bearer token from the platform's identity provider "
                    + "(Authorization: Bearer ...); HTTP Basic is for the platform's staff");
        }
    }

    private static final String BASIC = "Basic realm=\"refund-desk\"";
    private static final String BEARER = "Bearer realm=\"refund-desk\"";

    private final boolean tokens;

    /** @param tokens whether bearer tokens are accepted (dispute.security.jwt.enabled) */
    SignInProblems(boolean tokens) {
        this.tokens = tokens;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        if (e instanceof CamundaIdentityAuthenticationProvider.Throttled throttled) {
            response.setHeader("Retry-After", Long.toString(throttled.retryAfterSeconds()));
            write(response, 429, "Too Many Requests", throttled.getMessage());
            return;
        }
        if (e instanceof AuthenticationServiceException) {
            // the identity provider's key set could not be read: not the caller's fault, and not a 500 either
            response.setHeader("Retry-After", "30");
            write(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "Service Unavailable",
                    "the identity provider's signing keys could not be read, so no token can be checked now; "
                            + "try again shortly");
            return;
        }
        if (e instanceof OAuth2AuthenticationException) {
            String sentence = tokenProblem(e);
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", error_description=\""
                    + headerSafe(sentence) + "\"");
            write(response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized", sentence);
            return;
        }
        if (tokens) {
            response.addHeader(HttpHeaders.WWW_AUTHENTICATE, BEARER);
        }
        response.addHeader(HttpHeaders.WWW_AUTHENTICATE, BASIC);
        if (e instanceof SignInProblems.PartiesUseTokens) {
            write(response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized", e.getMessage());
            return;
        }
        write(response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized", tokens
                ? "sign in with a bearer token from the platform's identity provider (customers and merchants) or "
                        + "HTTP Basic (staff, users of the Camunda identity service)"
                : "sign in with HTTP Basic (a user of the Camunda identity service)");
    }

    /** What was wrong with the token, in a sentence of the service's own (the library's words name no token). */
    static String tokenProblem(AuthenticationException e) {
        if (e instanceof PartyTokens.UnusableClaims claims) {
            return "the bearer token was refused: " + claims.getMessage();
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JwtValidationException invalid) {
                return "the bearer token was refused: " + invalid.getErrors().stream()
                        .map(error -> validation(error.getDescription())).distinct()
                        .collect(Collectors.joining("; "));
            }
            if (t instanceof com.nimbusds.jose.proc.BadJWSException) {
                return "the bearer token's signature does not verify with the identity provider's keys";
            }
            if (t instanceof com.nimbusds.jose.proc.BadJOSEException) {
                return "the bearer token is signed with a key or algorithm the identity provider does not publish";
            }
            if (t instanceof java.text.ParseException) {
                return "the bearer token is not a well-formed JWT";
            }
            if (t instanceof BadJwtException bad && bad.getMessage() != null
                    && bad.getMessage().startsWith("Unsupported algorithm of none")) {
                return "the bearer token is unsigned (alg none); tokens must be signed by the identity provider";
            }
        }
        if (e.getCause() instanceof BadJwtException) {
            return "the bearer token is not a well-formed, signed JWT";
        }
        return "the Authorization header does not hold a well-formed bearer token";
    }

    private static String validation(String description) {
        if (description == null) {
            return "a claim is not valid";
        }
        if (description.startsWith("Jwt expired at ")) {
            return "the token expired at " + description.substring("Jwt expired at ".length());
        }
        if (description.startsWith("Jwt used before ")) {
            return "the token is not valid before " + description.substring("Jwt used before ".length());
        }
        if (description.contains("iss claim")) {
            return "the token was not issued by the configured identity provider (iss)";
        }
        return description;
    }

    private static String headerSafe(String sentence) {
        return sentence.replace("\"", "'").replaceAll("[^\\x20-\\x7e]", "?");
    }

    static void write(HttpServletResponse response, int status, String title, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail.replace("\\", "\\\\").replace("\"", "'") + "\"}");
    }
}
