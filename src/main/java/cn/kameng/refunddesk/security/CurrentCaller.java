package cn.kameng.refunddesk.security;

import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.Caller;

/** Who is calling the API, as Spring Security authenticated them against Camunda's identity service. */
@Component
public class CurrentCaller {

    public Caller get() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !auth.isAuthenticated()) {
            throw new IllegalStateException("no authenticated caller");
        }
        Set<String> groups = auth.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith(CamundaIdentityAuthenticationProvider.GROUP_PREFIX))
                .map(a -> a.substring(CamundaIdentityAuthenticationProvider.GROUP_PREFIX.length()))
                .collect(Collectors.toUnmodifiableSet());
        return new Caller(auth.getName(), groups);
    }
}
