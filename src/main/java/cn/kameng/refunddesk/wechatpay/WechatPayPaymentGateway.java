package cn.kameng.refunddesk.wechatpay;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.exception.DecryptionException;
import com.wechat.pay.java.core.exception.HttpException;
import com.wechat.pay.java.core.exception.MalformedMessageException;
import com.wechat.pay.java.core.exception.ServiceException;
import com.wechat.pay.java.core.exception.ValidationException;
import com.wechat.pay.java.core.exception.WechatPayException;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.core.notification.RequestParam;
import com.wechat.pay.java.service.refund.RefundService;
import com.wechat.pay.java.service.refund.model.Amount;
import com.wechat.pay.java.service.refund.model.AmountReq;
import com.wechat.pay.java.service.refund.model.CreateRequest;
import com.wechat.pay.java.service.refund.model.QueryByOutRefundNoRequest;
import com.wechat.pay.java.service.refund.model.Refund;
import com.wechat.pay.java.service.refund.model.RefundNotification;
import com.wechat.pay.java.service.refund.model.Status;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.DomainException.NotAuthentic;
import cn.kameng.refunddesk.order.Order;
import cn.kameng.refunddesk.order.OrderDirectory;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.refund.GatewayUnavailableException;
import cn.kameng.refunddesk.refund.PaymentGateway;
import cn.kameng.refunddesk.refund.RefundState;

/**
 * WeChat Pay APIv3 through its official SDK: {@code RefundService.create} with {@code out_refund_no} as
 * the idempotency key, {@code queryByOutRefundNo} to learn the outcome, statuses SUCCESS / PROCESSING /
 * ABNORMAL / CLOSED. Answers and notifications are verified with WeChat Pay's public key; notifications
 * are decrypted (AEAD_AES_256_GCM) with the APIv3 key by the SDK's {@link NotificationParser}.
 */
@Component
@ConditionalOnProperty(name = "payment.wechatpay.enabled", havingValue = "true")
class WechatPayPaymentGateway implements PaymentGateway {

    static final String NAME = "wechatpay";
    private static final Logger log = LoggerFactory.getLogger(WechatPayPaymentGateway.class);

    private final RefundService refunds;
    private final NotificationParser notifications;
    private final OrderDirectory orders;
    private final String notifyUrl;
    private final String baseUrl;

