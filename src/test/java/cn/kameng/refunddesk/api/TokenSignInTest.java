package cn.kameng.refunddesk.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import cn.kameng.refunddesk.api.Api.Res;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;

/**
 * Customers and merchants sign in with the platform identity provider's JWT: WireMock serves the provider's JWK
 * set, the test signs tokens with its key (generated here). A good token is the same caller a password was; every
 * bad one (expired, not yet valid, another key, another audience, unsigned, without party or role) is a 401
 * problem with a sentence and a Bearer challenge, never repeats the token, and changes nothing. Parties' HTTP
 * Basic is refused as outside the demo profile; staff keep it.
 */
@DisputeServiceTest
@TestPropertySource(properties = {
        "dispute.security.jwt.enabled=true",
        "dispute.security.jwt.audience=refund-desk",
        "dispute.security.basic-for-parties=false"})
class TokenSignInTest {

    static final RSAKey PROVIDER_KEY = rsa("provider-2026");
    /** Another key under the provider's key id: a forger's. */
    static final RSAKey FORGED_KEY = rsa("provider-2026");
    static final WireMockServer IDENTITY_PROVIDER = new WireMockServer(options().dynamicPort());

    static {
        IDENTITY_PROVIDER.start();
        IDENTITY_PROVIDER.stubFor(get(urlEqualTo("/.well-known/jwks.json")).willReturn(aResponse()
                .withHeader("Content-Type", "application/jwk-set+json")
                .withBody(new JWKSet(PROVIDER_KEY.toPublicJWK()).toString())));
    }

