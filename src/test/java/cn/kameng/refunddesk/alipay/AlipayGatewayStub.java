package cn.kameng.refunddesk.alipay;

import static cn.kameng.refunddesk.support.TestKeys.base64;
import static cn.kameng.refunddesk.support.TestKeys.rsa;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import org.springframework.test.context.DynamicPropertyRegistry;

import cn.kameng.refunddesk.calendar.Sla;

/**
 * Alipay's OpenAPI gateway as WireMock plays it: answers signed RSA2 with a key pair made for the test
 * (its public half configured as Alipay's public key), and our application key pair, so the real SDK
 * signs requests and checks answers exactly as against Alipay. Start once per test class.
 */
public final class AlipayGatewayStub implements AutoCloseable, org.junit.jupiter.api.extension.BeforeEachCallback,
        org.junit.jupiter.api.extension.AfterAllCallback {

    public static final String REFUND = "alipay.trade.refund";
    public static final String QUERY = "alipay.trade.fastpay.refund.query";
    private static final ObjectMapper JSON = new ObjectMapper();

    public final KeyPair alipayKeys = rsa();
    final KeyPair appKeys = rsa();
    /** Not Alipay's: what a forger would sign with. */
    final KeyPair forgerKeys = rsa();
    final WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    public AlipayGatewayStub() {
        server.start();
    }

    public void register(DynamicPropertyRegistry registry) {
        registry.add("payment.alipay.gateway-url", () -> server.baseUrl() + "/gateway.do");
        registry.add("payment.alipay.private-key", () -> base64(appKeys.getPrivate().getEncoded()));
        registry.add("payment.alipay.alipay-public-key", () -> base64(alipayKeys.getPublic().getEncoded()));
    }

    void reset() {
        server.resetAll();
    }

    /**
     * Registered as a test class's extension ({@code @RegisterExtension static final AlipayGatewayStub alipay}),
     * the stub forgets every answer and call before each test and stops after the class. A Spring context's
     * stub ({@link AlipayServiceTest}) is not registered: it outlives its classes.
     */
    @Override
    public void beforeEach(org.junit.jupiter.api.extension.ExtensionContext context) {
        reset();
    }

    @Override
    public void afterAll(org.junit.jupiter.api.extension.ExtensionContext context) {
        close();
    }

    /** Alipay answers {@code method} with {@code content}, signed. */
    public void answers(String method, Map<String, ?> content) {
        server.stubFor(call(method).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html;charset=utf-8").withBody(signedAnswer(method, content))));
    }

    /** Alipay answers, but only after {@code delay}: the SDK's read timeout fires first. */
    void answersTooLate(String method, Map<String, ?> content, Duration delay) {
        server.stubFor(call(method).willReturn(aResponse().withStatus(200).withFixedDelay((int) delay.toMillis())
                .withHeader("Content-Type", "text/html;charset=utf-8").withBody(signedAnswer(method, content))));
    }

    /** A path of this stub, for answers that point back at it (image URLs). */
    String url(String path) {
        return server.baseUrl() + path;
    }

    void fails(String method, int status) {
        // A load balancer's error page, long as real ones are: the incident message must still carry the advice.
        server.stubFor(call(method).willReturn(aResponse().withStatus(status)
                .withBody("<html><body><h1>503 Service Temporarily Unavailable</h1>" + "<p>Tengine</p>\n".repeat(80)
                        + "</body></html>")));
    }

    /**
     * The application's settings against this stub, both complaint families on, timeouts short (a test's
     * "Alipay does not answer" waits {@code readTimeout}).
     */
    AlipayProperties complaintProperties(Duration readTimeout) {
        return new AlipayProperties(false, "2021000000000001", base64(appKeys.getPrivate().getEncoded()), null,
                base64(alipayKeys.getPublic().getEncoded()), null, server.baseUrl() + "/gateway.do", Duration.ofSeconds(2),
                readTimeout, new AlipayProperties.Complaints(
                        new AlipayProperties.TradeComplain(true, Sla.valueOf("PT48H"), 20, Duration.ofDays(30)),
                        new AlipayProperties.RiskGo(true, 20, Duration.ofDays(30)), Duration.ofSeconds(2)));
    }

    /** The form parameters (outside biz_content too) of every call of {@code method} we made, in order. */
    List<Map<String, String>> forms(String method) {
        return server.findAll(requested(method)).stream().map(r -> {
            Map<String, String> params = new LinkedHashMap<>();
            for (String pair : r.getBodyAsString().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return params;
        }).toList();
    }

    /** Every multipart upload of {@code method} we made: its text fields and, per file field, the file's bytes. */
    List<Upload> uploads(String method) {
        return server.findAll(requested(method)).stream().map(r -> {
            Map<String, String> fields = new LinkedHashMap<>();
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (var part : r.getParts()) {
                var disposition = part.getHeader("Content-Disposition");
                String header = disposition == null ? "" : disposition.firstValue();
                if (header.contains("filename=")) {
                    files.put(part.getName(), part.getBody().asBytes());
                } else {
                    fields.put(part.getName(), part.getBody().asString());
                }
            }
            return new Upload(fields, files);
        }).toList();
    }

    record Upload(Map<String, String> fields, Map<String, byte[]> files) {
    }

    /** A file where Alipay's image store would serve it; answers its URL. */
    String serves(String path, byte[] bytes, String contentType) {
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo(path))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", contentType).withBody(bytes)));
        return server.baseUrl() + path;
    }

    /**
     * A file in Alipay's file store behind a signed, expiring address, as the complaint details give them
     * ({@code https://…/afts/file/…?Expires=…&OSSAccessKeyId=…&Signature=…}): served only with a signature, after
     * {@code delay} ms. Each read of a complaint signs the same file anew: see {@link #signed}.
     */
    void servesSigned(String path, byte[] bytes, String contentType, int delay) {
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo(path))
                .withQueryParam("Expires", com.github.tomakehurst.wiremock.client.WireMock.matching("[0-9]+"))
                .withQueryParam("OSSAccessKeyId", com.github.tomakehurst.wiremock.client.WireMock.matching(".+"))
                .withQueryParam("Signature", com.github.tomakehurst.wiremock.client.WireMock.matching(".+"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", contentType).withBody(bytes)
                        .withFixedDelay(delay)));
    }

    /** The file store is down for {@code path}: 503 to every download. */
    void storeFails(String path) {
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo(path))
                .willReturn(aResponse().withStatus(503)));
    }

    /** The address of {@code path} signed to expire at {@code expires} (seconds), as a fresh detail gives it. */
    String signed(String path, long expires) {
        return server.baseUrl() + path + "?Expires=" + expires + "&OSSAccessKeyId=LTAI-test&Signature="
                + java.net.URLEncoder.encode(java.util.Base64.getEncoder().encodeToString(
                        ("sig-" + path + expires).getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    /** How often {@code path} was downloaded from the file store. */
    int downloads(String path) {
        return server.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlPathEqualTo(path)))
                .size();
    }

    /** The business content of every call of {@code method} we made, in order. */
    public List<Map<String, Object>> calls(String method) {
        return server.findAll(requested(method)).stream().map(AlipayGatewayStub::bizContent).toList();
    }

    int count(String method) {
        return calls(method).size();
    }

    public static Map<String, Object> success(Object... fields) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("code", "10000");
        content.put("msg", "Success");
        for (int i = 0; i < fields.length; i += 2) {
            content.put((String) fields[i], fields[i + 1]);
        }
        return content;
    }

    static Map<String, Object> error(String code, String subCode, String subMsg) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("code", code);
        content.put("msg", "Business Failed");
        content.put("sub_code", subCode);
        content.put("sub_msg", subMsg);
        return content;
    }

    /** A notification body as Alipay posts it: form-encoded, RSA2 over the sorted parameters, signed with {@code key}. */
    public String notification(Map<String, String> params, PrivateKey key) {
        Map<String, String> sorted = new TreeMap<>(params);
        String content = sorted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
        Map<String, String> all = new LinkedHashMap<>(params);
        all.put("sign_type", "RSA2");
        all.put("sign", sign(content, key));
        return all.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    @Override
    public void close() {
        server.stop();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static MappingBuilder call(String method) {
        return post(urlPathEqualTo("/gateway.do")).withQueryParam("method", equalTo(method));
    }

    private static RequestPatternBuilder requested(String method) {
        return postRequestedFor(urlPathEqualTo("/gateway.do")).withQueryParam("method", equalTo(method));
    }

    private String signedAnswer(String method, Map<String, ?> content) {
        try {
            String body = JSON.writeValueAsString(content);
            return "{\"" + method.replace('.', '_') + "_response\":" + body + ",\"sign\":\""
                    + sign(body, alipayKeys.getPrivate()) + "\"}";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> bizContent(LoggedRequest request) {
        for (String pair : request.getBodyAsString().split("&")) {
            if (pair.startsWith("biz_content=")) {
                try {
                    return JSON.readValue(URLDecoder.decode(pair.substring(12), StandardCharsets.UTF_8), Map.class);
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException("no biz_content in " + request.getBodyAsString());
    }

    static String sign(String content, PrivateKey key) {
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(content.getBytes(StandardCharsets.UTF_8));
            return base64(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
