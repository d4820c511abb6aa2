package cn.kameng.refunddesk.security;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.webapp.impl.security.auth.Authentication;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import cn.kameng.refunddesk.dispute.Caller;

/**
 * Lets a member of staff who is signed in to Tasklist or Cockpit open what a form links to (an
 * evidence file, the dossier) with that session, instead of being asked for a password again. Only
 * reads: GET and HEAD, so a page elsewhere cannot use the session cookie to change anything (every
 * write still needs HTTP Basic). The user's groups are read fresh from the identity service, so a
 * user removed from a group loses access at once.
 */
class WebappSessionAuthentication extends OncePerRequestFilter {

    private static final String ENGINE = "default";

    private final IdentityService identity;
    private final boolean parties;

    /** @param parties whether a customer's or merchant's webapp session counts (the demo profile only) */
    WebappSessionAuthentication(IdentityService identity, boolean parties) {
        this.identity = identity;
        this.parties = parties;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String user = signedInUser(request);
        if (user != null) {
            List<SimpleGrantedAuthority> groups = identity.createGroupQuery().groupMember(user).list().stream()
                    .map(Group::getId)
                    .map(g -> new SimpleGrantedAuthority(CamundaIdentityAuthenticationProvider.GROUP_PREFIX + g))
                    .toList();
            if (!parties && groups.stream().noneMatch(g -> Caller.STAFF.stream()
                    .anyMatch(staff -> g.getAuthority().equals(CamundaIdentityAuthenticationProvider.GROUP_PREFIX + staff)))) {
                chain.doFilter(request, response);
                return;
            }
            var context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user, null, groups));
            SecurityContextHolder.setContext(context);
        }
        chain.doFilter(request, response);
    }

    private static String signedInUser(HttpServletRequest request) {
        boolean read = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        if (!read || request.getHeader(HttpHeaders.AUTHORIZATION) != null) {
            return null;
        }
        HttpSession session = request.getSession(false);
        if (session == null) {
            return null;
        }
        Authentications all = AuthenticationUtil.getAuthsFromSession(session);
        Authentication auth = all == null ? null : all.getAuthenticationForProcessEngine(ENGINE);
        return auth == null ? null : auth.getName();
    }
}
