package cn.kameng.refunddesk.alipay;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.alipay.api.AlipayApiException;
import com.alipay.api.AlipayClient;
import com.alipay.api.AlipayConfig;
import com.alipay.api.AlipayRequest;
import com.alipay.api.AlipayResponse;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.internal.util.AlipaySignature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import cn.kameng.refunddesk.complaint.ChannelUnavailableException;
import cn.kameng.refunddesk.complaint.ComplaintSource.Image;
import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.DomainException.NotAuthentic;
import cn.kameng.refunddesk.dispute.DomainException.NotFound;
import cn.kameng.refunddesk.dispute.ServiceClock;

/**
 * What both Alipay complaint families share: the SDK client on our application's keys (every answer's RSA2
 * signature checked by the SDK), the sorting of Alipay's answers into done / busy (retry) / refused (for good),
 * the RSA2 check of Alipay's messages, Beijing-time stamps, yuan, and the download of a buyer's image.
 */
final class AlipayComplaintCalls {

    /** Alipay's stamps: Beijing time to the second. */
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final AlipayClient client;
    private final String appId;
    private final String alipayPublicKey;
    private final String gatewayUrl;
    private final String setting;
    private final HttpClient http;
    private final Duration imageTimeout;
    private final ObjectMapper json;

    /** {@code setting} names the property that switched this family on, for the start-up's sentences. */
    AlipayComplaintCalls(AlipayProperties properties, String setting, ObjectMapper json) {
        this.setting = setting;
        AlipayConfig config = new AlipayConfig();
        try {
            config.setServerUrl(properties.gatewayUrl());
            config.setAppId(properties.appIdValue());
            config.setPrivateKey(properties.privateKeyValue());
            config.setAlipayPublicKey(properties.alipayPublicKeyValue());
        } catch (IllegalStateException e) {
            throw new IllegalStateException(setting + " is true, and the complaint APIs use the application's keys: "
                    + e.getMessage(), e);
        }
        config.setFormat("json");
        config.setCharset("UTF-8");
        config.setSignType("RSA2");
        config.setConnectTimeout((int) properties.connectTimeout().toMillis());
        config.setReadTimeout((int) properties.readTimeout().toMillis());
        try {
            this.client = new DefaultAlipayClient(config);
        } catch (AlipayApiException e) {
            throw new IllegalStateException(setting + ": the Alipay SDK refused its configuration: " + e.getErrMsg(), e);
        }
        this.appId = config.getAppId();
        this.alipayPublicKey = config.getAlipayPublicKey();
        this.gatewayUrl = properties.gatewayUrl();
        this.imageTimeout = properties.complaints().imageTimeout();
        this.http = HttpClient.newBuilder().connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.json = json;
    }

    // ---- calls ------------------------------------------------------------------------------------

    /**
     * One call. No answer, a server error, an answer not signed by Alipay, or Alipay's "busy" codes throw
     * {@link ChannelUnavailableException} (the outcome is unknown: retried); any other answer is returned,
     * business refusals included ({@code isSuccess()} false): the caller decides what a refusal means.
     */
    <T extends AlipayResponse> T call(AlipayRequest<T> request, String what) {
        T response;
        try {
            response = client.execute(request);
        } catch (AlipayApiException e) {
            String cause = e.getCause() != null ? e.getCause().toString()
                    : e.getErrMsg() != null ? e.getErrMsg() : e.getMessage();
            throw new ChannelUnavailableException("Alipay did not answer " + what + " (" + request.getApiMethodName()
                    + "); it is tried again later. If this lasts, check that " + gatewayUrl
                    + " is reachable and Alipay's service status. Cause: " + AlipayPaymentGateway.shorten(cause), e);
        }
        if (!response.isSuccess() && busy(response)) {
            throw new ChannelUnavailableException("Alipay was busy and did not take " + what + " ("
                    + request.getApiMethodName() + " answered " + refusal(response) + "); it is tried again later.");
        }
        return response;
    }

    /** A call whose refusal is final for a read: "no such complaint" is {@link NotFound}, anything else a {@link AlipayRefusal}. */
    <T extends AlipayResponse> T read(AlipayRequest<T> request, String what) {
        T response = call(request, what);
        if (!response.isSuccess()) {
            String sub = String.valueOf(response.getSubCode()).toUpperCase(Locale.ROOT);
            if (sub.contains("NOT_EXIST") || sub.contains("NOT_FOUND")) {
                throw new NotFound("Alipay has no " + what + ": " + refusal(response));
            }
            throw new AlipayRefusal(request.getApiMethodName(), what, response);
        }
        return response;
    }

    /** Alipay's "system busy / unknown" answers decide nothing: retried like a timeout. */
    static boolean busy(AlipayResponse response) {
        String code = response.getCode();
        String sub = response.getSubCode() == null ? "" : response.getSubCode();
        return code == null || "20000".equals(code) || sub.startsWith("isp.") || sub.contains("SYSTEM_ERROR")
                || sub.contains("SYSTEM_BUSY");
    }

    static String refusal(AlipayResponse response) {
        return response.getCode() + " " + response.getMsg()
                + (response.getSubCode() != null ? ", " + response.getSubCode() + " " + response.getSubMsg() : "");
    }

