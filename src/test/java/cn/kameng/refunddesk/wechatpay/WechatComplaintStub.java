package cn.kameng.refunddesk.wechatpay;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import java.security.PrivateKey;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import cn.kameng.refunddesk.support.EvidenceFiles;

/**
 * WeChat Pay 消费者投诉2.0 as WireMock plays it, on {@link WechatPayStub}'s keys: the complaint list (limit ≤ 50,
 * offset, begin_date/end_date), detail, negotiation history, images, the three answers (204, signed like every
 * answer) and the notification URL; notifications signed and encrypted (original_type "complaint") as WeChat
 * Pay posts them. The complaints live in {@link #complaints} and are served by {@link #publish()}.
 */
public final class WechatComplaintStub implements AutoCloseable {

    static final String BASE = "/v3/merchant-service/complaints-v2";
    static final String UPLOAD = "/v3/merchant-service/images/upload";
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    private static final ObjectMapper JSON = new ObjectMapper();

    final WechatPayStub wechat = new WechatPayStub();
    /** complaint_id → the detail WeChat Pay shows. */
    final Map<String, Map<String, Object>> complaints = new LinkedHashMap<>();
    /** complaint_id → its negotiation history. */
    final Map<String, List<Map<String, Object>>> histories = new LinkedHashMap<>();
    private Integer down;

