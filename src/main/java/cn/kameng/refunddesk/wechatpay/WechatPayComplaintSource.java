package cn.kameng.refunddesk.wechatpay;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.exception.DecryptionException;
import com.wechat.pay.java.core.exception.MalformedMessageException;
import com.wechat.pay.java.core.exception.ServiceException;
import com.wechat.pay.java.core.exception.ValidationException;
import com.wechat.pay.java.core.exception.WechatPayException;
import com.wechat.pay.java.core.http.Constant;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.core.http.HttpClient;
import com.wechat.pay.java.core.http.HttpHeaders;
import com.wechat.pay.java.core.http.HttpMethod;
import com.wechat.pay.java.core.http.HttpRequest;
import com.wechat.pay.java.core.http.HttpResponse;
import com.wechat.pay.java.core.http.JsonRequestBody;
import com.wechat.pay.java.core.http.JsonResponseBody;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.core.notification.RequestParam;
import com.wechat.pay.java.service.file.FileUploadService;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.calendar.Deadlines.CountedOn;
import cn.kameng.refunddesk.calendar.WorkingDays;
import cn.kameng.refunddesk.complaint.ChannelUnavailableException;
import cn.kameng.refunddesk.complaint.ComplaintSource;
import cn.kameng.refunddesk.dispute.ComplaintChannel;
import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.DomainException.NotAuthentic;
import cn.kameng.refunddesk.dispute.DomainException.NotFound;

/**
 * WeChat Pay 消费者投诉2.0 (APIv3) as the complaint source {@code wechatpay-complaint-v2}. The SDK has no
 * complaint service: small requests on its signing {@link HttpClient} (every answer's signature verified against
 * WeChat Pay's public key), read with Jackson tolerating unknown fields; notifications verified and decrypted by
 * its {@link NotificationParser}. WeChat Pay takes no idempotency key on answers, so each is sent only after the
 * complaint's state and negotiation history show it is not there yet.
 */
@Component
@ConditionalOnProperty(name = "payment.wechatpay.complaints.enabled", havingValue = "true")
class WechatPayComplaintSource implements ComplaintSource {

