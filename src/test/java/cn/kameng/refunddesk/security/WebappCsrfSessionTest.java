package cn.kameng.refunddesk.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngines;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import cn.kameng.refunddesk.support.DisputeServiceTest;

/** A failed CSRF check on the webapps refuses that request and nothing else: the staff user stays signed in. */
@DisputeServiceTest
class WebappCsrfSessionTest {

    @LocalServerPort int port;
    @Autowired ProcessEngine engine;

    /** The webapps find their engine by name in Camunda's static registry: point it at this context's engine. */
    @BeforeEach
    void thisContextsEngine() {
        ProcessEngines.registerProcessEngine(engine);
    }

    private final CookieManager cookies = new CookieManager();
    private final HttpClient client = HttpClient.newBuilder().cookieHandler(cookies).build();

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private String xsrf() {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
                .map(HttpCookie::getValue).findFirst().orElseThrow();
    }

    @Test
    void overPlainHttpTheEmbeddedDefaultSetsNoSecureCookieAndNoHsts() throws Exception {
        HttpResponse<String> answer = BehindTlsTest.fetchToken(port);

        assertThat(BehindTlsTest.cookie(answer, "JSESSIONID")).doesNotContainIgnoringCase("Secure");
        assertThat(BehindTlsTest.cookie(answer, "XSRF-TOKEN")).doesNotContainIgnoringCase("Secure");
        assertThat(answer.headers().firstValue("Strict-Transport-Security")).isEmpty();
    }
}