    @DynamicPropertySource
    static void identityProvider(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
                () -> IDENTITY_PROVIDER.baseUrl() + "/.well-known/jwks.json");
    }

    @AfterAll
    static void stopIdentityProvider() {
        IDENTITY_PROVIDER.stop();
    }

    @LocalServerPort int port;
    @Autowired TestDisputes given;
    @Autowired JdbcClient jdbc;

    Api api;
    String order;

    @BeforeEach
    void anOrderOfBuyer1() {
        api = new Api(port);
        order = given.order(2500);
    }

    @Test
    void aCustomersTokenOpensAndReadsTheirDisputeAndTheMerchantsTokenReadsIt() {
        Res opened = api.bearer(token(PROVIDER_KEY, claims("buyer1", "CUSTOMER"))).post("/api/v1/disputes",
                openBody());
        assertThat(opened.status()).as("%s", opened).isEqualTo(201);
        String id = opened.text("/id");
        assertThat(opened.text("/customerId")).isEqualTo("buyer1");

        Res read = api.bearer(token(PROVIDER_KEY, claims("buyer1", "CUSTOMER"))).get("/api/v1/disputes/" + id);
        assertThat(read.status()).as("%s", read).isEqualTo(200);

        Res merchant = api.bearer(token(PROVIDER_KEY, claims("merchant1", "MERCHANT"))).get("/api/v1/disputes/" + id);
        assertThat(merchant.status()).as("%s", merchant).isEqualTo(200);
        assertThat(merchant.text("/merchantId")).isEqualTo("merchant1");

        Res otherCustomer = api.bearer(token(PROVIDER_KEY, claims("buyer2", "CUSTOMER"))).get("/api/v1/disputes/" + id);
        assertThat(otherCustomer.status()).as("another customer's token: %s", otherCustomer).isIn(403, 404);
    }

    @Test
    void aRoleClaimMayBeAListOfRoles() {
        Res read = api.bearer(token(PROVIDER_KEY, claims("buyer1", null).claim("role", List.of("VIP", "CUSTOMER"))))
                .get("/api/v1/disputes");
        assertThat(read.status()).as("%s", read).isEqualTo(200);
    }

    @Test
    void anExpiredTokenIsRefused() {
        Instant past = Instant.now().minus(Duration.ofHours(2));
        refused(token(PROVIDER_KEY, claims("buyer1", "CUSTOMER").issueTime(Date.from(past))
                .expirationTime(Date.from(past.plus(Duration.ofHours(1))))), "the token expired at");
    }

    @Test
    void aTokenNotYetValidIsRefused() {
        refused(token(PROVIDER_KEY, claims("buyer1", "CUSTOMER")
                .notBeforeTime(Date.from(Instant.now().plus(Duration.ofMinutes(10))))), "is not valid before");
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefused() {
        refused(token(FORGED_KEY, claims("buyer1", "CUSTOMER")), "signature does not verify");
    }

    @Test
    void aTokenUnderAKeyIdTheProviderDoesNotPublishIsRefused() {
        refused(token(rsa("someone-else"), claims("buyer1", "CUSTOMER")), "a key or algorithm the identity provider "
                + "does not publish");
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        refused(token(PROVIDER_KEY, claims("buyer1", "CUSTOMER").audience("wallet-service")),
                "not meant for this service: its audience (aud) does not include 'refund-desk'");
    }

    @Test
    void anUnsignedTokenIsRefused() {
        refused(new PlainJWT(claims("buyer1", "CUSTOMER").build()).serialize(), "unsigned (alg none)");
    }

    @Test
    void aTokenWithoutExpiryIsRefused() {
        refused(token(PROVIDER_KEY, claims("buyer1", "CUSTOMER").expirationTime(null)), "no expiry (exp)");
    }

    @Test
    void aTokenWithoutRoleIsRefused() {
        refused(token(PROVIDER_KEY, claims("buyer1", null)), "has no 'role' claim; it must say CUSTOMER or MERCHANT");
    }

    @Test
    void aTokenWithARoleOfNoPartyIsRefused() {
        refused(token(PROVIDER_KEY, claims("buyer1", "REVIEWER")), "names no role of this service");
    }

    @Test
    void aTokenWithoutPartyIdIsRefused() {
        refused(token(PROVIDER_KEY, claims(null, "CUSTOMER")), "has no 'sub' claim naming the customer or merchant");
    }

    @Test
    void somethingThatIsNoJwtIsRefused() {
        refused("not-a-jwt", "not a well-formed JWT");
    }

    @Test
    void aCustomersPasswordIsRefusedOutsideTheDemoProfile() {
        Res basic = api.as("buyer1").post("/api/v1/disputes", openBody());
        assertThat(basic.status()).as("%s", basic).isEqualTo(401);
        assertThat(basic.contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).isTrue();
        assertThat(basic.text("/detail")).contains("customers and merchants sign in with a bearer token");
        assertThat(basic.headers().get(HttpHeaders.WWW_AUTHENTICATE)).anyMatch(h -> h.startsWith("Bearer"));
        assertThat(disputesOnTheOrder()).isZero();
    }

    @Test
    void staffKeepHttpBasic() {
        Res staff = api.as("reviewer1").get("/api/v1/disputes");
        assertThat(staff.status()).as("%s", staff).isEqualTo(200);
    }

    @Test
    void withoutAnySignInBothWaysAreOffered() {
        Res anonymous = api.anonymous().get("/api/v1/disputes");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.headers().get(HttpHeaders.WWW_AUTHENTICATE))
                .anyMatch(h -> h.startsWith("Bearer")).anyMatch(h -> h.startsWith("Basic"));
        assertThat(anonymous.text("/detail")).contains("bearer token").contains("HTTP Basic");
    }

    /** The token opens no dispute, and the answer says why without repeating it. */
    private void refused(String token, String sentence) {
        Res answer = api.bearer(token).post("/api/v1/disputes", openBody());
        assertThat(answer.status()).as("%s", answer).isEqualTo(401);
        assertThat(answer.contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).as("%s", answer)
                .isTrue();
        assertThat(answer.text("/detail")).as("%s", answer).startsWith("the bearer token").contains(sentence);
        assertThat(answer.headers().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer error=\"invalid_token\"");
        assertThat(answer.raw()).doesNotContain(token);
        assertThat(answer.headers().toString()).doesNotContain(token);
        assertThat(disputesOnTheOrder()).as("nothing was written").isZero();
        Res read = api.bearer(token).get("/api/v1/disputes");
        assertThat(read.status()).isEqualTo(401);
    }

    private long disputesOnTheOrder() {
        return jdbc.sql("select count(*) from dispute where order_id = ?").param(order).query(Long.class).single();
    }

    private Map<String, Object> openBody() {
        return Map.of("orderId", order, "reason", "NOT_DELIVERED", "description", "卡密没有发货");
    }

    private static JWTClaimsSet.Builder claims(String party, String role) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer("https://id.kameng.test")
                .audience("refund-desk").issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
        if (party != null) {
            claims.subject(party);
        }
        if (role != null) {
            claims.claim("role", role);
        }
        return claims;
    }

    private static String token(RSAKey key, JWTClaimsSet.Builder claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims.build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey rsa(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

}
