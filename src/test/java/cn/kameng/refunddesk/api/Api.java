package cn.kameng.refunddesk.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;

/**
 * A plain HTTP client for the service on its random port: HTTP Basic as a demo user, a bearer token (or nobody),
 * never throws on a 4xx/5xx, and hands back the status, headers and the body parsed as JSON.
 */
final class Api {

    static final String DEMO_PASSWORD = "demo";

    /** One answer of the service. {@code json} is a MissingNode when the body is empty or not JSON. */
    record Res(int status, HttpHeaders headers, String raw, JsonNode json) {

        JsonNode at(String pointer) {
            return json.at(pointer);
        }

        String text(String pointer) {
            return json.at(pointer).asText();
        }

        MediaType contentType() {
            return headers.getContentType();
        }

        @Override
        public String toString() {
            return status + " " + raw;
        }
    }

    private final RestClient client;
    private final ObjectMapper mapper = new ObjectMapper();

    Api(int port) {
        this.client = RestClient.builder()
                .baseUrl("http://localhost:" + port)
                .requestFactory(new JdkClientHttpRequestFactory())
                .defaultStatusHandler(status -> true, (request, response) -> { })
                .build();
    }

    /** Requests signed in as {@code user} with the demo password. */
    As as(String user) {
        return new As(user, DEMO_PASSWORD);
    }

    As as(String user, String password) {
        return new As(user, password);
    }

    /** Requests without any Authorization header. */
    As anonymous() {
        return new As(null, null);
    }

    /** Requests with {@code Authorization: Bearer <token>} (an identity provider's JWT). */
    As bearer(String token) {
        return new As(null, null, token);
    }

    final class As {
        private final String user;
        private final String password;
        private final String token;

        private As(String user, String password) {
            this(user, password, null);
        }

        private As(String user, String password, String token) {
            this.user = user;
            this.password = password;
            this.token = token;
        }

        Res get(String path) {
            return send(HttpMethod.GET, path, null, null, h -> { });
        }

        Res post(String path, Object jsonBody) {
            return send(HttpMethod.POST, path, MediaType.APPLICATION_JSON, jsonBody, h -> { });
        }

        Res post(String path, Object jsonBody, Consumer<HttpHeaders> headers) {
            return send(HttpMethod.POST, path, MediaType.APPLICATION_JSON, jsonBody, headers);
        }

        Res postEmpty(String path) {
            return send(HttpMethod.POST, path, null, null, h -> { });
        }

        Res put(String path, Object jsonBody) {
            return send(HttpMethod.PUT, path, MediaType.APPLICATION_JSON, jsonBody, h -> { });
        }

        Res multipart(String path, MultiValueMap<String, Object> parts) {
            return send(HttpMethod.POST, path, MediaType.MULTIPART_FORM_DATA, parts, h -> { });
        }

        /** A raw body with the given content type and extra headers (e.g. a gateway's signature). */
        Res postRaw(String path, MediaType contentType, String body, Map<String, String> headers) {
            return send(HttpMethod.POST, path, contentType, body, h -> headers.forEach(h::set));
        }

        private Res send(HttpMethod method, String path, MediaType contentType, Object body,
                Consumer<HttpHeaders> extraHeaders) {
            RestClient.RequestBodySpec spec = client.method(method).uri(path).headers(h -> {
                if (user != null) {
                    h.setBasicAuth(user, password, StandardCharsets.UTF_8);
                }
                if (token != null) {
                    h.setBearerAuth(token);
                }
                h.setAccept(java.util.List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON,
                        MediaType.ALL));
                extraHeaders.accept(h);
            });
            if (contentType != null) {
                spec.contentType(contentType);
            }
            if (body != null) {
                spec.body(body);
            }
            return spec.exchange((request, response) -> {
                String raw = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
                return new Res(response.getStatusCode().value(), response.getHeaders(), raw, parse(raw));
            });
        }
    }

    private JsonNode parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return mapper.readTree(raw);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }
}
