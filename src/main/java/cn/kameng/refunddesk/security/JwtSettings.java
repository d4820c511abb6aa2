package cn.kameng.refunddesk.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.boot.autoconfigure.security.oauth2.resource.OAuth2ResourceServerProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.util.StringUtils;

import cn.kameng.refunddesk.dispute.Caller;

/**
 * How customers' and merchants' bearer tokens are read (dispute.security.jwt): whose keys sign them
 * (spring.security.oauth2.resourceserver.jwt.jwk-set-uri or issuer-uri), the audience they must be for, and
 * which claims name the party and their role.
 */
@ConfigurationProperties("dispute.security.jwt")
record JwtSettings(
        @DefaultValue("false") boolean enabled,
        String audience,
        @DefaultValue("sub") String partyIdClaim,
        @DefaultValue("role") String roleClaim,
        @DefaultValue("CUSTOMER") String customerRole,
        @DefaultValue("MERCHANT") String merchantRole) {

    /** The decoder of the identity provider's tokens; refuses to start with a sentence when it cannot be built. */
    NimbusJwtDecoder decoder(OAuth2ResourceServerProperties.Jwt provider) {
        String jwkSetUri = provider.getJwkSetUri();
        String issuer = provider.getIssuerUri();
        if (!StringUtils.hasText(jwkSetUri) && !StringUtils.hasText(issuer)) {
            throw new IllegalStateException("dispute.security.jwt.enabled is true but neither "
                    + "spring.security.oauth2.resourceserver.jwt.jwk-set-uri nor issuer-uri is set: the service cannot "
                    + "check whose keys signed a token");
        }
        if (!StringUtils.hasText(audience)) {
            throw new IllegalStateException("dispute.security.jwt.enabled is true but dispute.security.jwt.audience is "
                    + "not set: name the audience (aud) the identity provider puts in tokens meant for this service");
        }
        if (!StringUtils.hasText(partyIdClaim) || !StringUtils.hasText(roleClaim)
                || !StringUtils.hasText(customerRole) || !StringUtils.hasText(merchantRole)) {
            throw new IllegalStateException("dispute.security.jwt.party-id-claim, role-claim, customer-role and "
                    + "merchant-role must not be empty");
        }
        NimbusJwtDecoder decoder;
        if (StringUtils.hasText(jwkSetUri)) {
            decoder = NimbusJwtDecoder.withJwkSetUri(jwkSetUri)
                    .jwsAlgorithms(algorithms -> algorithms.addAll(algorithms(provider.getJwsAlgorithms()))).build();
        } else {
            decoder = NimbusJwtDecoder.withIssuerLocation(issuer).build();
        }
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(StringUtils.hasText(issuer) ? JwtValidators.createDefaultWithIssuer(issuer)
                : JwtValidators.createDefault());
        validators.add(jwt -> jwt.getExpiresAt() != null ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                        "the token carries no expiry (exp); tokens must expire", null)));
        validators.add(jwt -> jwt.getAudience() != null && jwt.getAudience().contains(audience)
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                        "the token is not meant for this service: its audience (aud) does not include '" + audience
                                + "'", null)));
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }

    private static List<SignatureAlgorithm> algorithms(List<String> names) {
        List<SignatureAlgorithm> algorithms = new ArrayList<>();
        for (String name : names) {
            SignatureAlgorithm algorithm = SignatureAlgorithm.from(name);
            if (algorithm == null) {
                throw new IllegalStateException("spring.security.oauth2.resourceserver.jwt.jws-algorithms: '" + name
                        + "' is not a signature algorithm (e.g. RS256, ES256)");
            }
            algorithms.add(algorithm);
        }
        return algorithms;
    }

    /** The service's groups (customers, merchants) the role claim's value(s) stand for; empty when none. */
    Set<String> groupsOf(Object roleClaimValue) {
        Collection<?> values = roleClaimValue instanceof Collection<?> many ? many
                : roleClaimValue == null ? List.of() : List.of(roleClaimValue);
        Set<String> groups = new TreeSet<>();
        for (Object value : values) {
            String role = Objects.toString(value, "");
            if (role.equals(customerRole)) {
                groups.add(Caller.CUSTOMERS);
            } else if (role.equals(merchantRole)) {
                groups.add(Caller.MERCHANTS);
            }
        }
        return groups;
    }
}
