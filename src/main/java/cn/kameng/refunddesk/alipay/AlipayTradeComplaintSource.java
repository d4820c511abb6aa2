package cn.kameng.refunddesk.alipay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.alipay.api.FileItem;
import com.alipay.api.domain.AlipayMerchantTradecomplainBatchqueryModel;
import com.alipay.api.domain.AlipayMerchantTradecomplainQueryModel;
import com.alipay.api.domain.AlipayMerchantTradecomplainReplySubmitModel;
import com.alipay.api.domain.AlipayMerchantTradecomplainSupplementSubmitModel;
import com.alipay.api.domain.ReplyRecordResponse;
import com.alipay.api.domain.TradeComplainQueryResponse;
import com.alipay.api.request.AlipayMerchantImageUploadRequest;
import com.alipay.api.request.AlipayMerchantTradecomplainBatchqueryRequest;
import com.alipay.api.request.AlipayMerchantTradecomplainFeedbackSubmitRequest;
import com.alipay.api.request.AlipayMerchantTradecomplainQueryRequest;
import com.alipay.api.request.AlipayMerchantTradecomplainReplySubmitRequest;
import com.alipay.api.request.AlipayMerchantTradecomplainSupplementSubmitRequest;
import com.alipay.api.response.AlipayMerchantImageUploadResponse;
import com.alipay.api.response.AlipayMerchantTradecomplainBatchqueryResponse;
import com.alipay.api.response.AlipayMerchantTradecomplainQueryResponse;
import com.alipay.api.AlipayResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.calendar.Deadlines.CountedOn;
import cn.kameng.refunddesk.calendar.Sla;
import cn.kameng.refunddesk.calendar.WorkingDays;
import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.DomainException.NotFound;
import cn.kameng.refunddesk.dispute.ServiceClock;

/**
 * Alipay 交易投诉 ({@code alipay.merchant.tradecomplain.*}) as a complaint source: batch query and query in,
 * the {@code alipay.merchant.tradecomplain.changed} message as its push; replies ({@code reply.submit}, or
 * {@code supplement.submit} while Alipay's customer service handles the complaint) and the final feedback
 * ({@code feedback.submit} with its feedback code) out, images uploaded first ({@code alipay.merchant.image.upload}).
 * Alipay takes no idempotency key here: each answer first reads the complaint, and one already there (our reply
 * in the negotiation, a feedback already given) is not sent again. ADR 0069.
 */
@Component
@ConditionalOnProperty(name = "payment.alipay.complaints.tradecomplain.enabled", havingValue = "true")
class AlipayTradeComplaintSource extends AlipayComplaintFamily {

    static final String SOURCE = "alipay-tradecomplain";
    static final String CHANGED = "alipay.merchant.tradecomplain.changed";
    private static final int MAX_PAGE_SIZE = 20;
    private static final int FEEDBACK_CHARS = 200;
    private static final Set<String> CLOSED = Set.of("FINISHED", "CANCELLED", "PLATFORM_FINISH", "CLOSED");
    private static final Set<String> FEEDBACK_GIVEN = Set.of("MERCHANT_FEEDBACKED", "FINISHED", "PLATFORM_FINISH");

    private final AlipayProperties.TradeComplain settings;
    private final WorkingDays workingDays;

    AlipayTradeComplaintSource(AlipayProperties properties, WorkingDays workingDays, ObjectMapper json) {
        super(SOURCE, CHANGED, checked(properties.complaints().tradecomplain()).longestWindow(),
                new AlipayComplaintCalls(properties, "payment.alipay.complaints.tradecomplain.enabled", json));
        this.settings = properties.complaints().tradecomplain();
        this.workingDays = workingDays;
    }