    /** Fields of the answer the SDK's classes (of this SDK version) do not map, read from the signed body. */
    JsonNode rawAnswer(AlipayResponse response, String method) {
        try {
            JsonNode root = response.getBody() == null ? null : json.readTree(response.getBody());
            JsonNode node = root == null ? null : root.get(method.replace('.', '_') + "_response");
            return node == null ? MissingNode.getInstance() : node;
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }

    String bizContent(Map<String, ?> content) {
        try {
            return json.writeValueAsString(content);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- messages from Alipay ---------------------------------------------------------------------

    /**
     * A message Alipay posts to the application's gateway address: form-encoded, RSA2-signed over the sorted
     * parameters. Answers the parameters when the signature verifies against Alipay's public key and the message
     * is {@code msgMethod} for our application; {@code biz_content} is parsed by {@link #bizContentOf}.
     */
    Map<String, String> verifiedMessage(String body, String msgMethod, String endpoint) {
        Map<String, String> params = form(body == null ? "" : body);
        boolean verified;
        try {
            verified = params.containsKey("sign")
                    && AlipaySignature.rsaCheckV1(new LinkedHashMap<>(params), alipayPublicKey, "UTF-8", "RSA2");
        } catch (AlipayApiException | RuntimeException e) {
            verified = false;
        }
        if (!verified) {
            throw new NotAuthentic("the Alipay message's RSA2 signature does not verify against "
                    + "payment.alipay.alipay-public-key");
        }
        String method = params.get("msg_method");
        if (!msgMethod.equals(method)) {
            throw BadInput.field("msg_method", "is '" + method + "'; " + endpoint + " takes " + msgMethod + " only");
        }
        String app = params.get("app_id");
        if (app != null && !app.isBlank() && !app.equals(appId)) {
            throw BadInput.field("app_id", "is " + app + ", not this service's application " + appId);
        }
        return params;
    }

    /** The message's {@code msg_method}, unverified: which family's message it is (null when it names none). */
    static String msgMethodOf(String body) {
        return body == null ? null : form(body).get("msg_method");
    }

    JsonNode bizContentOf(Map<String, String> params) {
        String text = params.get("biz_content");
        try {
            JsonNode node = text == null ? null : json.readTree(text);
            if (node == null || !node.isObject()) {
                throw BadInput.field("biz_content", "must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw BadInput.field("biz_content", "is not JSON: " + e.getOriginalMessage());
        }
    }

    private static Map<String, String> form(String body) {
        return AlipayPaymentGateway.form(body); // one parser of Alipay's form-encoded posts
    }

    // ---- images -----------------------------------------------------------------------------------

    /**
     * A buyer's image by the URL Alipay gave in the complaint's detail. Such URLs are time-limited, so any failure
     * (no answer, an expired or refused address) is {@link ChannelUnavailableException}: the core takes the
     * complaint again later, with a fresh detail and fresh addresses.
     */
    Image download(String url, String what) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ChannelUnavailableException(what + " has no usable address: " + AlipayPaymentGateway.shorten(url));
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme())) {
            throw new ChannelUnavailableException(what + " is not at an http(s) address: "
                    + AlipayPaymentGateway.shorten(url));
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(imageTimeout).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ChannelUnavailableException("Alipay did not deliver " + what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelUnavailableException("the download of " + what + " was interrupted", e);
        }
        int status = response.statusCode();
        if (status != 200) {
            throw new ChannelUnavailableException("Alipay answered HTTP " + status + " for " + what + (status >= 500
                    ? "; tried again later" : "; its address may have expired: read again with the complaint's detail"));
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String name = path.contains("/") ? path.substring(path.lastIndexOf('/') + 1) : path;
        return new Image(response.body(), response.headers().firstValue("content-type").orElse(null),
                name.isBlank() ? null : name);
    }

    // ---- values -----------------------------------------------------------------------------------

    static String stamp(Instant instant) {
        return STAMP.format(instant.atZone(ServiceClock.BEIJING));
    }

    /** An Alipay stamp (Beijing time); null when absent or not a stamp (tolerated: the field is informative). */
    static Instant instant(String stamp) {
        if (stamp == null || stamp.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(stamp.trim(), STAMP).atZone(ServiceClock.BEIJING).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static Instant instant(java.util.Date date) {
        return date == null ? null : date.toInstant();
    }

    /** Yuan as Alipay writes amounts, in fen; null when absent or unreadable. */
    static Long fen(String yuan) {
        if (yuan == null || yuan.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(yuan.trim()).movePointRight(2).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    /** Alipay limits free text (feedback: 200 characters); longer text is cut with an ellipsis, never refused. */
    static String limit(String text, int max) {
        if (text == null) {
            return null;
        }
        return text.codePointCount(0, text.length()) <= max ? text
                : text.substring(0, text.offsetByCodePoints(0, max - 1)) + "…";
    }

    /**
     * Alipay refused a read for good (no permission for the API, a parameter it does not take): not retried, the
     * sentence names the method and Alipay's sub_code. Adapter-side: the port has no kind for it.
     */
    static final class AlipayRefusal extends cn.kameng.refunddesk.complaint.ChannelRefusedException {
        private static final long serialVersionUID = 1L;

        private final String subCode;

        AlipayRefusal(String method, String what, AlipayResponse response) {
            super("Alipay refused " + what + " (" + method + "): " + refusal(response)
                    + ". Not retried: check the application's access to this API in the Alipay console.");
            this.subCode = response.getSubCode();
        }

        String subCode() {
            return subCode;
        }
    }
}
