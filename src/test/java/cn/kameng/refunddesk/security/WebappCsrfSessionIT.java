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
class WebappCsrfSessionIT {

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
    void aBadXsrfTokenDoesNotSignTheStaffUserOut() throws Exception {
        HttpResponse<String> fetch = send(HttpRequest.newBuilder(uri("/camunda/api/admin/auth/user/default"))
                .header("X-XSRF-TOKEN", "Fetch"));
        HttpResponse<String> login = send(HttpRequest.newBuilder(uri("/camunda/api/admin/auth/user/default/login/tasklist"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-XSRF-TOKEN", xsrf())
                .POST(HttpRequest.BodyPublishers.ofString("username=arbiter1&password=demo")));
        assertThat(login.statusCode()).isEqualTo(200);
        HttpResponse<String> me = send(HttpRequest.newBuilder(uri("/camunda/api/admin/auth/user/default")));

        HttpResponse<String> forged = send(HttpRequest.newBuilder(
                uri("/camunda/api/engine/engine/default/task/no-such-task/claim"))
                .header("Content-Type", "application/json").header("X-XSRF-TOKEN", "forged")
                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"arbiter1\"}")));
        assertThat(me.body()).contains("\"userId\":\"arbiter1\"");
        assertThat(forged.statusCode()).isEqualTo(403);

        HttpResponse<String> after = send(HttpRequest.newBuilder(uri("/camunda/api/admin/auth/user/default")));
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).contains("\"userId\":\"arbiter1\"");

        HttpResponse<String> noToken = send(HttpRequest.newBuilder(
                uri("/camunda/api/engine/engine/default/task/no-such-task/claim"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"arbiter1\"}")));
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.headers().firstValue("X-XSRF-TOKEN")).hasValue("Required");
        assertThat(send(HttpRequest.newBuilder(uri("/camunda/api/admin/auth/user/default"))).body())
                .contains("\"userId\":\"arbiter1\"");

        // The right token still passes, and signing out still ends the session.
        HttpResponse<String> claimed = send(HttpRequest.newBuilder(
                uri("/camunda/api/engine/engine/default/task/no-such-task/claim"))
                .header("Content-Type", "application/json").header("X-XSRF-TOKEN", xsrf())
                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"arbiter1\"}")));
        assertThat(claimed.statusCode()).isNotEqualTo(403);

        HttpResponse<String> logout = send(HttpRequest.newBuilder(uri("/camunda/api/admin/auth/user/default/logout"))
                .header("X-XSRF-TOKEN", xsrf()).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(logout.statusCode()).isLessThan(300);
        assertThat(send(HttpRequest.newBuilder(uri("/camunda/api/admin/auth/user/default"))).statusCode())
                .isNotEqualTo(200);
    }


    @Test
    void overPlainHttpTheEmbeddedDefaultSetsNoSecureCookieAndNoHsts() throws Exception {
        HttpResponse<String> answer = BehindTlsTest.fetchToken(port);

        assertThat(BehindTlsTest.cookie(answer, "JSESSIONID")).doesNotContainIgnoringCase("Secure");
        assertThat(BehindTlsTest.cookie(answer, "XSRF-TOKEN")).doesNotContainIgnoringCase("Secure");
        assertThat(answer.headers().firstValue("Strict-Transport-Security")).isEmpty();
    }
}