    WechatPayPaymentGateway(WechatPayProperties properties, OrderDirectory orders) {
        RSAPublicKeyConfig config = new RSAPublicKeyConfig.Builder()
                .merchantId(properties.required(properties.merchantId(), "merchant-id", "the merchant ID (商户号)"))
                .merchantSerialNumber(properties.required(properties.merchantSerialNumber(), "merchant-serial-number",
                        "the serial number of the merchant API certificate"))
                .privateKey(properties.privateKeyValue())
                .publicKeyId(properties.required(properties.publicKeyId(), "public-key-id",
                        "WeChat Pay's public key ID (PUB_KEY_ID_...) from the merchant console"))
                .publicKey(properties.publicKeyValue())
                .apiV3Key(properties.apiV3KeyValue())
                .build();
        this.notifyUrl = properties.required(properties.notifyUrl(), "notify-url",
                "the public https URL of /api/v1/payment-notifications/wechatpay");
        this.baseUrl = properties.baseUrl();
        OkHttpClient.Builder http = new OkHttpClient.Builder()
                .connectTimeout(properties.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(properties.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(properties.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                // A POST whose answer was lost is not re-sent behind our back: the job retries, after a query.
                .retryOnConnectionFailure(false);
        if (!WechatPayProperties.DEFAULT_BASE_URL.equals(baseUrl)) {
            // The SDK addresses api.mch.weixin.qq.com; a different base URL (a test double) gets the same paths.
            HttpUrl base = HttpUrl.get(baseUrl);
            http.addInterceptor(chain -> chain.proceed(chain.request().newBuilder().url(chain.request().url()
                    .newBuilder().scheme(base.scheme()).host(base.host()).port(base.port()).build()).build()));
        }
        this.refunds = new RefundService.Builder().httpClient(new DefaultHttpClientBuilder().config(config)
                .okHttpClient(http.build()).build()).build();
        this.notifications = new NotificationParser(config);
        this.orders = orders;
        log.info("WeChat Pay adapter on {} for merchant {}", baseUrl, properties.merchantId());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean serves(PaymentChannel channel) {
        return channel == PaymentChannel.WECHAT_PAY;
    }

    @Override
    public RefundAnswer requestRefund(RefundRequest request) {
        Order order = orders.find(request.orderId()).orElseThrow(() -> new IllegalStateException(
                "order " + request.orderId() + " is not in the order directory: WeChat Pay needs its total"));
        CreateRequest create = new CreateRequest();
        create.setOutTradeNo(request.orderId());
        create.setOutRefundNo(request.idempotencyKey());
        create.setReason(request.reason());
        create.setNotifyUrl(notifyUrl);
        AmountReq amount = new AmountReq();
        amount.setRefund(request.amountFen());
        amount.setTotal(order.amountFen());
        amount.setCurrency("CNY");
        create.setAmount(amount);
        try {
            return answer(refunds.create(create));
        } catch (ServiceException e) {
            if (unknownOutcome(e)) {
                throw unavailable("the refund request", request.idempotencyKey(), e);
            }
            // A refusal (NOT_ENOUGH, INVALID_REQUEST, ...): WeChat Pay took no refund under this key.
            return new RefundAnswer(RefundState.FAILED, null, null, refusal(e));
        } catch (WechatPayException e) {
            throw unavailable("the refund request", request.idempotencyKey(), e);
        }
    }

    @Override
    public RefundAnswer queryRefund(String idempotencyKey, String orderId) {
        QueryByOutRefundNoRequest query = new QueryByOutRefundNoRequest();
        query.setOutRefundNo(idempotencyKey);
        try {
            return answer(refunds.queryByOutRefundNo(query));
        } catch (ServiceException e) {
            if (e.getHttpStatusCode() == 404 || "RESOURCE_NOT_EXISTS".equals(e.getErrorCode())) {
                return new RefundAnswer(RefundState.UNKNOWN, null, null, null);
            }
            throw unavailable("the refund query", idempotencyKey, e);
        } catch (WechatPayException e) {
            throw unavailable("the refund query", idempotencyKey, e);
        }
    }

    @Override
    public RefundNotification parseNotification(Map<String, String> headers, String body) {
        String serial = headers.get("wechatpay-serial");
        String signature = headers.get("wechatpay-signature");
        String nonce = headers.get("wechatpay-nonce");
        String timestamp = headers.get("wechatpay-timestamp");
        if (serial == null || signature == null || nonce == null || timestamp == null) {
            throw new NotAuthentic("the WeChat Pay notification lacks its Wechatpay-Serial, "
                    + "-Signature, -Nonce or -Timestamp header, so it cannot be verified");
        }
        RequestParam param = new RequestParam.Builder().serialNumber(serial).signature(signature).nonce(nonce)
                .timestamp(timestamp).signType(headers.getOrDefault("wechatpay-signature-type", "WECHATPAY2-SHA256-RSA2048"))
                .body(body).build();
        com.wechat.pay.java.service.refund.model.RefundNotification n;
        try {
            n = notifications.parse(param, com.wechat.pay.java.service.refund.model.RefundNotification.class);
        } catch (ValidationException e) {
            throw new NotAuthentic("the WeChat Pay notification's signature does not verify against "
                    + "payment.wechatpay.public-key (or it is older than 5 minutes): " + e.getMessage());
        } catch (DecryptionException e) {
            throw new BadInput("the WeChat Pay notification's resource cannot be decrypted "
                    + "with payment.wechatpay.api-v3-key");
        } catch (MalformedMessageException | IllegalArgumentException e) {
            throw new BadInput("the WeChat Pay notification is not a refund notification: "
                    + e.getMessage());
        }
        if (n == null || n.getOutRefundNo() == null || n.getRefundStatus() == null) {
            throw new BadInput("the WeChat Pay notification has no out_refund_no or "
                    + "refund_status");
        }
        return new RefundNotification(n.getOutRefundNo(), state(n.getRefundStatus()), settled(n.getRefundStatus(),
                n.getAmount()), n.getRefundId(), failure(n.getRefundStatus()), arrival(n.getRefundStatus(),
                        n.getUserReceivedAccount()));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static RefundAnswer answer(Refund refund) {
        Status status = refund.getStatus();
        if (status == null) {
            return new RefundAnswer(RefundState.PROCESSING, null, refund.getRefundId(), null);
        }
        return new RefundAnswer(state(status), settled(status, refund.getAmount()), refund.getRefundId(),
                failure(status), arrival(status, refund.getUserReceivedAccount()));
    }

    private static RefundState state(Status status) {
        return switch (status) {
            case SUCCESS -> RefundState.SUCCEEDED;
            case PROCESSING -> RefundState.PROCESSING;
            case ABNORMAL -> RefundState.ABNORMAL;
            case CLOSED -> RefundState.CLOSED;
        };
    }

    /** The amount refunded (fen), only once WeChat Pay says SUCCESS. */
    private static Long settled(Status status, Amount amount) {
        return status == Status.SUCCESS && amount != null ? amount.getRefund() : null;
    }

    private static String failure(Status status) {
        return switch (status) {
            case ABNORMAL -> "WeChat Pay ABNORMAL: the buyer's card or account refused the money (closed or frozen);"
                    + " finance must send it again another way";
            case CLOSED -> "WeChat Pay CLOSED the refund without moving money";
            default -> null;
        };
    }

    private static String arrival(Status status, String account) {
        return status == Status.SUCCESS && account != null && !account.isBlank() ? "退款已退回 " + account + "。" : null;
    }

    /** 5xx, rate limits and "system error" say nothing about whether the refund was taken. */
    private static boolean unknownOutcome(ServiceException e) {
        return e.getHttpStatusCode() >= 500 || e.getHttpStatusCode() == 429
                || "SYSTEM_ERROR".equals(e.getErrorCode()) || "FREQUENCY_LIMITED".equals(e.getErrorCode());
    }

    private static String refusal(ServiceException e) {
        return "WeChat Pay: " + e.getErrorCode() + " " + e.getErrorMessage();
    }

    private GatewayUnavailableException unavailable(String what, String key, WechatPayException e) {
        String cause = e instanceof ServiceException s ? "HTTP " + s.getHttpStatusCode() + " " + s.getErrorCode()
                : e instanceof HttpException && e.getCause() != null ? e.getCause().toString()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        // Advice first, cause last and short: Camunda keeps only the first 666 characters of a job's message.
        String flat = String.valueOf(cause).replaceAll("\\s+", " ");
        return new GatewayUnavailableException("WeChat Pay did not answer " + what + " for refund " + key
                + ". Whether money moved is unknown; the job tries again with the same out_refund_no and asks"
                + " WeChat Pay first. If this is an incident: check that " + baseUrl + " is reachable and WeChat Pay's"
                + " service status, then Retry the job in Cockpit. Cause: "
                + (flat.length() <= 150 ? flat : flat.substring(0, 150) + "…"));
    }
}
