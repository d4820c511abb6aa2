package cn.kameng.refunddesk.security;

import java.util.List;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Outside the demo profile the service refuses to run while any user still has a default password. */
@Component
@Profile("!default")
class DefaultPasswordGuard {

    static final List<String> DEFAULT_PASSWORDS = List.of("demo", "admin", "password", "camunda");

    private final IdentityService identity;

    DefaultPasswordGuard(IdentityService identity) {
        this.identity = identity;
    }

    @EventListener(ApplicationStartedEvent.class)
    public void check() {
        if (identity.isReadOnly()) {
            return; // the company directory (LDAP) keeps the passwords and their policy
        }
        for (User user : identity.createUserQuery().list()) {
            for (String weak : DEFAULT_PASSWORDS) {
                if (identity.checkPassword(user.getId(), weak)) {
                    throw new IllegalStateException("user '" + user.getId() + "' has the default password '" + weak
                            + "'; change it in Camunda Admin (or remove the user) before running outside the demo profile");
                }
            }
        }
    }
}
