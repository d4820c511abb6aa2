package cn.kameng.refunddesk.security;

import java.util.Set;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * A verified token as the caller the rest of the service knows: its party-id claim is the user id, its role claim
 * the customers or merchants group. A token never makes anyone staff.
 */
final class PartyTokens implements Converter<Jwt, AbstractAuthenticationToken> {

    /** A verified token without the claims that say who the caller is. */
    static final class UnusableClaims extends InvalidBearerTokenException {
        private static final long serialVersionUID = 1L;

        UnusableClaims(String sentence) {
            super(sentence);
        }
    }

    private final JwtSettings settings;

    PartyTokens(JwtSettings settings) {
        this.settings = settings;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        String party = jwt.getClaimAsString(settings.partyIdClaim());
        if (party == null || party.isBlank()) {
            throw new UnusableClaims("the token has no '" + settings.partyIdClaim()
                    + "' claim naming the customer or merchant");
        }
        Object role = jwt.getClaims().get(settings.roleClaim());
        if (role == null) {
            throw new UnusableClaims("the token has no '" + settings.roleClaim() + "' claim; it must say "
                    + settings.customerRole() + " or " + settings.merchantRole());
        }
        Set<String> groups = settings.groupsOf(role);
        if (groups.isEmpty()) {
            throw new UnusableClaims("the token's '" + settings.roleClaim() + "' claim names no role of "
                    + "this service; it must say " + settings.customerRole() + " or " + settings.merchantRole());
        }
        return new JwtAuthenticationToken(jwt, groups.stream()
                .map(g -> new SimpleGrantedAuthority(CamundaIdentityAuthenticationProvider.GROUP_PREFIX + g)).toList(),
                party);
    }
}
