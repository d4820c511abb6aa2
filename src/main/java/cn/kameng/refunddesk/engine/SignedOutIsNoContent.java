package cn.kameng.refunddesk.engine;

import java.io.IOException;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every webapp page asks {@code GET /camunda/api/admin/auth/user/default} who is signed in; with nobody signed in
 * Camunda answers 404, which the browser logs as a failed request on every page load (the login page included).
 * The webapps treat any answer but 200 as "not signed in", so that 404 becomes a 204 No Content: the same
 * meaning, no error. Nothing else is touched: another status, another path or another method passes as it was.
 */
@Configuration
class SignedOutIsNoContent {

    private static final Pattern WHO_IS_SIGNED_IN = Pattern.compile("^/camunda/api/admin/auth/user/[^/]+$");

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> signedOutIsNoContentFilter() {
        var registration = new FilterRegistrationBean<OncePerRequestFilter>(new Filter());
        registration.setName("signed-out-is-no-content");
        registration.addUrlPatterns("/camunda/api/admin/auth/user/*");
        return registration;
    }

    static final class Filter extends OncePerRequestFilter {

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            return !"GET".equals(request.getMethod()) || !WHO_IS_SIGNED_IN.matcher(request.getRequestURI()).matches();
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            var watched = new NotFoundHeld(response);
            chain.doFilter(request, watched);
            if (watched.notFound) {
                response.setStatus(HttpServletResponse.SC_NO_CONTENT);
                response.setHeader("Cache-Control", "no-store");
            }
        }
    }

    /** Holds back a 404 (set or sent) so that the filter can answer 204 instead; everything else goes through. */
    private static final class NotFoundHeld extends HttpServletResponseWrapper {

        boolean notFound;

        NotFoundHeld(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setStatus(int sc) {
            if (sc == SC_NOT_FOUND) {
                notFound = true;
            } else {
                super.setStatus(sc);
            }
        }

        @Override
        public void sendError(int sc) throws IOException {
            if (sc == SC_NOT_FOUND) {
                notFound = true;
            } else {
                super.sendError(sc);
            }
        }

        @Override
        public void sendError(int sc, String msg) throws IOException {
            if (sc == SC_NOT_FOUND) {
                notFound = true;
            } else {
                super.sendError(sc, msg);
            }
        }
    }
}
