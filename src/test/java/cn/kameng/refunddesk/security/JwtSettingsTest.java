package cn.kameng.refunddesk.security;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.security.oauth2.resource.OAuth2ResourceServerProperties;

/** Bearer tokens switched on without the provider's keys or the audience: the service says what is missing. */
class JwtSettingsTest {

    @Test
    void tokensCannotBeEnabledWithoutTheProvidersKeys() {
        JwtSettings settings = new JwtSettings(true, "refund-desk", "sub", "role", "CUSTOMER", "MERCHANT");
        assertThatThrownBy(() -> settings.decoder(new OAuth2ResourceServerProperties.Jwt()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("neither spring.security.oauth2.resourceserver.jwt.jwk-set-uri nor issuer-uri");
    }

    @Test
    void tokensCannotBeEnabledWithoutTheAudience() {
        OAuth2ResourceServerProperties.Jwt provider = new OAuth2ResourceServerProperties.Jwt();
        provider.setJwkSetUri("https://id.kameng.test/.well-known/jwks.json");
        JwtSettings settings = new JwtSettings(true, " ", "sub", "role", "CUSTOMER", "MERCHANT");
        assertThatThrownBy(() -> settings.decoder(provider)).hasMessageContaining("dispute.security.jwt.audience");
    }
}
