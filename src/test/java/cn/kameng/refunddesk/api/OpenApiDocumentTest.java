package cn.kameng.refunddesk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import cn.kameng.refunddesk.api.Api.Res;
import cn.kameng.refunddesk.support.DisputeServiceTest;

/**
 * The committed description of the API (docs/openapi.yaml) is the one the running code serves: a change to a
 * controller, a body or an error without regenerating it fails here, with the first line that differs.
 * Regenerate: mvn -B -q test -Dtest=OpenApiDocumentTest -Dopenapi.write=true
 */
@DisputeServiceTest
class OpenApiDocumentTest {

    static final Path COMMITTED = Path.of("docs/openapi.yaml");
    static final String REGENERATE = "mvn -B -q test -Dtest=OpenApiDocumentTest -Dopenapi.write=true";

    @LocalServerPort int port;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    @Test
    void theCommittedDescriptionIsTheOneTheCodeServes() throws IOException {
        Res served = api.as("reviewer1").get("/v3/api-docs.yaml");
        assertThat(served.status()).as("%s", served).isEqualTo(200);
        String document = served.raw().replace("\r\n", "\n");
        if (Boolean.getBoolean("openapi.write")) {
            Files.writeString(COMMITTED, document, StandardCharsets.UTF_8);
            return;
        }
        assertThat(COMMITTED).as("docs/openapi.yaml is missing; write it with: " + REGENERATE).exists();
        String committed = Files.readString(COMMITTED, StandardCharsets.UTF_8).replace("\r\n", "\n");
        if (!committed.equals(document)) {
            fail("docs/openapi.yaml differs from the API the code serves at " + firstDifference(committed, document)
                    + "\nIf the change is meant, regenerate it with: " + REGENERATE);
        }
    }

    @Test
    void theDescriptionCoversTheApiItsSignInsAndItsProblems() {
        Res served = api.as("reviewer1").get("/v3/api-docs");
        assertThat(served.status()).isEqualTo(200);
        assertThat(served.json().at("/paths").fieldNames()).toIterable().isNotEmpty()
                .allMatch(path -> path.startsWith("/api/v1/"))
                .contains("/api/v1/disputes", "/api/v1/disputes/{id}")
                .noneMatch(path -> path.startsWith("/api/v1/sandbox"));
        assertThat(served.json().at("/components/securitySchemes/bearerToken/bearerFormat").asText()).isEqualTo("JWT");
        assertThat(served.json().at("/components/securitySchemes/staffBasic/scheme").asText()).isEqualTo("basic");
        assertThat(served.json().at("/paths/~1api~1v1~1disputes/post/responses/409/content")
                .has("application/problem+json")).isTrue();
        assertThat(served.json().at("/components/schemas/Problem/properties").has("detail")).isTrue();
        assertThat(served.json().at("/paths/~1api~1v1~1payment-notifications~1{gateway}/post/security")).isEmpty();
        assertThat(served.json().at("/servers/0/url").asText()).isEqualTo("/");
    }

    @Test
    void onlySignedInCallersReadTheDescription() {
        for (String path : List.of("/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/swagger-config")) {
            Res anonymous = api.anonymous().get(path);
            assertThat(anonymous.status()).as("%s: %s", path, anonymous).isEqualTo(401);
        }
    }

    private static String firstDifference(String committed, String served) {
        String[] a = committed.split("\n", -1);
        String[] b = served.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String was = i < a.length ? a[i] : "<end of file>";
            String is = i < b.length ? b[i] : "<end of file>";
            if (!was.equals(is)) {
                return "line " + (i + 1) + ":\n  committed: " + was + "\n  served:    " + is;
            }
        }
        return "the line endings";
    }
}
