package cn.kameng.refunddesk.wechatpay;

import static cn.kameng.refunddesk.support.TestKeys.base64;
import static cn.kameng.refunddesk.support.TestKeys.rsa;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/**
 * WeChat Pay APIv3 as WireMock plays it: answers signed (WECHATPAY2-SHA256-RSA2048) with a platform key
 * pair made for the test, known to the adapter as WeChat Pay's public key; notifications signed the same
 * way with their resource encrypted AEAD_AES_256_GCM under the APIv3 key, as WeChat Pay sends them.
 */
public final class WechatPayStub implements AutoCloseable {

    static final String REFUNDS = "/v3/refund/domestic/refunds";
    static final String PUBLIC_KEY_ID = "PUB_KEY_ID_0119000000000000000000000000";
    static final String MERCHANT_ID = "1900000001";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    final KeyPair platformKeys = rsa();
    final KeyPair merchantKeys = rsa();
    final KeyPair forgerKeys = rsa();
    final String apiV3Key = HexFormat.of().formatHex(bytes(16));
    final WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    public WechatPayStub() {
        server.start();
    }

    /** The adapter's settings for this stub, as property name → value. */
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("payment.wechatpay.enabled", "true");
        p.put("payment.wechatpay.merchant-id", MERCHANT_ID);
        p.put("payment.wechatpay.merchant-serial-number", "5157F09EFDC096DE15EBE81A47057A7232F1B8E1");
        p.put("payment.wechatpay.private-key", base64(merchantKeys.getPrivate().getEncoded()));
        p.put("payment.wechatpay.api-v3-key", apiV3Key);
        p.put("payment.wechatpay.public-key-id", PUBLIC_KEY_ID);
        p.put("payment.wechatpay.public-key", base64(platformKeys.getPublic().getEncoded()));
        p.put("payment.wechatpay.notify-url", "https://refund-desk.example.cn/api/v1/payment-notifications/wechatpay");
        p.put("payment.wechatpay.base-url", server.baseUrl());
        p.put("payment.wechatpay.connect-timeout", "PT2S");
        p.put("payment.wechatpay.read-timeout", "PT3S");
        p.put("payment.channels.WECHAT_PAY", "wechatpay");
        return p;
    }

    void reset() {
        server.resetAll();
    }

    /** The refund request is answered with the refund in {@code status}. */
    void refundAnswers(String outRefundNo, String status, long refundFen, long totalFen) {
        server.stubFor(post(urlPathEqualTo(REFUNDS)).willReturn(signed(200, refund(outRefundNo, status, refundFen, totalFen))));
    }

    void refundAnswersTooLate(String outRefundNo, Duration delay) {
        server.stubFor(post(urlPathEqualTo(REFUNDS)).willReturn(signed(200, refund(outRefundNo, "PROCESSING", 1, 1))
                .withFixedDelay((int) delay.toMillis())));
    }

    void queryAnswers(String outRefundNo, String status, long refundFen, long totalFen) {
        server.stubFor(query(outRefundNo).willReturn(signed(200, refund(outRefundNo, status, refundFen, totalFen))));
    }

    void queryFindsNothing(String outRefundNo) {
        server.stubFor(query(outRefundNo).willReturn(signed(404, Map.of("code", "RESOURCE_NOT_EXISTS",
                "message", "退款单不存在"))));
    }

    void everythingFails(int status) {
        server.stubFor(post(urlPathEqualTo(REFUNDS)).willReturn(signed(status, Map.of("code", "SYSTEM_ERROR",
                "message", "系统繁忙，请稍后重试"))));
        server.stubFor(get(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching(REFUNDS + "/.*"))
                .willReturn(signed(status, Map.of("code", "SYSTEM_ERROR", "message", "系统繁忙，请稍后重试"))));
    }

    /** The bodies of every refund request we sent. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> refundRequests() {
        return server.findAll(postRequestedFor(urlPathEqualTo(REFUNDS))).stream().map(r -> {
            try {
                return (Map<String, Object>) JSON.readValue(r.getBodyAsString(), Map.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    int queries(String outRefundNo) {
        return server.findAll(getRequestedFor(urlPathEqualTo(REFUNDS + "/" + outRefundNo))).size();
    }

    /** A refund notification as WeChat Pay posts it: headers and body, signed with {@code signer}. */
    Notice notice(String outRefundNo, String orderId, String status, long refundFen, long totalFen, PrivateKey signer) {
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("mchid", MERCHANT_ID);
        resource.put("out_trade_no", orderId);
        resource.put("transaction_id", "4200000000" + Math.abs(orderId.hashCode()));
        resource.put("out_refund_no", outRefundNo);
        resource.put("refund_id", "50000000" + Math.abs(outRefundNo.hashCode()));
        resource.put("refund_status", status);
        resource.put("success_time", "2026-11-30T12:00:00+08:00");
        resource.put("user_received_account", "招商银行信用卡0403");
        resource.put("amount", Map.of("total", totalFen, "refund", refundFen, "payer_total", totalFen,
                "payer_refund", refundFen));
        String nonce = HexFormat.of().formatHex(bytes(6));
        Map<String, Object> encrypted = new LinkedHashMap<>();
        encrypted.put("original_type", "refund");
        encrypted.put("algorithm", "AEAD_AES_256_GCM");
        encrypted.put("ciphertext", encrypt(json(resource), nonce, "refund"));
        encrypted.put("associated_data", "refund");
        encrypted.put("nonce", nonce);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", UUID.randomUUID().toString());
        body.put("create_time", "2026-11-30T12:00:01+08:00");
        body.put("resource_type", "encrypt-resource");
        body.put("event_type", "REFUND." + status);
        body.put("summary", "退款结果通知");
        body.put("resource", encrypted);
        String text = json(body);
        return new Notice(headers(text, signer), text);
    }

    record Notice(Map<String, String> headers, String body) {
    }

    @Override
    public void close() {
        server.stop();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static MappingBuilder query(String outRefundNo) {
        return get(urlPathEqualTo(REFUNDS + "/" + outRefundNo));
    }

    private static Map<String, Object> refund(String outRefundNo, String status, long refundFen, long totalFen) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("refund_id", "50000000" + Math.abs(outRefundNo.hashCode()));
        r.put("out_refund_no", outRefundNo);
        r.put("transaction_id", "4200000000000000");
        r.put("out_trade_no", "ORD");
        r.put("channel", "ORIGINAL");
        r.put("user_received_account", "招商银行信用卡0403");
        r.put("create_time", "2026-11-30T12:00:00+08:00");
        r.put("status", status);
        r.put("amount", Map.of("total", totalFen, "refund", refundFen, "payer_total", totalFen, "payer_refund", refundFen,
                "settlement_refund", refundFen, "settlement_total", totalFen, "discount_refund", 0, "currency", "CNY"));
        return r;
    }

    ResponseDefinitionBuilder signed(int status, Map<String, ?> content) {
        String body = json(content);
        ResponseDefinitionBuilder response = aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withHeader("Request-ID", UUID.randomUUID().toString()).withBody(body);
        headers(body, platformKeys.getPrivate()).forEach(response::withHeader);
        return response;
    }

    Map<String, String> headers(String body, PrivateKey signer) {
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        String nonce = HexFormat.of().formatHex(bytes(16));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Wechatpay-Serial", PUBLIC_KEY_ID);
        headers.put("Wechatpay-Timestamp", timestamp);
        headers.put("Wechatpay-Nonce", nonce);
        headers.put("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048");
        headers.put("Wechatpay-Signature", sign(timestamp + "\n" + nonce + "\n" + body + "\n", signer));
        return headers;
    }

    String encrypt(String plaintext, String nonce, String associatedData) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(apiV3Key.getBytes(StandardCharsets.UTF_8), "AES"),
                    new GCMParameterSpec(128, nonce.getBytes(StandardCharsets.UTF_8)));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return base64(cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(String message, PrivateKey key) {
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(message.getBytes(StandardCharsets.UTF_8));
            return base64(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