    /** Settings of the complaint source only (the refund gateway stays the sandbox). */
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>(wechat.properties());
        p.put("payment.wechatpay.enabled", "false");
        p.remove("payment.channels.WECHAT_PAY");
        p.remove("payment.wechatpay.notify-url");
        p.put("payment.wechatpay.complaints.enabled", "true");
        p.put("payment.wechatpay.complaints.register-notify-url", "false");
        return p;
    }

    /** A new complaint about {@code orderId} made at {@code at} (Beijing time), with one buyer image. */
    Map<String, Object> complaint(String complaintId, String orderId, long amountFen, String problemType,
            OffsetDateTime at) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("complaint_id", complaintId);
        c.put("complaint_time", RFC3339.format(at.withOffsetSameInstant(ZoneOffset.ofHours(8))));
        c.put("complaint_detail", "卡密无法兑换，商家不理，要求退款");
        c.put("complaint_state", "PENDING");
        c.put("payer_phone", "Ciphertext-not-for-us==");
        c.put("complaint_order_info", List.of(Map.of("transaction_id", "42000019" + Math.abs(orderId.hashCode()),
                "out_trade_no", orderId, "amount", amountFen)));
        c.put("complaint_full_refunded", false);
        c.put("incoming_user_response", false);
        c.put("user_complaint_times", 1);
        c.put("complaint_media_list", List.of(Map.of("media_type", "USER_COMPLAINT_IMAGE", "media_url",
                List.of("https://api.mch.weixin.qq.com/v3/merchant-service/images/MEDIA-" + complaintId))));
        c.put("problem_description", "充值未到账");
        c.put("problem_type", problemType);
        c.put("apply_refund_amount", "REFUND".equals(problemType) ? amountFen : 0);
        c.put("user_tag_list", List.of());
        c.put("service_order_info", List.of());
        c.put("a_field_added_next_year", Map.of("nested", true));
        complaints.put(complaintId, c);
        List<Map<String, Object>> history = new ArrayList<>();
        history.add(Map.of("log_id", "300285320210322170000071077", "operator", "投诉人", "operate_time",
                c.get("complaint_time"), "operate_type", "USER_CREATE_COMPLAINT", "operate_details",
                "卡密无法兑换，商家不理，要求退款", "image_list", List.of()));
        histories.put(complaintId, history);
        return c;
    }

    /** Serves {@link #complaints} as they are now (call after changing them). */
    void publish() {
        wechat.server.resetMappings();
        if (down != null) {
            ResponseDefinitionBuilder failing = wechat.signed(down, Map.of("code", "SYSTEM_ERROR", "message", "系统繁忙，请稍后重试"));
            wechat.server.stubFor(get(urlPathMatching("/v3/merchant-service/.*")).willReturn(failing));
            wechat.server.stubFor(post(urlPathMatching("/v3/merchant-service/.*")).willReturn(failing));
            return;
        }
        List<Map<String, Object>> all = new ArrayList<>(complaints.values());
        for (int offset = 0; offset <= all.size(); offset += 50) {
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("data", all.subList(offset, Math.min(all.size(), offset + 50)));
            page.put("limit", 50);
            page.put("offset", offset);
            if (offset == 0) {
                page.put("total_count", all.size());
            }
            wechat.server.stubFor(get(urlPathEqualTo(BASE)).withQueryParam("offset", equalTo(String.valueOf(offset)))
                    .willReturn(wechat.signed(200, page)));
        }
        complaints.forEach((id, c) -> {
            wechat.server.stubFor(get(urlPathEqualTo(BASE + "/" + id)).willReturn(wechat.signed(200, c)));
            wechat.server.stubFor(get(urlPathEqualTo(BASE + "/" + id + "/negotiation-historys"))
                    .willReturn(wechat.signed(200, Map.of("data", histories.get(id), "limit", 300, "offset", 0,
                            "total_count", histories.get(id).size()))));
            wechat.server.stubFor(get(urlPathEqualTo("/v3/merchant-service/images/MEDIA-" + id))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "image/png")
                            .withBody(EvidenceFiles.png())));
            for (String answer : List.of("response", "complete", "update-refund-progress")) {
                wechat.server.stubFor(post(urlPathEqualTo(BASE + "/" + id + "/" + answer)).willReturn(noContent()));
            }
        });
        // 商户上传反馈图片: each upload answers the next media id (MEDIA-UP-1, -2, ...), signed like every answer
        for (int n = 1; n <= 8; n++) {
            wechat.server.stubFor(post(urlPathEqualTo(UPLOAD)).inScenario("uploads")
                    .whenScenarioStateIs(n == 1 ? com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED : "upload-" + n)
                    .willSetStateTo("upload-" + (n + 1))
                    .willReturn(wechat.signed(200, Map.of("media_id", "MEDIA-UP-" + n))));
        }
        wechat.server.stubFor(get(urlPathEqualTo("/v3/merchant-service/complaint-notifications"))
                .willReturn(wechat.signed(404, Map.of("code", "RESOURCE_NOT_EXISTS", "message", "商户未设置回调地址"))));
        wechat.server.stubFor(post(urlPathEqualTo("/v3/merchant-service/complaint-notifications"))
                .willReturn(wechat.signed(200, Map.of("mchid", WechatPayStub.MERCHANT_ID, "url", "https://x"))));
        wechat.server.stubFor(put(urlPathEqualTo("/v3/merchant-service/complaint-notifications"))
                .willReturn(wechat.signed(200, Map.of("mchid", WechatPayStub.MERCHANT_ID, "url", "https://x"))));
    }

    /** Every complaint endpoint answers {@code status} (503: down), until {@link #up()}. */
    void down(int status) {
        down = status;
        publish();
    }

    void up() {
        down = null;
        publish();
    }

    void reset() {
        complaints.clear();
        histories.clear();
        down = null;
        wechat.server.resetAll();
        publish();
    }

    ResponseDefinitionBuilder noContent() {
        ResponseDefinitionBuilder response = aResponse().withStatus(204).withHeader("Request-ID", UUID.randomUUID().toString());
        wechat.headers("", wechat.platformKeys.getPrivate()).forEach(response::withHeader);
        return response;
    }

    /** The bodies of the answers of one kind ("response", "complete", "update-refund-progress") we posted. */
    List<Map<String, Object>> answers(String complaintId, String kind) {
        return wechat.server.findAll(postRequestedFor(urlPathEqualTo(BASE + "/" + complaintId + "/" + kind))).stream()
                .map(WechatComplaintStub::body).toList();
    }

    /** The image uploads we made, in order. */
    List<LoggedRequest> uploads() {
        return wechat.server.findAll(postRequestedFor(urlPathEqualTo(UPLOAD)));
    }

    List<LoggedRequest> lists() {
        return wechat.server.findAll(getRequestedFor(urlPathEqualTo(BASE)));
    }

    int detailReads(String complaintId) {
        return wechat.server.findAll(getRequestedFor(urlPathEqualTo(BASE + "/" + complaintId))).size();
    }

    /** A complaint notification as WeChat Pay posts it, signed with {@code signer}, encrypted under {@code apiV3Key}. */
    WechatPayStub.Notice notice(String complaintId, String actionType, PrivateKey signer, String apiV3Key) {
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("complaint_id", complaintId);
        resource.put("action_type", actionType);
        String nonce = HexFormat.of().formatHex(WechatPayStub.bytes(6));
        Map<String, Object> encrypted = new LinkedHashMap<>();
        encrypted.put("original_type", "complaint");
        encrypted.put("algorithm", "AEAD_AES_256_GCM");
        encrypted.put("ciphertext", encryptUnder(apiV3Key, WechatPayStub.json(resource), nonce));
        encrypted.put("associated_data", "complaint");
        encrypted.put("nonce", nonce);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", UUID.randomUUID().toString());
        body.put("create_time", "2026-11-30T12:00:01+08:00");
        body.put("resource_type", "encrypt-resource");
        body.put("event_type", "CREATE_COMPLAINT".equals(actionType) ? "COMPLAINT.CREATE" : "COMPLAINT.STATE_CHANGE");
        body.put("summary", "投诉单通知");
        body.put("resource", encrypted);
        String text = WechatPayStub.json(body);
        return new WechatPayStub.Notice(wechat.headers(text, signer), text);
    }

    WechatPayStub.Notice notice(String complaintId, String actionType) {
        return notice(complaintId, actionType, wechat.platformKeys.getPrivate(), wechat.apiV3Key);
    }

    private String encryptUnder(String key, String plaintext, String nonce) {
        if (key.equals(wechat.apiV3Key)) {
            return wechat.encrypt(plaintext, nonce, "complaint");
        }
        try {
            javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(
                    key.getBytes(java.nio.charset.StandardCharsets.UTF_8), "AES"),
                    new javax.crypto.spec.GCMParameterSpec(128, nonce.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            cipher.updateAAD("complaint".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.Base64.getEncoder().encodeToString(cipher.doFinal(plaintext.getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(LoggedRequest r) {
        try {
            return JSON.readValue(r.getBodyAsString(), Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        wechat.close();
    }
}