    static final String SOURCE = "wechatpay-complaint-v2";
    static final String COMPLAINTS = "/v3/merchant-service/complaints-v2";
    static final String NOTIFICATIONS = "/v3/merchant-service/complaint-notifications";
    /** 商户上传反馈图片: multipart meta + file, signed over the meta JSON; answers {@code media_id}. */
    static final String IMAGE_UPLOAD = "/v3/merchant-service/images/upload";
    /** response_images and reject_media_list: at most 4 media ids each (消费者投诉2.0 回复用户, 更新退款审批结果). */
    static final int MAX_IMAGES = 4;
    /** The image upload takes jpg, bmp and png of at most 2 MB, named with a matching extension. */
    static final long MAX_IMAGE_BYTES = 2L * 1024 * 1024;
    private static final Map<String, String> EXTENSIONS = Map.of("image/jpeg", ".jpg", "image/png", ".png",
            "image/bmp", ".bmp");
    private static final ZoneId BEIJING = WorkingDays.BEIJING;
    private static final int HISTORY_PAGE = 300;
    private static final Logger log = LoggerFactory.getLogger(WechatPayComplaintSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final FileUploadService uploads;
    private final NotificationParser notifications;
    private final WechatPayComplaintProperties settings;
    private final String merchantId;
    private final String baseUrl;

    WechatPayComplaintSource(WechatPayProperties keys, WechatPayComplaintProperties settings) {
        RSAPublicKeyConfig config = new RSAPublicKeyConfig.Builder()
                .merchantId(require(keys.merchantId(), "merchant-id", "the merchant ID (商户号)"))
                .merchantSerialNumber(require(keys.merchantSerialNumber(), "merchant-serial-number",
                        "the serial number of the merchant API certificate"))
                .privateKey(keys.privateKeyValue())
                .publicKeyId(require(keys.publicKeyId(), "public-key-id", "WeChat Pay's public key ID (PUB_KEY_ID_...)"))
                .publicKey(keys.publicKeyValue())
                .apiV3Key(require(keys.apiV3Key(), "api-v3-key", "the APIv3 key, which decrypts notifications") != null
                        ? keys.apiV3KeyValue() : null)
                .build();
        this.settings = settings;
        this.merchantId = keys.merchantId().trim();
        this.baseUrl = keys.baseUrl();
        OkHttpClient.Builder client = new OkHttpClient.Builder()
                .connectTimeout(keys.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(keys.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(keys.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .retryOnConnectionFailure(false);
        if (!WechatPayProperties.DEFAULT_BASE_URL.equals(baseUrl)) {
            HttpUrl base = HttpUrl.get(baseUrl);
            client.addInterceptor(chain -> chain.proceed(chain.request().newBuilder().url(chain.request().url()
                    .newBuilder().scheme(base.scheme()).host(base.host()).port(base.port()).build()).build()));
        }
        this.http = new DefaultHttpClientBuilder().config(config).okHttpClient(client.build()).build();
        this.uploads = new FileUploadService.Builder().httpClient(http).build();
        this.notifications = new NotificationParser(config);
        log.info("WeChat Pay complaints (消费者投诉2.0) on {} for merchant {}", baseUrl, merchantId);
    }

    private static String require(String value, String name, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("payment.wechatpay.complaints.enabled is true but payment.wechatpay." + name
                    + " is not set: " + what);
        }
        return value.trim();
    }

    @Override
    public String source() {
        return SOURCE;
    }

    @Override
    public ComplaintChannel channel() {
        return ComplaintChannel.WECHAT_PAY;
    }

    @Override
    public Duration longestWindow() {
        return settings.longestWindow();
    }

    @Override
    public Set<AnswerKind> accepts() {
        return EnumSet.allOf(AnswerKind.class);
    }

    /** The reply's response_images and the refund rejection's reject_media_list; complete takes none. */
    @Override
    public int maxAnswerImages(AnswerKind kind) {
        return kind == AnswerKind.REPLY || kind == AnswerKind.REFUND_REJECTED ? MAX_IMAGES : 0;
    }

    @Override
    public long maxAnswerImageBytes() {
        return MAX_IMAGE_BYTES;
    }

    @Override
    public Set<String> answerImageTypes() {
        return EXTENSIONS.keySet();
    }

    // ----- notifications -----

    @Override
    public Notice parseNotification(Map<String, String> headers, String body) {
        String serial = headers.get("wechatpay-serial");
        String signature = headers.get("wechatpay-signature");
        String nonce = headers.get("wechatpay-nonce");
        String timestamp = headers.get("wechatpay-timestamp");
        if (serial == null || signature == null || nonce == null || timestamp == null) {
            throw new NotAuthentic("the WeChat Pay complaint notification lacks its Wechatpay-Serial, -Signature, "
                    + "-Nonce or -Timestamp header, so it cannot be verified");
        }
        RequestParam param = new RequestParam.Builder().serialNumber(serial).signature(signature).nonce(nonce)
                .timestamp(timestamp).signType(headers.getOrDefault("wechatpay-signature-type",
                        "WECHATPAY2-SHA256-RSA2048"))
                .body(body).build();
        Map<?, ?> r; // the decrypted resource (original_type "complaint"): complaint_id, action_type
        try {
            r = notifications.parse(param, Map.class);
        } catch (ValidationException e) {
            throw new NotAuthentic("the WeChat Pay complaint notification's signature does not verify against "
                    + "payment.wechatpay.public-key (or it is older than 5 minutes)");
        } catch (DecryptionException e) {
            throw new NotAuthentic("the WeChat Pay complaint notification's resource does not decrypt with "
                    + "payment.wechatpay.api-v3-key, so it is not for us");
        } catch (MalformedMessageException | IllegalArgumentException e) {
            throw new BadInput("the WeChat Pay complaint notification cannot be read: " + e.getMessage());
        } catch (RuntimeException e) { // the SDK's JSON reader: a resource that is not an object
            throw new BadInput("the WeChat Pay complaint notification's resource cannot be read: " + e.getMessage());
        }
        Object complaintId = r == null ? null : r.get("complaint_id");
        if (!(complaintId instanceof String id) || id.isBlank()) {
            throw new BadInput("the WeChat Pay complaint notification names no complaint_id");
        }
        Object action = r.get("action_type");
        return Notice.of(id, "CREATE_COMPLAINT".equals(action) ? NoticeKind.CREATED : NoticeKind.CHANGED,
                action == null ? null : action.toString());
    }

    /** At start: the notification URL registered with WeChat Pay is ours, or is made so. */
    @EventListener(ApplicationReadyEvent.class)
    void registerNotificationUrl() {
        if (!settings.registerNotifyUrl()) {
            return;
        }
        String wanted = settings.notifyUrl().toString();
        try {
            String registered = null;
            try {
                registered = text(call(HttpMethod.GET, NOTIFICATIONS, null), "url");
            } catch (ServiceException e) {
                if (e.getHttpStatusCode() != 404 && !"RESOURCE_NOT_EXISTS".equals(e.getErrorCode())) {
                    throw e;
                }
            }
            if (wanted.equals(registered)) {
                log.info("WeChat Pay complaint notifications go to {} (checked)", wanted);
                return;
            }
            call(registered == null ? HttpMethod.POST : HttpMethod.PUT, NOTIFICATIONS, Map.of("url", wanted));
            log.info("WeChat Pay complaint notifications {} {} (was {})", registered == null ? "registered at"
                    : "moved to", wanted, registered);
        } catch (WechatPayException | ChannelUnavailableException e) {
            // the poll catches what is not pushed; the next start tries again
            log.warn("WeChat Pay complaint notification URL not checked now (the poll still reads the list): {}",
                    e.getMessage());
        }
    }

    // ----- reading -----

    @Override
    public Page list(Window window, String pageToken) {
        int offset = pageToken == null ? 0 : Integer.parseInt(pageToken);
        LocalDate begin = LocalDate.ofInstant(window.from(), BEIJING);
        LocalDate end = LocalDate.ofInstant(window.to().minusMillis(1), BEIJING);
        JsonNode page = get(COMPLAINTS + "?limit=" + settings.pageSize() + "&offset=" + offset + "&begin_date=" + begin
                + "&end_date=" + end, "the complaint list");
        List<Listed> listed = new ArrayList<>();
        for (JsonNode c : page.path("data")) {
            listed.add(new Listed(c.path("complaint_id").asText(), time(c.path("complaint_time")),
                    state(c.path("complaint_state").asText(null)), status(c), null));
        }
        boolean more = listed.size() >= settings.pageSize();
        return new Page(listed, more ? String.valueOf(offset + listed.size()) : null);
    }

    @Override
    public ChannelComplaint fetch(String externalId) {
        JsonNode c = detail(externalId);
        List<HistoryEntry> history = history(externalId);
        JsonNode order = c.path("complaint_order_info").path(0);
        Instant complainedAt = time(c.path("complaint_time"));
        List<ImageRef> images = new ArrayList<>();
        for (JsonNode media : c.path("complaint_media_list")) {
            for (JsonNode url : media.path("media_url")) {
                images.add(new ImageRef(url.asText(), null, "USER_COMPLAINT_IMAGE".equals(media.path("media_type")
                        .asText()) ? Party.BUYER : Party.CHANNEL));
            }
        }
        String problemType = c.path("problem_type").asText(null);
        long applied = c.path("apply_refund_amount").asLong(0);
        Long amount = applied > 0 ? Long.valueOf(applied) : order.has("amount") ? Long.valueOf(order.path("amount")
                .asLong()) : null;
        String description = c.path("problem_description").asText("");
        String detail = c.path("complaint_detail").asText("");
        String words = description.isBlank() || detail.contains(description) ? detail : description + "：" + detail;
        ChannelDeadlines deadlines = complainedAt == null ? null : new ChannelDeadlines(
                new Deadline(complainedAt.plus(settings.replyWithin()), CountedOn.CALENDAR_TIME),
                new Deadline(complainedAt.plus(settings.completeWithin()), CountedOn.CALENDAR_TIME));
        return new ChannelComplaint(externalId, order.path("out_trade_no").asText(null),
                order.path("transaction_id").asText(null), problemType, words, amount,
                "REFUND".equals(problemType) || applied > 0, complainedAt, state(c.path("complaint_state").asText(null)),
                status(c), deadlines, images, history);
    }

    private JsonNode detail(String externalId) {
        try {
            return json(call(HttpMethod.GET, COMPLAINTS + "/" + encode(externalId), null));
        } catch (ServiceException e) {
            if (e.getHttpStatusCode() == 404 || "RESOURCE_NOT_EXISTS".equals(e.getErrorCode())) {
                throw new NotFound("WeChat Pay has no complaint " + externalId);
            }
            throw unavailable("complaint " + externalId, e);
        }
    }

    private List<HistoryEntry> history(String externalId) {
        List<HistoryEntry> entries = new ArrayList<>();
        for (int offset = 0; ; offset += HISTORY_PAGE) {
            JsonNode page = get(COMPLAINTS + "/" + encode(externalId) + "/negotiation-historys?limit=" + HISTORY_PAGE
                    + "&offset=" + offset, "the negotiation history of " + externalId);
            int n = 0;
            for (JsonNode h : page.path("data")) {
                n++;
                List<ImageRef> images = new ArrayList<>();
                String type = h.path("operate_type").asText("");
                Party by = by(type, h.path("operator").asText(""));
                for (JsonNode url : h.path("image_list")) {
                    images.add(new ImageRef(url.asText(), null, by));
                }
                for (JsonNode url : h.path("complaint_media_list").path("media_url")) {
                    if (images.stream().noneMatch(i -> i.reference().equals(url.asText()))) {
                        images.add(new ImageRef(url.asText(), null, by));
                    }
                }
                entries.add(new HistoryEntry(time(h.path("operate_time")), by, type,
                        h.path("operate_details").asText(null), images));
            }
            if (n < HISTORY_PAGE) {
                return entries;
            }
        }
    }

    @Override
    public Image download(ImageRef image) {
        URI url = URI.create(image.reference());
        String path = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        if (!path.startsWith("/v3/merchant-service/images/")) {
            throw new IllegalArgumentException("not a WeChat Pay complaint image: " + image.reference());
        }
        try (InputStream in = http.download(WechatPayProperties.DEFAULT_BASE_URL + path)) {
            return new Image(in.readAllBytes(), null, null);
        } catch (ServiceException e) {
            throw unavailable("image " + path, e);
        } catch (WechatPayException | IOException e) {
            throw new ChannelUnavailableException("WeChat Pay did not give image " + path + ": " + e.getMessage(), e);
        }
    }

    // ----- answering -----

    @Override
    public Sent send(ChannelAnswer answer) {
        String id = encode(answer.externalId());
        List<String> refusedImages = new ArrayList<>();
        try {
            JsonNode detail = detail(answer.externalId());
            boolean closed = "PROCESSED".equals(detail.path("complaint_state").asText());
            if (answer instanceof Reply r) {
                String text = cut(r.text(), 200);
                if (history(answer.externalId()).stream().anyMatch(h -> h.by() == Party.MERCHANT
                        && text.equals(h.text()))) {
                    return Sent.alreadyDone("the reply is in the negotiation history");
                }
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("complainted_mchid", merchantId);
                body.put("response_content", text);
                List<String> media = upload(r.images(), refusedImages);
                if (!media.isEmpty()) {
                    body.put("response_images", media);
                }
                call(HttpMethod.POST, COMPLAINTS + "/" + id + "/response", body);
            } else if (answer instanceof Complete) {
                if (closed) {
                    return Sent.alreadyDone("the complaint is PROCESSED");
                }
                call(HttpMethod.POST, COMPLAINTS + "/" + id + "/complete", Map.of("complainted_mchid", merchantId));
            } else if (answer instanceof RefundApproved a) {
                if (closed || decided(answer.externalId())) {
                    return Sent.alreadyDone("the refund was already decided");
                }
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("action", "APPROVE");
                body.put("launch_refund_day", launchDay(a.refundDay()));
                if (a.remark() != null) {
                    body.put("remark", cut(a.remark(), 200));
                }
                call(HttpMethod.POST, COMPLAINTS + "/" + id + "/update-refund-progress", body);
            } else if (answer instanceof RefundRejected j) {
                if (closed || decided(answer.externalId())) {
                    return Sent.alreadyDone("the refund was already decided");
                }
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("action", "REJECT");
                body.put("reject_reason", cut(j.reason(), 200));
                List<String> media = upload(j.images(), refusedImages);
                if (!media.isEmpty()) {
                    body.put("reject_media_list", media);
                }
                if (j.remark() != null) {
                    body.put("remark", cut(j.remark(), 200));
                }
                call(HttpMethod.POST, COMPLAINTS + "/" + id + "/update-refund-progress", body);
            }
            return refusedImages.isEmpty() ? Sent.accepted() : new Sent(Delivery.ACCEPTED, "WeChat Pay refused "
                    + String.join("; ", refusedImages));
        } catch (ServiceException e) {
            if (unknownOutcome(e)) {
                throw unavailable(answer.kind() + " of complaint " + answer.externalId(), e);
            }
            return Sent.refused("WeChat Pay: HTTP " + e.getHttpStatusCode() + " " + e.getErrorCode() + " "
                    + e.getErrorMessage());
        } catch (NotFound e) {
            return Sent.refused(e.getMessage());
        }
    }

    /**
     * Each image uploaded (商户上传反馈图片) in order; their media ids. Uploading again is harmless (a new media id),
     * so a retried answer uploads again. An image WeChat Pay refuses for good (4xx) is left out and named in
     * {@code refused}; an unknown outcome throws, and the answer is retried whole.
     */
    private List<String> upload(List<AnswerImage> images, List<String> refused) {
        List<String> media = new ArrayList<>();
        for (AnswerImage image : images.subList(0, Math.min(images.size(), MAX_IMAGES))) {
            String name = uploadName(image);
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("filename", name);
            meta.put("sha256", sha256(image.bytes()));
            try {
                var answer = uploads.uploadImage(WechatPayProperties.DEFAULT_BASE_URL + IMAGE_UPLOAD,
                        JSON.writeValueAsString(meta), name, image.bytes());
                if (answer == null || answer.getMediaId() == null || answer.getMediaId().isBlank()) {
                    throw new ChannelUnavailableException("WeChat Pay's answer to the upload of image " + image.key()
                            + " has no media_id");
                }
                media.add(answer.getMediaId());
            } catch (ServiceException e) {
                if (unknownOutcome(e)) {
                    throw e;
                }
                refused.add("image " + image.key() + ": HTTP " + e.getHttpStatusCode() + " " + e.getErrorCode() + " "
                        + e.getErrorMessage());
            } catch (ValidationException e) {
                throw new ChannelUnavailableException("WeChat Pay's answer to the upload of image " + image.key()
                        + " does not verify against payment.wechatpay.public-key: " + e.getMessage(), e);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            } catch (WechatPayException e) {
                throw new ChannelUnavailableException("WeChat Pay did not answer the upload of image " + image.key()
                        + " (" + baseUrl + "): " + (e.getCause() != null ? e.getCause() : e.getMessage()), e);
            }
        }
        return media;
    }

    /** The upload's filename must end in .jpg, .png or .bmp as the bytes are: the evidence's name, or its id. */
    static String uploadName(AnswerImage image) {
        String ext = EXTENSIONS.getOrDefault(image.contentType(), ".jpg");
        String name = image.fileName() == null ? "" : image.fileName().replaceAll("[^\\p{L}\\p{N}._-]", "_");
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(ext) || (ext.equals(".jpg") && lower.endsWith(".jpeg"))) {
            return name;
        }
        return (name.isBlank() ? image.key() : name) + ext;
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The merchant already approved or refused the refund (WeChat Pay spells it MERCHANT_REFUSE_RERUND). */
    private boolean decided(String externalId) {
        return history(externalId).stream().anyMatch(h -> h.channelAction() != null
                && (h.channelAction().equals("MERCHANT_APPROVE_REFUND") || h.channelAction().startsWith("MERCHANT_REFUSE_R")));
    }

    /** launch_refund_day: in how many working days the refund starts; 0 is today. */
    private static int launchDay(LocalDate day) {
        LocalDate today = LocalDate.ofInstant(cn.kameng.refunddesk.dispute.ServiceClock.now(), BEIJING);
        if (day == null || !day.isAfter(today)) {
            return 0;
        }
        int days = 0;
        for (LocalDate d = today; d.isBefore(day); d = d.plusDays(1)) {
            if (d.getDayOfWeek().getValue() < 6) {
                days++;
            }
        }
        return days;
    }

    // ----- helpers -----

    private JsonNode get(String path, String what) {
        try {
            return json(call(HttpMethod.GET, path, null));
        } catch (ServiceException e) {
            throw unavailable(what, e);
        }
    }

    /** One signed call; the answer's signature is verified by the SDK. Network faults are unavailability. */
    private String call(HttpMethod method, String path, Map<String, ?> body) {
        HttpHeaders headers = new HttpHeaders();
        headers.addHeader(Constant.ACCEPT, "application/json");
        HttpRequest.Builder request = new HttpRequest.Builder().httpMethod(method)
                .url(WechatPayProperties.DEFAULT_BASE_URL + path).headers(headers);
        if (body != null) {
            headers.addHeader(Constant.CONTENT_TYPE, "application/json");
            try {
                request.body(new JsonRequestBody.Builder().body(JSON.writeValueAsString(body)).build());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            HttpResponse<Object> response = http.execute(request.build(), Object.class);
            return response.getBody() instanceof JsonResponseBody json ? json.getBody() : null;
        } catch (ServiceException e) {
            throw e;
        } catch (ValidationException e) {
            throw new ChannelUnavailableException("WeChat Pay's answer to " + method + " " + path
                    + " does not verify against payment.wechatpay.public-key: " + e.getMessage(), e);
        } catch (WechatPayException e) {
            throw new ChannelUnavailableException("WeChat Pay did not answer " + method + " " + path + " (" + baseUrl
                    + "): " + (e.getCause() != null ? e.getCause() : e.getMessage()), e);
        }
    }

    private static JsonNode json(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ChannelUnavailableException("WeChat Pay answered something that is not JSON: " + e.getMessage(), e);
        }
    }

    private static String text(String body, String field) {
        return json(body).path(field).asText(null);
    }

    /** complaint_time and operate_time: RFC 3339, or (seen in the wild) epoch milliseconds. */
    private static Instant time(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            return Instant.ofEpochMilli(value.asLong());
        }
        try {
            return OffsetDateTime.parse(value.asText()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static ChannelState state(String complaintState) {
        if (complaintState == null) {
            return ChannelState.PENDING;
        }
        return switch (complaintState) {
            case "PROCESSING" -> ChannelState.IN_PROGRESS;
            case "PROCESSED" -> ChannelState.CLOSED;
            default -> ChannelState.PENDING;
        };
    }

    /** The state plus whether the buyer wrote again: either change means the complaint is read again. */
    private static String status(JsonNode c) {
        return c.path("complaint_state").asText("") + (c.path("incoming_user_response").asBoolean(false)
                ? "+USER_RESPONSE" : "");
    }

    private static Party by(String operateType, String operator) {
        if (operateType.startsWith("USER_") || operator.contains("用户") || operator.contains("投诉人")) {
            return Party.BUYER;
        }
        if (operateType.startsWith("MERCHANT_") || operator.contains("商户") || operator.contains("商家")) {
            return Party.MERCHANT;
        }
        return Party.CHANNEL;
    }

    private static boolean unknownOutcome(ServiceException e) {
        return e.getHttpStatusCode() >= 500 || e.getHttpStatusCode() == 429
                || "SYSTEM_ERROR".equals(e.getErrorCode()) || "FREQUENCY_LIMITED".equals(e.getErrorCode());
    }

    private ChannelUnavailableException unavailable(String what, ServiceException e) {
        return new ChannelUnavailableException("WeChat Pay answered " + what + " with HTTP " + e.getHttpStatusCode()
                + " " + e.getErrorCode() + " " + e.getErrorMessage(), e);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
