package cn.kameng.refunddesk.security;

import org.camunda.bpm.identity.impl.ldap.plugin.LdapIdentityProviderPlugin;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Staff from the company directory (dispute.security.ldap.enabled): Camunda's LDAP identity plugin becomes the
 * engine's identity service, so the webapps' sign-in, /engine-rest and staff's HTTP Basic on /api/v1 check the
 * directory's passwords and groups. Read-only: {@link IdentitySetup} and {@link DemoUsers} write no user or group
 * then, and {@link DefaultPasswordGuard} leaves passwords to the directory's policy.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "dispute.security.ldap.enabled", havingValue = "true")
class DirectoryStaff {

    /** Every setting of the plugin (server-url, base-dn, manager-dn, ...) from dispute.security.ldap. */
    @Bean
    @ConfigurationProperties("dispute.security.ldap")
    LdapIdentityProviderPlugin ldapIdentityProviderPlugin() {
        return new LdapIdentityProviderPlugin();
    }
}
