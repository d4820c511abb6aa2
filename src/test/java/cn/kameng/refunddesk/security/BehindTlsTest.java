package cn.kameng.refunddesk.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import cn.kameng.refunddesk.support.DisputeServiceTest;

/**
 * dispute.security.behind-tls: the session and XSRF-TOKEN cookies are Secure and HSTS is on, for a request that
 * reaches the service over plain HTTP from the TLS-terminating proxy (X-Forwarded-Proto: https).
 */
@DisputeServiceTest
@TestPropertySource(properties = {"dispute.security.behind-tls=true", "server.forward-headers-strategy=native"})
class BehindTlsTest {

    @LocalServerPort int port;

    static HttpResponse<String> fetchToken(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/camunda/api/admin/auth/user/default")).header("X-XSRF-TOKEN", "Fetch")
                .header("X-Forwarded-Proto", "https").build(), HttpResponse.BodyHandlers.ofString());
    }

    static String cookie(HttpResponse<String> answer, String name) {
        List<String> cookies = answer.headers().allValues("Set-Cookie");
        return cookies.stream().filter(c -> c.startsWith(name + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + cookies));
    }

    @Test
    void cookiesAreSecureAndHstsIsOn() throws Exception {
        HttpResponse<String> answer = fetchToken(port);

        assertThat(cookie(answer, "JSESSIONID")).containsIgnoringCase("Secure");
        assertThat(cookie(answer, "XSRF-TOKEN")).containsIgnoringCase("Secure");
        assertThat(answer.headers().firstValue("Strict-Transport-Security"))
                .hasValue("max-age=31536000 ; includeSubDomains");
        HttpResponse<String> api = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://localhost:" + port + "/api/v1/disputes")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(api.headers().firstValue("Strict-Transport-Security")).isPresent();
    }
}
