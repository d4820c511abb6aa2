package cn.kameng.refunddesk.alipay;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.alipay.api.AlipayApiException;
import com.alipay.api.AlipayClient;
import com.alipay.api.AlipayConfig;
import com.alipay.api.AlipayRequest;
import com.alipay.api.AlipayResponse;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.domain.AlipayTradeFastpayRefundQueryModel;
import com.alipay.api.domain.AlipayTradeRefundModel;
import com.alipay.api.domain.DepositBackInfo;
import com.alipay.api.internal.util.AlipaySignature;
import com.alipay.api.request.AlipayTradeFastpayRefundQueryRequest;
import com.alipay.api.request.AlipayTradeRefundRequest;
import com.alipay.api.response.AlipayTradeFastpayRefundQueryResponse;
import com.alipay.api.response.AlipayTradeRefundResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.DomainException.NotAuthentic;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.refund.GatewayUnavailableException;
import cn.kameng.refunddesk.refund.PaymentGateway;
import cn.kameng.refunddesk.refund.RefundState;

/**
 * Alipay through its official SDK: {@code alipay.trade.refund} with {@code out_request_no} as the
 * idempotency key, {@code alipay.trade.fastpay.refund.query} to learn the outcome. A refund counts as
 * done only when Alipay says money moved ({@code fund_change=Y}) or the query says {@code REFUND_SUCCESS};
 * {@code code=10000} alone only means Alipay accepted the call. Bank-card refunds are followed through
 * {@code deposit_back_info}. Every answer's RSA2 signature is checked by the SDK against Alipay's public key.
 */
@Component
@ConditionalOnProperty(name = "payment.alipay.enabled", havingValue = "true")
class AlipayPaymentGateway implements PaymentGateway {

    static final String NAME = "alipay";
    static final String DEPOSIT_BACK_COMPLETED = "alipay.trade.refund.depositback.completed";
    private static final String DEPOSIT_BACK_INFO = "deposit_back_info";
    private static final Logger log = LoggerFactory.getLogger(AlipayPaymentGateway.class);

    private final AlipayClient client;
    private final String alipayPublicKey;
    private final String gatewayUrl;
    private final ObjectMapper json;

