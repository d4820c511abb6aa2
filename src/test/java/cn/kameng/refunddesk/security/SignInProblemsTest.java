package cn.kameng.refunddesk.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AuthenticationServiceException;

/**
 * The identity provider's key set cannot be fetched (down, or answering 500): no token can be checked, which is
 * not the caller's fault: 503 with Retry-After and a sentence, never a 500. (TokenSignInTest covers the 401s.)
 */
class SignInProblemsTest {

    @Test
    void anUnreachableKeySetIsAServiceUnavailableProblem() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        new SignInProblems(true).commence(new MockHttpServletRequest("GET", "/api/v1/disputes"), response,
                new AuthenticationServiceException("Couldn't retrieve remote JWK set"));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("30");
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString()).contains("the identity provider's signing keys could not be read")
                .doesNotContain("JWK set");
    }
}