    private static AlipayProperties.TradeComplain checked(AlipayProperties.TradeComplain settings) {
        if (settings.pageSize() < 1 || settings.pageSize() > MAX_PAGE_SIZE) {
            throw new IllegalStateException("payment.alipay.complaints.tradecomplain.page-size is " + settings.pageSize()
                    + "; Alipay's batch query takes 1 to " + MAX_PAGE_SIZE);
        }
        if (settings.longestWindow().isNegative() || settings.longestWindow().isZero()
                || settings.longestWindow().compareTo(Duration.ofDays(365)) > 0) {
            throw new IllegalStateException("payment.alipay.complaints.tradecomplain.longest-window is "
                    + settings.longestWindow() + "; Alipay's batch query spans at most a year (P365D)");
        }
        return settings;
    }

    @Override
    Notice notice(JsonNode biz) {
        String id = first(biz, "complain_event_id");
        if (id == null) {
            throw BadInput.field("biz_content.complain_event_id", "is required: the message names no complaint");
        }
        String status = first(biz, "status");
        return Notice.of(id, NoticeKind.CHANGED, status == null ? CHANGED : CHANGED + " " + status);
    }

    @Override
    public Page list(Window window, String pageToken) {
        long page = pageNumber(pageToken);
        AlipayMerchantTradecomplainBatchqueryModel model = new AlipayMerchantTradecomplainBatchqueryModel();
        model.setBeginTime(AlipayComplaintCalls.stamp(window.from()));
        model.setEndTime(AlipayComplaintCalls.stamp(window.to()));
        model.setPageNum(page);
        model.setPageSize((long) settings.pageSize());
        AlipayMerchantTradecomplainBatchqueryRequest request = new AlipayMerchantTradecomplainBatchqueryRequest();
        request.setBizModel(model);
        AlipayMerchantTradecomplainBatchqueryResponse response = alipay.read(request, "the 交易投诉 list of "
                + model.getBeginTime() + " .. " + model.getEndTime() + " page " + page);
        List<TradeComplainQueryResponse> infos = response.getTradeComplainInfos() == null ? List.of()
                : response.getTradeComplainInfos();
        List<Listed> listed = infos.stream().filter(i -> i.getComplainEventId() != null)
                .map(i -> new Listed(i.getComplainEventId(), AlipayComplaintCalls.instant(i.getGmtCreate()),
                        state(i.getStatus()), i.getStatus(), AlipayComplaintCalls.instant(i.getGmtModified())))
                .toList();
        boolean more = response.getTotalPageNum() != null ? page < response.getTotalPageNum()
                : infos.size() >= settings.pageSize();
        return new Page(listed, more && !infos.isEmpty() ? Long.toString(page + 1) : null);
    }

    @Override
    public ChannelComplaint fetch(String externalId) {
        AlipayMerchantTradecomplainQueryResponse d = query(externalId);
        Instant complained = AlipayComplaintCalls.instant(d.getGmtCreate());
        Instant start = complained != null ? complained : ServiceClock.now();
        Sla within = settings.feedbackWithin();
        Instant due = within.inWorkingDays() ? workingDays.plusWorkingDays(start, within.workingDays())
                : start.plus(within.calendarTime());
        CountedOn counted = !within.inWorkingDays() ? CountedOn.CALENDAR_TIME
                : workingDays.isOfficial(start, due) ? CountedOn.OFFICIAL_CALENDAR : CountedOn.MONDAY_TO_FRIDAY;
        List<ImageRef> images = images(d.getImages(), Party.BUYER);
        List<HistoryEntry> history = d.getReplyDetailInfos() == null ? List.of() : d.getReplyDetailInfos().stream()
                .map(this::entry)
                .sorted(Comparator.comparing(HistoryEntry::at, Comparator.nullsFirst(Comparator.naturalOrder())))
                .toList();
        String reason = d.getComplainReason() != null ? d.getComplainReason() : d.getLeafCategoryName();
        boolean refund = contains(d.getLeafCategoryName(), "退款") || contains(d.getComplainReason(), "退款");
        return new ChannelComplaint(d.getComplainEventId() != null ? d.getComplainEventId() : externalId,
                d.getMerchantOrderNo(), d.getTradeNo(), reason, d.getContent(),
                AlipayComplaintCalls.fen(d.getTradeAmount()), refund, complained, state(d.getStatus()), d.getStatus(),
                new ChannelDeadlines(null, new Deadline(due, counted)), images, history);
    }