    AlipayPaymentGateway(AlipayProperties properties, ObjectMapper json) throws AlipayApiException {
        AlipayConfig config = new AlipayConfig();
        config.setServerUrl(properties.gatewayUrl());
        config.setAppId(properties.appIdValue());
        config.setPrivateKey(properties.privateKeyValue());
        config.setAlipayPublicKey(properties.alipayPublicKeyValue());
        config.setFormat("json");
        config.setCharset("UTF-8");
        config.setSignType("RSA2");
        config.setConnectTimeout((int) properties.connectTimeout().toMillis());
        config.setReadTimeout((int) properties.readTimeout().toMillis());
        this.client = new DefaultAlipayClient(config);
        this.alipayPublicKey = config.getAlipayPublicKey();
        this.gatewayUrl = properties.gatewayUrl();
        this.json = json;
        log.info("Alipay adapter on {} for app {}", gatewayUrl, config.getAppId());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean serves(PaymentChannel channel) {
        return channel == PaymentChannel.ALIPAY;
    }

    /** Alipay notifies again (for about a day) until the body is exactly {@code success}. */
    @Override
    public String acknowledgement() {
        return "success";
    }

    @Override
    public RefundAnswer requestRefund(RefundRequest request) {
        AlipayTradeRefundModel model = new AlipayTradeRefundModel();
        model.setOutTradeNo(request.orderId());
        model.setOutRequestNo(request.idempotencyKey());
        model.setRefundAmount(yuan(request.amountFen()));
        model.setRefundReason(request.reason());
        model.setQueryOptions(List.of(DEPOSIT_BACK_INFO));
        AlipayTradeRefundRequest call = new AlipayTradeRefundRequest();
        call.setBizModel(model);
        AlipayTradeRefundResponse response = execute(call, "the refund request", request.idempotencyKey());
        if (!response.isSuccess()) {
            throwIfUnknown(response, "the refund request", request.idempotencyKey());
            // A business refusal (trade not found, balance too low, amount above what is left...): no money moved.
            return new RefundAnswer(RefundState.FAILED, null, null, refusal(response));
        }
        if ("Y".equals(response.getFundChange())) {
            String note = "Y".equals(response.getHasDepositBack())
                    ? depositBackNote(queryQuietly(request))
                    : null;
            return new RefundAnswer(RefundState.SUCCEEDED, request.amountFen(), response.getTradeNo(), null, note);
        }
        // code=10000 with fund_change=N: taken, or already done by an earlier call with this key. Ask.
        RefundAnswer known = queryRefund(request.idempotencyKey(), request.orderId());
        return known.state() == RefundState.SUCCEEDED ? known
                : new RefundAnswer(RefundState.PROCESSING, null, response.getTradeNo(), null);
    }

    @Override
    public RefundAnswer queryRefund(String idempotencyKey, String orderId) {
        AlipayTradeFastpayRefundQueryModel model = new AlipayTradeFastpayRefundQueryModel();
        model.setOutTradeNo(orderId);
        model.setOutRequestNo(idempotencyKey);
        model.setQueryOptions(List.of(DEPOSIT_BACK_INFO));
        AlipayTradeFastpayRefundQueryRequest call = new AlipayTradeFastpayRefundQueryRequest();
        call.setBizModel(model);
        AlipayTradeFastpayRefundQueryResponse response = execute(call, "the refund query", idempotencyKey);
        if (!response.isSuccess()) {
            throwIfUnknown(response, "the refund query", idempotencyKey);
            // e.g. ACQ.TRADE_NOT_EXIST: Alipay holds no refund under this key.
            return new RefundAnswer(RefundState.UNKNOWN, null, null, refusal(response));
        }
        if (!"REFUND_SUCCESS".equals(response.getRefundStatus())) {
            // No refund_status: Alipay did not receive the refund under this key, or it failed. Not done.
            return new RefundAnswer(RefundState.UNKNOWN, null, response.getTradeNo(), null);
        }
        return new RefundAnswer(RefundState.SUCCEEDED, fen(response.getRefundAmount()), response.getTradeNo(), null,
                depositBackNote(response.getDepositBackInfo()));
    }

    /**
     * Alipay's asynchronous notices, form-encoded and RSA2-signed: the trade's status sync after a refund
     * ({@code out_biz_no} is our key) and {@code alipay.trade.refund.depositback.completed} (the bank card took
     * the money, or refused it and it went to the buyer's Alipay balance).
     */
    @Override
    public RefundNotification parseNotification(Map<String, String> headers, String body) {
        Map<String, String> params = form(body);
        boolean verified;
        try {
            verified = params.containsKey("sign") && AlipaySignature.rsaCheckV1(new LinkedHashMap<>(params),
                    alipayPublicKey, "UTF-8", "RSA2");
        } catch (AlipayApiException e) {
            verified = false;
        }
        if (!verified) {
            throw new NotAuthentic("the Alipay notification's RSA2 signature does not verify against "
                    + "payment.alipay.alipay-public-key");
        }
        if (DEPOSIT_BACK_COMPLETED.equals(params.get("msg_method"))) {
            JsonNode biz = bizContent(params.get("biz_content"));
            String key = text(biz, "out_request_no");
            DepositBackInfo info = new DepositBackInfo();
            info.setHasDepositBack("Y");
            info.setDbackStatus(text(biz, "dback_status"));
            info.setDbackAmount(text(biz, "dback_amount"));
            info.setBankAckTime(text(biz, "bank_ack_time"));
            info.setEstBankReceiptTime(text(biz, "est_bank_receipt_time"));
            return new RefundNotification(required(key, "biz_content.out_request_no"), RefundState.SUCCEEDED, null,
                    text(biz, "trade_no"), null, depositBackNote(info));
        }
        String key = required(params.get("out_biz_no"), "out_biz_no");
        String amount = params.getOrDefault("send_back_fee", params.get("refund_fee"));
        return new RefundNotification(key, RefundState.SUCCEEDED, fen(required(amount, "refund_fee")),
                params.get("trade_no"), null);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private <T extends AlipayResponse> T execute(AlipayRequest<T> call, String what, String key) {
        try {
            return client.execute(call);
        } catch (AlipayApiException e) {
            String cause = e.getCause() != null ? e.getCause().toString() : e.getErrMsg() != null ? e.getErrMsg()
                    : e.getMessage();
            // Advice first, cause last and short: Camunda keeps only the first 666 characters of a job's message.
            throw new GatewayUnavailableException("Alipay did not answer " + what + " for refund " + key
                    + ". Whether money moved is unknown; the job tries again with the same out_request_no and"
                    + " asks Alipay first. If this is an incident: check that " + gatewayUrl
                    + " is reachable and Alipay's service status, then Retry the job in Cockpit. Cause: "
                    + shorten(cause));
        }
    }

    static String shorten(String text) {
        String flat = String.valueOf(text).replaceAll("\\s+", " ");
        return flat.length() <= 150 ? flat : flat.substring(0, 150) + "…";
    }

    /** Alipay's "system busy / unknown" answers say nothing about the refund: retried like a timeout. */
    private void throwIfUnknown(AlipayResponse response, String what, String key) {
        String code = response.getCode();
        String sub = response.getSubCode();
        if (code == null || "20000".equals(code) || "ACQ.SYSTEM_ERROR".equals(sub) || "aop.ACQ.SYSTEM_ERROR".equals(sub)) {
            throw new GatewayUnavailableException("Alipay was busy and did not decide " + what + " for refund " + key
                    + " (" + code + " " + sub + ": " + response.getSubMsg() + "). The job tries again with the same"
                    + " out_request_no; if this is an incident, wait for Alipay to recover and Retry the job in Cockpit.");
        }
    }

    private static String refusal(AlipayResponse response) {
        return "Alipay: " + response.getSubCode() + " " + response.getSubMsg();
    }

    private AlipayTradeFastpayRefundQueryResponse queryQuietly(RefundRequest request) {
        try {
            AlipayTradeFastpayRefundQueryModel model = new AlipayTradeFastpayRefundQueryModel();
            model.setOutTradeNo(request.orderId());
            model.setOutRequestNo(request.idempotencyKey());
            model.setQueryOptions(List.of(DEPOSIT_BACK_INFO));
            AlipayTradeFastpayRefundQueryRequest call = new AlipayTradeFastpayRefundQueryRequest();
            call.setBizModel(model);
            return client.execute(call);
        } catch (AlipayApiException e) {
            log.warn("Refund {} succeeded; its bank-card arrival could not be read yet: {}", request.idempotencyKey(),
                    e.toString());
            return null;
        }
    }

    private static String depositBackNote(AlipayTradeFastpayRefundQueryResponse response) {
        return response == null || !response.isSuccess() ? null : depositBackNote(response.getDepositBackInfo());
    }

    /** deposit_back_info in words: S at the bank, F refused (money to the Alipay balance), else on its way. */
    static String depositBackNote(DepositBackInfo info) {
        if (info == null || !"Y".equals(info.getHasDepositBack()) && info.getDbackStatus() == null) {
            return null;
        }
        String status = info.getDbackStatus();
        if ("S".equals(status)) {
            return "已退回银行卡" + (info.getDbackAmount() != null ? " " + info.getDbackAmount() + " 元" : "")
                    + (info.getBankAckTime() != null ? "，银行受理于 " + info.getBankAckTime() : "")
                    + (info.getEstBankReceiptTime() != null ? "，预计 " + info.getEstBankReceiptTime() + " 前到账" : "")
                    + "。";
        }
        if ("F".equals(status)) {
            return "银行卡未能入账，退款已转入买家的支付宝余额。";
        }
        return "正在退回银行卡" + (info.getEstBankReceiptTime() != null ? "，预计 " + info.getEstBankReceiptTime()
                + " 前到账" : "") + "。";
    }

    static Map<String, String> form(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.put(name, value);
            } catch (IllegalArgumentException e) {
                throw BadInput.field("body", "is not form-encoded as Alipay posts its messages: " + e.getMessage());
            }
        }
        return params;
    }

    private JsonNode bizContent(String text) {
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

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new BadInput("the Alipay notification is not about a refund: it has no "
                    + field, Map.of(field, "is required"));
        }
        return value;
    }

    static String yuan(long fen) {
        return BigDecimal.valueOf(fen).movePointLeft(2).setScale(2, RoundingMode.UNNECESSARY).toPlainString();
    }

    static Long fen(String yuan) {
        if (yuan == null || yuan.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(yuan.trim()).movePointRight(2).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new BadInput("'" + yuan + "' is not an amount in yuan with at most 2 decimals");
        }
    }
}
