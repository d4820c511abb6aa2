package cn.kameng.refunddesk.security;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Camunda's webapp CSRF filter invalidates the session of a request whose X-XSRF-TOKEN is missing or wrong before
 * it answers 403: any page on the web could sign a member of staff out of Tasklist and Cockpit with one forged
 * POST. Here that request is still refused (403, by Camunda), but its session survives: the invalidation is
 * ignored when, and only when, it comes from the CSRF filter's token check. Signing out still ends the session.
 */
class CsrfFailureKeepsSession extends OncePerRequestFilter {

    static final String CSRF_FILTER = "org.camunda.bpm.webapp.impl.security.filter.CsrfPreventionFilter";
    static final String TOKEN_CHECK = "doTokenValidation";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public HttpSession getSession(boolean create) {
                return guarded(super.getSession(create));
            }

            @Override
            public HttpSession getSession() {
                return guarded(super.getSession());
            }
        }, response);
    }

    private static HttpSession guarded(HttpSession session) {
        if (session == null) {
            return null;
        }
        return (HttpSession) Proxy.newProxyInstance(HttpSession.class.getClassLoader(), new Class<?>[] {HttpSession.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("invalidate") && calledByCsrfTokenCheck()) {
                        return null;
                    }
                    if (method.getName().equals("equals") && args != null && args.length == 1) {
                        return args[0] == proxy || session.equals(args[0]);
                    }
                    try {
                        return method.invoke(session, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static boolean calledByCsrfTokenCheck() {
        return StackWalker.getInstance().walk(frames -> frames.limit(12)
                .anyMatch(f -> f.getClassName().equals(CSRF_FILTER) && f.getMethodName().equals(TOKEN_CHECK)));
    }
}
