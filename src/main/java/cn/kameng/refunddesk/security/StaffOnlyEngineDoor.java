package cn.kameng.refunddesk.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import cn.kameng.refunddesk.dispute.Caller;

/**
 * {@code /engine-rest} and the webapps' own APIs ({@code /camunda/api/...}) are the staff's: customers and
 * merchants use {@code /api/v1}. A signed-in caller in no staff group is answered 403 here, before the
 * engine sees the call, so a party's call can change no job, variable or task (not even a job's retries
 * through a refused execute). Runs after Camunda's own authentication of {@code /engine-rest}; the webapps'
 * sign-in and sign-out stay open so that a party's sign-in attempt is answered as Camunda answers it.
 */
class StaffOnlyEngineDoor extends OncePerRequestFilter {

    private static final String ENGINE = "default";

    private final IdentityService identity;

    StaffOnlyEngineDoor(IdentityService identity) {
        this.identity = identity;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        List<String> groups = null;
        String user = null;
        if (path.startsWith("/engine-rest")) {
            Authentication auth = identity.getCurrentAuthentication();
            if (auth != null) {
                user = auth.getUserId();
                groups = auth.getGroupIds();
            }
        } else if (path.startsWith("/camunda/api/") && !path.startsWith("/camunda/api/admin/auth/")) {
            HttpSession session = request.getSession(false);
            Authentications all = session == null ? null : AuthenticationUtil.getAuthsFromSession(session);
            org.camunda.bpm.webapp.impl.security.auth.Authentication auth = all == null ? null
                    : all.getAuthenticationForProcessEngine(ENGINE);
            if (auth != null) {
                user = auth.getName();
                groups = identity.createGroupQuery().groupMember(user).list().stream()
                        .map(org.camunda.bpm.engine.identity.Group::getId).toList();
            }
        }
        if (user != null && (groups == null || groups.stream().noneMatch(Caller.STAFF::contains))) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,\"detail\":"
                    + "\"the engine's API is for the platform's staff; customers and merchants use /api/v1\"}");
            return;
        }
        chain.doFilter(request, response);
    }
}