    @Override
    public Image download(ImageRef image) {
        return alipay.download(image.reference(), "an image of an Alipay 交易投诉");
    }

    @Override
    public Set<AnswerKind> accepts() {
        return EnumSet.of(AnswerKind.REPLY, AnswerKind.COMPLETE);
    }

    /**
     * reply/supplement and feedback images (ADR 0071): Alipay's pages name no maximum we could confirm, so a
     * conservative 3 per answer; the upload (alipay.merchant.image.upload) takes bmp, jpg, png and gif, and we keep
     * to the port's 2 MB.
     */
    @Override
    public int maxAnswerImages(AnswerKind kind) {
        return kind == AnswerKind.REPLY || kind == AnswerKind.COMPLETE ? 3 : 0;
    }

    @Override
    public Set<String> answerImageTypes() {
        return Set.of("image/jpeg", "image/png", "image/bmp", "image/gif");
    }

    @Override
    public Sent send(ChannelAnswer answer) {
        if (!(answer instanceof Reply) && !(answer instanceof Complete)) {
            return Sent.refused(SOURCE + " takes replies and the final feedback, not " + answer.kind());
        }
        AlipayMerchantTradecomplainQueryResponse now;
        try {
            now = query(answer.externalId());
        } catch (NotFound e) {
            return Sent.refused(e.getMessage());
        }
        return answer instanceof Reply reply ? reply(reply, now, now.getStatus())
                : feedback((Complete) answer, now.getStatus());
    }

    // ---- answers ----------------------------------------------------------------------------------

    private Sent reply(Reply reply, AlipayMerchantTradecomplainQueryResponse now, String status) {
        if (status != null && CLOSED.contains(status)) {
            return Sent.refused("the Alipay complaint " + reply.externalId() + " is closed (" + status + ")");
        }
        boolean there = now.getReplyDetailInfos() != null && now.getReplyDetailInfos().stream()
                .anyMatch(r -> party(r.getReplierRole()) == Party.MERCHANT && reply.text().equals(r.getContent()));
        if (there) {
            return Sent.alreadyDone("Alipay's negotiation already holds this reply");
        }
        String images = upload(reply.images());
        AlipayResponse response;
        if ("PLATFORM_PROCESSING".equals(status)) {
            // Alipay's customer service has the complaint: what we say goes to it, as a supplement.
            AlipayMerchantTradecomplainSupplementSubmitModel model = new AlipayMerchantTradecomplainSupplementSubmitModel();
            model.setComplainEventId(reply.externalId());
            model.setSupplementContent(reply.text());
            model.setSupplementImages(images);
            AlipayMerchantTradecomplainSupplementSubmitRequest request = new AlipayMerchantTradecomplainSupplementSubmitRequest();
            request.setBizModel(model);
            response = alipay.call(request, "the supplement to complaint " + reply.externalId());
        } else {
            AlipayMerchantTradecomplainReplySubmitModel model = new AlipayMerchantTradecomplainReplySubmitModel();
            model.setComplainEventId(reply.externalId());
            model.setReplyContent(reply.text());
            model.setReplyImages(images);
            AlipayMerchantTradecomplainReplySubmitRequest request = new AlipayMerchantTradecomplainReplySubmitRequest();
            request.setBizModel(model);
            response = alipay.call(request, "the reply to complaint " + reply.externalId());
        }
        return response.isSuccess() ? Sent.accepted() : Sent.refused("Alipay: " + AlipayComplaintCalls.refusal(response));
    }

