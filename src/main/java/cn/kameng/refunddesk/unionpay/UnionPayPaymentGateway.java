package cn.kameng.refunddesk.unionpay;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.DomainException.NotAuthentic;
import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.order.Order;
import cn.kameng.refunddesk.order.OrderDirectory;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.refund.GatewayUnavailableException;
import cn.kameng.refunddesk.refund.PaymentGateway;
import cn.kameng.refunddesk.refund.RefundState;
import cn.kameng.refunddesk.unionpay.UnionPayOrders.Sent;

/**
 * Bank-card refunds through UnionPay's 全渠道 back-transaction API (UPACP 5.1.0), written to the protocol
 * because UnionPay ships no SDK on Maven Central: 退货 (txnType 04) to backTransReq.do naming the payment's
 * queryId as origQryId; respCode 00 only means "accepted". The result comes as a signed form POST to
 * backUrl, or from queryTrans.do (origRespCode 00 = refunded). Every message is signed with the merchant
 * key and every answer and notification verified with UnionPay's signing certificate.
 */
@Component
@ConditionalOnProperty(name = "payment.unionpay.enabled", havingValue = "true")
class UnionPayPaymentGateway implements PaymentGateway {

    static final String NAME = "unionpay";
    /** 03 交易通讯超时, 04 交易状态未明, 05 交易已受理: the outcome is not known yet. */
    private static final Set<String> UNDECIDED = Set.of("03", "04", "05");
    /** queryTrans.do: 34 查无此交易. */
    private static final String NO_SUCH_TRANSACTION = "34";
    private static final Logger log = LoggerFactory.getLogger(UnionPayPaymentGateway.class);

    private final UnionPayProperties properties;
    private final UnionPayProperties.SigningKey signingKey;
    private final PublicKey verifyKey;
    private final String merId;
    private final String backUrl;
    private final UnionPayOrders sentOrders;
    private final OrderDirectory orders;
    private final HttpClient http;

    UnionPayPaymentGateway(UnionPayProperties properties, UnionPayOrders sentOrders, OrderDirectory orders) {
        this.properties = properties;
        this.merId = properties.required(properties.merId(), "mer-id", "the merchant code (商户代码) UnionPay issued");
        this.signingKey = properties.signingKey();
        this.verifyKey = properties.verifyKey();
        this.backUrl = properties.required(properties.backUrl(), "back-url",
                "the public https URL of /api/v1/payment-notifications/unionpay");
        this.sentOrders = sentOrders;
        this.orders = orders;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout()).build();
        log.info("UnionPay adapter on {} for merchant {}", properties.backTransUrl(), merId);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean serves(PaymentChannel channel) {
        return channel == PaymentChannel.BANK_CARD;
    }

    @Override
    public RefundAnswer requestRefund(RefundRequest request) {
        Order order = orders.find(request.orderId()).orElseThrow(() -> new IllegalStateException(
                "order " + request.orderId() + " is not in the order directory: UnionPay needs its payment's queryId"));
        String queryId = order.paymentReference();
        if (queryId == null || queryId.isBlank()) {
            return new RefundAnswer(RefundState.FAILED, null, null, "UnionPay: order " + request.orderId()
                    + " has no queryId of its payment in the order directory, so no refund was sent;"
                    + " finance must refund it another way");
        }
        Sent sent = sentOrders.forRequest(request.idempotencyKey(), ServiceClock.now());
        Map<String, String> fields = base(sent);
        fields.put("txnType", "04");
        fields.put("txnSubType", "00");
        fields.put("bizType", "000201");
        fields.put("channelType", "07");
        fields.put("origQryId", queryId.trim());
        fields.put("txnAmt", Long.toString(request.amountFen()));
        fields.put("currencyCode", "156");
        fields.put("backUrl", backUrl);
        Map<String, String> answer = call(properties.backTransUrl(), fields, "the refund request", request.idempotencyKey());
        String code = answer.getOrDefault("respCode", "");
        if ("00".equals(code)) {
            return new RefundAnswer(RefundState.PROCESSING, null, answer.get("queryId"), null);
        }
        if (UNDECIDED.contains(code)) {
            throw unavailable("the refund request", request.idempotencyKey(), "respCode " + code + " "
                    + answer.getOrDefault("respMsg", ""));
        }
        // Any other code is a refusal: UnionPay took no refund under this orderId.
        return new RefundAnswer(RefundState.FAILED, null, null, "UnionPay refused the refund: respCode " + code + " "
                + answer.getOrDefault("respMsg", ""));
    }

