package cn.kameng.refunddesk.security;

import java.util.List;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * HTTP Basic for the API, checked against Camunda's identity service (users managed in Admin, or the company
 * directory). Outside the demo profile (dispute.security.basic-for-parties false) only staff sign in this way.
 */
@Component
class CamundaIdentityAuthenticationProvider implements AuthenticationProvider {

    static final String GROUP_PREFIX = "GROUP_";

    /** A sign-in attempt from a source that guessed this user's password wrong a moment ago (429). */
    static final class Throttled extends org.springframework.security.core.AuthenticationException {
        private static final long serialVersionUID = 1L;

        private final long retryAfterSeconds;

        Throttled(long retryAfterSeconds) {
            super("too many wrong passwords for this user from your address: try again in " + retryAfterSeconds
                    + " s (the account is not locked)");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    private final IdentityService identity;
    private final SignInThrottle throttle;
    private final boolean basicForParties;

    CamundaIdentityAuthenticationProvider(IdentityService identity, SignInThrottle throttle,
            @org.springframework.beans.factory.annotation.Value("${dispute.security.basic-for-parties:false}")
            boolean basicForParties) {
        this.identity = identity;
        this.throttle = throttle;
        this.basicForParties = basicForParties;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String user = authentication.getName();
        Object credentials = authentication.getCredentials();
        String source = authentication.getDetails() instanceof WebAuthenticationDetails web
                ? web.getRemoteAddress() : "unknown";
        var wait = throttle.wait(source, user);
        if (wait.isPresent()) {
            throw new Throttled(SignInThrottle.seconds(wait.get()));
        }
        if (user == null || credentials == null || !identity.checkPassword(user, credentials.toString())) {
            throttle.failed(source, user);
            throw new BadCredentialsException("unknown user or wrong password");
        }
        throttle.succeeded(source, user);
        List<SimpleGrantedAuthority> groups = identity.createGroupQuery().groupMember(user).list().stream()
                .map(Group::getId).map(g -> new SimpleGrantedAuthority(GROUP_PREFIX + g)).toList();
        if (!basicForParties && groups.stream().noneMatch(g -> cn.kameng.refunddesk.dispute.Caller.STAFF.stream()
                .anyMatch(staff -> g.getAuthority().equals(GROUP_PREFIX + staff)))) {
            throw new SignInProblems.PartiesUseTokens();
        }
        return UsernamePasswordAuthenticationToken.authenticated(user, null, groups);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
