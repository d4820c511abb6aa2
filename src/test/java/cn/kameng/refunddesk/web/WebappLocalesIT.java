package cn.kameng.refunddesk.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * tools/webapp-locales/build.py), Cockpit and Admin show no English label and keep every placeholder, and a
 * signed-out page load gets no 404.
 */
@DisputeServiceTest
class WebappLocalesIT {

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

    /**
     * Names and codes that stay as they are in Chinese: product names, standards and formats, an engine value
     * shown as such (null) and the date pattern of an input field. Nothing else may show English.
     */
    private static final List<String> UNTRANSLATED = List.of("Camunda", "Cockpit", "Tasklist", "Optimize", "BPMN",
            "DMN", "CMMN", "DRD", "ID", "JSON", "XML", "CSV", "URL", "HTTP", "cron", "null", "YYYY-MM-DDTHH:mm:ss");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*(.*?)\\s*}}");

    @ParameterizedTest
    @ValueSource(strings = {"cockpit", "admin"})
    void operationsAndAdministratorsSeeNoEnglishAndEveryPlaceholderSurvives(String app) throws Exception {
        JsonNode en = JSON.readTree(strip(get("/camunda/app/" + app + "/locales/en.json").body())).get("labels");
        JsonNode zh = JSON.readTree(get("/camunda/app/" + app + "/locales/zh.json").body()).get("labels");
        List<String> english = new ArrayList<>();
        List<String> lostPlaceholders = new ArrayList<>();
        en.fields().forEachRemaining(label -> {
            String key = label.getKey(), original = label.getValue().asText(), chinese = zh.get(key).asText();
            if (chinese.equals(original) && hasWordsToTranslate(original)) {
                english.add(key + " = " + original);
            }
            Matcher placeholder = PLACEHOLDER.matcher(original);
            while (placeholder.find()) {
                if (!Pattern.compile("\\{\\{\\s*" + Pattern.quote(placeholder.group(1)) + "\\s*}}").matcher(chinese).find()) {
                    lostPlaceholders.add(key + " lost " + placeholder.group());
                }
            }
        });
        assertThat(english).as(app + " labels still in English").isEmpty();
        assertThat(lostPlaceholders).as(app + " placeholders the Chinese dropped").isEmpty();
    }

    private static boolean hasWordsToTranslate(String text) {
        String rest = PLACEHOLDER.matcher(text).replaceAll(" ");
        for (String name : UNTRANSLATED) {
            rest = rest.replaceAll("(?<![A-Za-z])" + Pattern.quote(name) + "(?![A-Za-z])", " ");
        }
        return rest.chars().anyMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
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