    @Override
    public RefundAnswer queryRefund(String idempotencyKey, String orderId) {
        Optional<Sent> sent = sentOrders.find(idempotencyKey);
        if (sent.isEmpty()) {
            return new RefundAnswer(RefundState.UNKNOWN, null, null, null);
        }
        Map<String, String> fields = base(sent.get());
        fields.put("txnType", "00");
        fields.put("txnSubType", "00");
        fields.put("bizType", "000000");
        Map<String, String> answer = call(properties.queryUrl(), fields, "the refund query", idempotencyKey);
        String code = answer.getOrDefault("respCode", "");
        if (NO_SUCH_TRANSACTION.equals(code)) {
            return new RefundAnswer(RefundState.UNKNOWN, null, null, null);
        }
        if (!"00".equals(code)) {
            throw unavailable("the refund query", idempotencyKey, "respCode " + code + " " + answer.getOrDefault("respMsg", ""));
        }
        String orig = answer.getOrDefault("origRespCode", "");
        RefundState state = state(orig);
        return new RefundAnswer(state, settled(state, answer), answer.get("queryId"),
                failure(state, orig, answer.get("origRespMsg")), arrival(state));
    }

    @Override
    public RefundNotification parseNotification(Map<String, String> headers, String body) {
        Map<String, String> fields = UpacpSignature.parseForm(body);
        if (!UpacpSignature.verifies(fields, verifyKey)) {
            throw new NotAuthentic("the UnionPay notification's signature does not verify against "
                    + "payment.unionpay.verify-cert");
        }
        String orderId = fields.get("orderId");
        String code = fields.get("respCode");
        if (orderId == null || code == null || !"04".equals(fields.get("txnType"))) {
            throw new BadInput("the UnionPay notification is not a refund (txnType 04) "
                    + "result with orderId and respCode");
        }
        RefundState state = state(code);
        return new RefundNotification(sentOrders.keyOf(orderId).orElse(orderId), state, settled(state, fields),
                fields.get("queryId"), failure(state, code, fields.get("respMsg")), arrival(state));
    }

    /** UnionPay wants HTTP 200 for a notification it may stop sending. */
    @Override
    public String acknowledgement() {
        return "ok";
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private Map<String, String> base(Sent sent) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("version", "5.1.0");
        fields.put("encoding", "UTF-8");
        fields.put("signMethod", "01");
        fields.put("certId", signingKey.certId());
        fields.put("accessType", "0");
        fields.put("merId", merId);
        fields.put("orderId", sent.orderId());
        fields.put("txnTime", sent.txnTime());
        return fields;
    }

    private Map<String, String> call(String url, Map<String, String> fields, String what, String key) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(properties.readTimeout())
                .header("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(UpacpSignature.form(UpacpSignature.sign(fields,
                        signingKey.key())), StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unavailable(what, key, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(what, key, "interrupted");
        }
        if (response.statusCode() != 200) {
            throw unavailable(what, key, "HTTP " + response.statusCode());
        }
        Map<String, String> answer = UpacpSignature.parseAnswer(response.body());
        if (!UpacpSignature.verifies(answer, verifyKey)) {
            throw unavailable(what, key, "the answer's signature does not verify against payment.unionpay.verify-cert");
        }
        return answer;
    }

    private static RefundState state(String code) {
        return "00".equals(code) ? RefundState.SUCCEEDED
                : UNDECIDED.contains(code) ? RefundState.PROCESSING : RefundState.FAILED;
    }

    private static Long settled(RefundState state, Map<String, String> fields) {
        if (state != RefundState.SUCCEEDED || fields.get("txnAmt") == null) {
            return null;
        }
        try {
            return Long.parseLong(fields.get("txnAmt").trim());
        } catch (NumberFormatException e) {
            throw new BadInput("UnionPay's txnAmt '" + fields.get("txnAmt") + "' is not fen");
        }
    }

    private static String failure(RefundState state, String code, String message) {
        return state == RefundState.FAILED ? "UnionPay: the refund failed, respCode " + code
                + (message == null ? "" : " " + message) : null;
    }

    private static String arrival(RefundState state) {
        return state == RefundState.SUCCEEDED ? "银联退货成功，款项由发卡行退回原银行卡（一般 3 个工作日内到账）。" : null;
    }

    private GatewayUnavailableException unavailable(String what, String key, String cause) {
        // Advice first, cause last and short: Camunda keeps only the first 666 characters of a job's message.
        String flat = String.valueOf(cause).replaceAll("\\s+", " ");
        return new GatewayUnavailableException("UnionPay did not answer " + what + " for refund " + key
                + ". Whether money moved is unknown; the job tries again with the same orderId and txnTime and asks"
                + " UnionPay (queryTrans) first. If this is an incident: check that " + properties.backTransUrl()
                + " is reachable and UnionPay's service status, then Retry the job in Cockpit. Cause: "
                + (flat.length() <= 150 ? flat : flat.substring(0, 150) + "…"));
    }
}
