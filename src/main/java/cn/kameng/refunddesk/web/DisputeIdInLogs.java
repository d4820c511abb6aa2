package cn.kameng.refunddesk.web;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** A request about one dispute ({@code /api/v1/disputes/{id}/...}) logs with its id in the MDC as {@code disputeId}. */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class DisputeIdInLogs extends OncePerRequestFilter {

    static final String KEY = "disputeId";
    private static final Pattern DISPUTE = Pattern.compile("^/api/v1/disputes/([A-Za-z0-9-]{1,40})(?:/.*)?$");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Matcher m = DISPUTE.matcher(request.getRequestURI());
        if (!m.matches()) {
            chain.doFilter(request, response);
            return;
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable(KEY, m.group(1))) {
            chain.doFilter(request, response);
        }
    }
}
