package cn.kameng.refunddesk.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.camunda.bpm.webapp.impl.security.filter.CsrfPreventionFilter;
import org.camunda.bpm.webapp.impl.security.filter.util.CsrfConstants;

/**
 * Camunda's webapp CSRF filter, but a request with a missing or wrong X-XSRF-TOKEN no longer ends the session it
 * came with. Camunda's own check invalidates the session before it answers 403, so any page on the web could sign a
 * member of staff out of Tasklist and Cockpit with one forged request. The request is refused exactly as before
 * (same status, same {@code X-XSRF-TOKEN: Required} header, same messages); the token is compared in constant time.
 * Registered under Camunda's filter name, so the webapp initializer takes it instead of its own.
 */
class CsrfCheckKeepsSession extends CsrfPreventionFilter {

    static final String FILTER_NAME = "CsrfPreventionFilter";

    @Override
    protected boolean doTokenValidation(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = request.getSession();
        String sent = request.getHeader(CsrfConstants.CSRF_TOKEN_HEADER_NAME);
        if (sent == null || sent.isBlank()) {
            response.setHeader(CsrfConstants.CSRF_TOKEN_HEADER_NAME, CsrfConstants.CSRF_TOKEN_HEADER_REQUIRED);
            response.sendError(getDenyStatus(), "CSRFPreventionFilter: Token provided via HTTP Header is absent/empty.");
            return false;
        }
        Object expected;
        synchronized (mutex(session)) {
            expected = session.getAttribute(CsrfConstants.CSRF_TOKEN_SESSION_ATTR_NAME);
        }
        if (!(expected instanceof String token) || token.isBlank() || !MessageDigest.isEqual(
                token.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8))) {
            response.sendError(getDenyStatus(), "CSRFPreventionFilter: Invalid HTTP Header Token.");
            return false;
        }
        return true;
    }

    private static Object mutex(HttpSession session) {
        Object mutex = session.getAttribute(CsrfConstants.CSRF_SESSION_MUTEX);
        return mutex != null ? mutex : session;
    }
}
