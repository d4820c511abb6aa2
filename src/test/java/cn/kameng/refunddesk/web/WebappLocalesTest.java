package cn.kameng.refunddesk.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import cn.kameng.refunddesk.support.DisputeServiceTest;

/**
 * Our Simplified Chinese for Camunda's webapps, as the running service serves it: our config.js replaces
 * Camunda's, zh.json has every key of Camunda's en.json (a Camunda upgrade that adds keys fails here: run
 * tools/webapp-locales/build.py), and a signed-out page load gets no 404.
 */
@DisputeServiceTest
class WebappLocalesTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort int port;

    @ParameterizedTest
    @ValueSource(strings = {"tasklist", "cockpit", "admin", "welcome"})
    void everyAppSpeaksChineseByDefaultWithoutTheWelcomeCall(String app) throws Exception {
        HttpResponse<String> config = get("/camunda/app/" + app + "/scripts/config.js");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).contains("refund-desk/lang.js").contains("disableWelcomeMessage: true")
                .contains("../refund-desk/staff");
        assertThat(get("/camunda/app/" + app + "/styles/user-styles.css").body())
                .contains("@import url(\"../../refund-desk/staff.css\")");
        assertThat(get("/camunda/app/refund-desk/staff.css").body()).contains(".ce-eol-banner");

        JsonNode en = JSON.readTree(strip(get("/camunda/app/" + app + "/locales/en.json").body())).get("labels");
        JsonNode zh = JSON.readTree(get("/camunda/app/" + app + "/locales/zh.json").body()).get("labels");
        en.fieldNames().forEachRemaining(key -> assertThat(zh.has(key)).as(app + " zh.json has " + key).isTrue());
        assertThat(zh.get("BANNER_CE_EOL_TEXT").asText()).isEmpty();
    }

    @Test
    void tasklistsOwnWordsAreChinese() throws Exception {
        JsonNode zh = JSON.readTree(get("/camunda/app/tasklist/locales/zh.json").body()).get("labels");
        assertThat(Map.of("CLAIM_TASK", "认领", "COMPLETE", "完成", "PAGE_LOGIN_SIGN_IN_ACTION", "登录",
                "PAGE_LOGIN_USERNAME", "用户名")).allSatisfy((key, words) -> assertThat(zh.get(key).asText()).isEqualTo(words));
        JsonNode cockpit = JSON.readTree(get("/camunda/app/cockpit/locales/zh.json").body()).get("labels");
        assertThat(cockpit.get("PLUGIN_INCIDENTS_LABEL").asText()).isEqualTo("故障");
    }

    @Test
    void nobodySignedInIsNoContentNotNotFound() throws Exception {
        HttpResponse<String> who = get("/camunda/api/admin/auth/user/default");
        assertThat(who.statusCode()).isEqualTo(204);
        assertThat(who.body()).isEmpty();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String strip(String bom) {
        return bom.startsWith("\uFEFF") ? bom.substring(1) : bom;
    }
}