    private Sent feedback(Complete complete, String status) {
        if (status != null && FEEDBACK_GIVEN.contains(status)) {
            return Sent.alreadyDone("Alipay already has the merchant's feedback (" + status + ")");
        }
        if (status != null && CLOSED.contains(status)) {
            return Sent.refused("the Alipay complaint " + complete.externalId() + " is closed (" + status + ")");
        }
        TradeComplainFeedbackCode code = TradeComplainFeedbackCode.of(complete.resolution());
        AlipayMerchantTradecomplainFeedbackSubmitRequest request = new AlipayMerchantTradecomplainFeedbackSubmitRequest();
        request.setComplainEventId(complete.externalId());
        request.setFeedbackCode(code.code());
        request.setFeedbackContent(AlipayComplaintCalls.limit(
                complete.text() == null || complete.text().isBlank() ? code.label() : complete.text(), FEEDBACK_CHARS));
        request.setFeedbackImages(upload(complete.images()));
        AlipayResponse response = alipay.call(request, "the feedback on complaint " + complete.externalId());
        return response.isSuccess() ? Sent.accepted() : Sent.refused("Alipay: " + AlipayComplaintCalls.refusal(response));
    }

    /** Each image uploaded to Alipay's merchant image store; their ids, comma-separated as the answers take them. */
    private String upload(List<AnswerImage> images) {
        if (images.isEmpty()) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        for (AnswerImage image : images) {
            AlipayMerchantImageUploadRequest request = new AlipayMerchantImageUploadRequest();
            request.setImageType(imageType(image));
            request.setImageContent(new FileItem(image.fileName() != null ? image.fileName() : image.key(), image.bytes(),
                    image.contentType()));
            AlipayMerchantImageUploadResponse response = alipay.call(request, "the upload of image " + image.key());
            if (!response.isSuccess() || response.getImageId() == null) {
                throw new AlipayComplaintCalls.AlipayRefusal(request.getApiMethodName(), "image " + image.key(), response);
            }
            ids.add(response.getImageId());
        }
        return String.join(",", ids);
    }

    /** bmp, jpg, jpeg, png or gif, as alipay.merchant.image.upload takes them. */
    static String imageType(AnswerImage image) {
        String type = image.contentType() == null ? "" : image.contentType().toLowerCase(Locale.ROOT);
        if (type.endsWith("/png")) {
            return "png";
        }
        if (type.endsWith("/gif")) {
            return "gif";
        }
        if (type.endsWith("/bmp")) {
            return "bmp";
        }
        String name = image.fileName() == null ? "" : image.fileName().toLowerCase(Locale.ROOT);
        for (String ext : List.of("png", "gif", "bmp", "jpeg")) {
            if (name.endsWith("." + ext)) {
                return ext;
            }
        }
        return "jpg";
    }

    // ---- reading ----------------------------------------------------------------------------------

    private AlipayMerchantTradecomplainQueryResponse query(String externalId) {
        AlipayMerchantTradecomplainQueryModel model = new AlipayMerchantTradecomplainQueryModel();
        model.setComplainEventId(externalId);
        AlipayMerchantTradecomplainQueryRequest request = new AlipayMerchantTradecomplainQueryRequest();
        request.setBizModel(model);
        return alipay.read(request, "交易投诉 " + externalId);
    }

    private HistoryEntry entry(ReplyRecordResponse r) {
        Party by = party(r.getReplierRole());
        return new HistoryEntry(AlipayComplaintCalls.instant(r.getGmtCreate()), by,
                r.getReplierRole() != null ? r.getReplierRole() : r.getReplierName(), r.getContent(),
                images(r.getImages(), by));
    }

    /** replier_role as Alipay names it: the merchant, the user (buyer), anything else is Alipay's own staff. */
    static Party party(String role) {
        String r = role == null ? "" : role.toUpperCase(Locale.ROOT);
        if (r.contains("MERCHANT")) {
            return Party.MERCHANT;
        }
        if (r.contains("USER") || r.contains("BUYER") || r.contains("CUSTOMER") || r.contains("CONSUMER")) {
            return Party.BUYER;
        }
        return Party.CHANNEL;
    }

    /** Alipay's status in neutral terms; a status this adapter does not know counts as in progress. */
    static ChannelState state(String status) {
        if (status == null) {
            return ChannelState.IN_PROGRESS;
        }
        if ("MERCHANT_PROCESSING".equals(status)) {
            return ChannelState.PENDING;
        }
        return CLOSED.contains(status) ? ChannelState.CLOSED : ChannelState.IN_PROGRESS;
    }

    private static boolean contains(String text, String word) {
        return text != null && text.contains(word);
    }
}
