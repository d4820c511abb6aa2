package cn.kameng.refunddesk.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The same sign-in throttle as /api/v1 ({@link SignInThrottle}) in front of Camunda's own password checks:
 * HTTP Basic on /engine-rest and the webapps' sign-in form. A throttled attempt is 429 with Retry-After
 * and never reaches the identity service; a 401 from behind counts as a wrong password.
 */
class SignInThrottleFilter extends OncePerRequestFilter {

    private final SignInThrottle throttle;

    SignInThrottleFilter(SignInThrottle throttle) {
        this.throttle = throttle;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String user = user(request);
        String source = request.getRemoteAddr();
        var wait = throttle.wait(source, user);
        if (wait.isPresent()) {
            long seconds = SignInThrottle.seconds(wait.get());
            response.setStatus(429);
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,"
                    + "\"detail\":\"too many wrong passwords for this user from your address: try again in " + seconds
                    + " s (the account is not locked)\"}");
            return;
        }
        chain.doFilter(request, response);
        if (user != null) {
            if (response.getStatus() == HttpServletResponse.SC_UNAUTHORIZED) {
                throttle.failed(source, user);
            } else if (response.getStatus() < 400) {
                throttle.succeeded(source, user);
            }
        }
    }

    private static String user(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? null : decoded.substring(0, colon);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if (request.getRequestURI().contains("/auth/user/") && request.getRequestURI().contains("/login/")
                && "POST".equals(request.getMethod())) {
            return request.getParameter("username");
        }
        return null;
    }
}
