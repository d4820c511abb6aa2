package cn.kameng.refunddesk.complaint;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import cn.kameng.refunddesk.calendar.Deadlines.CountedOn;
import cn.kameng.refunddesk.dispute.ComplaintChannel;
import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.DomainException.NotAuthentic;

/**
 * Port to one source of a channel's complaints: one merchant API of one {@link ComplaintChannel}
 * (WeChat Pay 消费者投诉2.0 is {@code wechatpay-complaint-v2}; Alipay has two, {@code alipay-tradecomplain} and
 * {@code alipay-riskgo}). The complaint feature takes complaints in through it (push and poll), reads their
 * detail once, downloads the buyer's images, and sends each answer back through it from its outbox.
 * Adapters implement it as Spring beans; nothing names them.
 *
 * <p>Failures: a push that is not the channel's throws {@link NotAuthentic} (wrong signature, or a body that
 * does not decrypt with our key) or {@link BadInput} (well signed but unreadable); web/ turns both into 4xx.
 * A channel that does not answer or answers with a server error throws {@link ChannelUnavailableException}
 * (retried later, nothing recorded). A channel that answers with a business refusal to an answer says so in
 * {@link Sent#refused(String)}, not by throwing.
 */
public interface ComplaintSource {

    /**
     * This source's stable id: lower-case letters, digits and dashes ({@code wechatpay-complaint-v2}). It is the
     * path segment of its push endpoint ({@code /channels/{source}/complaint-notifications}), the poll cursor's key
     * and, with the external id, the complaint's unique key in our tables. Never changes once complaints exist.
     */
    String source();

    /** The channel this source belongs to (several sources may share one). */
    ComplaintChannel channel();

    /**
     * Verifies and reads one push from the channel. {@code headers} are the request's headers with lower-case
     * names; {@code body} is the raw body as received (JSON for WeChat Pay, form-encoded for Alipay). The
     * notice names complaints only: their content is always read with {@link #fetch(String)}.
     *
     * @throws NotAuthentic the signature does not verify, or the body does not decrypt with our key
     * @throws BadInput the message is authentic but names no complaint we can read
     */
    Notice parseNotification(Map<String, String> headers, String body);

    /**
     * Whether a push is one of this source's messages, judged before it is verified. A channel that sends every
     * message of an application to one address (Alipay's 应用网关) puts several sources behind one URL; the push
     * endpoint gives each message to the source of that channel that recognizes it. A source alone on its URL
     * need not answer (every push is its own).
     */
    default boolean recognizes(Map<String, String> headers, String body) {
        return true;
    }

    /**
     * The plain-text body the channel expects as its acknowledgement of a push we took ({@code success} for
     * Alipay); null when an empty 200/204 is the acknowledgement (WeChat Pay).
     */
    default String acknowledgement() {
        return null;
    }

    /**
     * The longest window {@link #list} accepts in one call, as this source's configuration says
     * (WeChat Pay: 30 days). The poller walks longer spans window by window.
     */
    Duration longestWindow();

    /**
     * One page of the complaints made (or changed, where the channel lists by change) in {@code window}.
     * {@code pageToken} is null for the first page, then the previous page's {@link Page#nextPageToken()};
     * the adapter chooses the page size up to the channel's maximum (WeChat Pay: 50).
     *
     * @throws ChannelUnavailableException the channel does not answer now
     */
    Page list(Window window, String pageToken);

    /**
     * The complaint's detail as the channel shows it now, its negotiation history included (the adapter makes
     * as many calls as its channel needs).
     *
     * @throws cn.kameng.refunddesk.dispute.DomainException.NotFound the channel has no such complaint
     * @throws ChannelUnavailableException the channel does not answer now
     */
    ChannelComplaint fetch(String externalId);

    /**
     * The bytes of one image the buyer (or the channel) attached, by the reference {@link #fetch} gave (its
     * {@link ImageRef#reference()}, which may have expired: then it throws, and the next read gives a fresh one).
     *
     * @throws ChannelUnavailableException the channel does not answer now
     */
    Image download(ImageRef image);

    /** The kinds of answer this source takes; the outbox sends only these (others are recorded as not sent). */
    Set<AnswerKind> accepts();

    /**
     * Sends one answer. Idempotent per {@link ChannelAnswer#answerKey()}: the adapter passes the key where the
     * channel takes one, and otherwise reads the channel's state first (the negotiation history, the status)
     * so that an answer already there is {@link Sent#alreadyDone(String)}, never a second one. A crash between
     * this call and the outbox marking it sent is therefore safe: it is sent again with the same key.
     *
     * @throws ChannelUnavailableException the outcome is unknown (timeout, 5xx): the outbox retries with the same key
     */
    Sent send(ChannelAnswer answer);

    /**
     * The most images one answer of {@code kind} may carry at this channel (WeChat Pay: 4 media ids in
     * {@code response_images} and in {@code reject_media_list}). The outbox attaches the answer's images in their
     * order up to this many and records the rest as left out. 0 (the default): this source sends no images.
     */
    default int maxAnswerImages(AnswerKind kind) {
        return 0;
    }

    /**
     * The largest image file this channel's upload takes, in bytes; a larger one is left out of the answer (and said
     * so in the answer's detail), never failing it. The default is WeChat Pay's 2 MB, the smallest limit we know.
     */
    default long maxAnswerImageBytes() {
        return 2L * 1024 * 1024;
    }

    /** The image types (media types) this channel's upload takes; evidence of other types is left out. */
    default Set<String> answerImageTypes() {
        return Set.of("image/jpeg", "image/png", "image/bmp");
    }

    // ----- what comes in -----

    /** What a push says: the complaints it is about. */
    record Notice(List<String> externalIds, NoticeKind kind, String channelEvent) {
        public Notice {
            externalIds = List.copyOf(externalIds);
        }

        public static Notice of(String externalId, NoticeKind kind, String channelEvent) {
            return new Notice(List.of(externalId), kind, channelEvent);
        }
    }

    enum NoticeKind {
        /** A new complaint. */
        CREATED,
        /** Something changed on a known one (the buyer answered, the channel stepped in, it was closed). */
        CHANGED
    }

    /** A half-open time window {@code [from, to)}. */
    record Window(Instant from, Instant to) {
        public Window {
            if (!from.isBefore(to)) {
                throw new IllegalArgumentException("a window must end after it starts: " + from + " .. " + to);
            }
        }
    }

    /** One page of a list: each complaint in short; {@code nextPageToken} null on the last page. */
    record Page(List<Listed> complaints, String nextPageToken) {
        public Page {
            complaints = List.copyOf(complaints);
        }
    }

    /**
     * A complaint as a list shows it: enough to tell a new one from a known one that did not change.
     * {@code channelStatus} is the channel's own status code (compared for equality only); {@code changedAt} may
     * be null where the list does not say.
     */
    record Listed(String externalId, Instant complainedAt, ChannelState state, String channelStatus,
            Instant changedAt) {
    }

    /** Where a complaint stands at the channel, in neutral terms. */
    enum ChannelState {
        /** Waiting for the merchant. */
        PENDING,
        /** The merchant answered; the buyer or the channel may still speak. */
        IN_PROGRESS,
        /** Finished at the channel (completed, withdrawn, judged). */
        CLOSED
    }

    /**
     * One complaint's detail.
     *
     * @param orderId our order id (WeChat Pay out_trade_no, Alipay merchant_order_no / out_no); null when the
     *        channel does not say which of our orders it is about
     * @param channelTradeId the channel's own trade id (transaction_id, trade_no), for the record
     * @param problemType the channel's problem type or complaint reason code/text, as the reason table
     *        ({@code processes/channel-complaint-reason.dmn}) matches it
     * @param buyerWords what the buyer wrote, as the channel shows it
     * @param amountFen the amount the buyer complains about (or asks back), in fen; null when not said
     * @param refundRequested the buyer asks for money back (WeChat problem_type REFUND, a refund amount)
     * @param deadlines the channel's own deadlines, in its own terms
     * @param images the buyer's (and the channel's) images, to download
     * @param history the negotiation so far, oldest first
     */
    record ChannelComplaint(String externalId, String orderId, String channelTradeId, String problemType,
            String buyerWords, Long amountFen, boolean refundRequested, Instant complainedAt, ChannelState state,
            String channelStatus, ChannelDeadlines deadlines, List<ImageRef> images, List<HistoryEntry> history) {
        public ChannelComplaint {
            images = List.copyOf(images);
            history = List.copyOf(history);
        }
    }

    /**
     * The channel's deadlines: by when the merchant must first reply, and by when it must have finished
     * (WeChat Pay's complete, Alipay's feedback, RiskGO's {@code gmt_overdue}); either may be null when the
     * channel sets none. The earlier one that is still ahead drives the complaint task's due date.
     */
    record ChannelDeadlines(Deadline replyDue, Deadline completeDue) {
    }

    /** One deadline and how the channel counts it (calendar hours for WeChat Pay; working days where said). */
    record Deadline(Instant dueAt, CountedOn countedOn) {
    }

    /**
     * An image to download. {@code key} names the picture itself and stays the same however often the complaint
     * is read: the core stores each key once per complaint. {@code reference} is where to download it now (a
     * media URL or a file id), opaque to the core: where the channel signs its addresses with an expiry (Alipay),
     * the reference changes from read to read and the key is the part that does not. {@code fileName} a name to
     * show, may be null. ADR 0073.
     */
    record ImageRef(String key, String reference, String fileName, Party from) {
        public ImageRef {
            if (key == null || key.isBlank()) {
                key = reference;
            }
        }

        /** An image whose reference is stable (a WeChat Pay media URL, a file id): it is its own key. */
        public ImageRef(String reference, String fileName, Party from) {
            this(reference, reference, fileName, from);
        }
    }

    /** Who spoke in a complaint's negotiation. */
    enum Party {
        BUYER, MERCHANT, CHANNEL
    }

    /** One step of the negotiation: {@code channelAction} is the channel's own operation type, for display. */
    record HistoryEntry(Instant at, Party by, String channelAction, String text, List<ImageRef> images) {
        public HistoryEntry {
            images = List.copyOf(images);
        }
    }

    /** Downloaded bytes; {@code contentType} as the channel said, may be null (the evidence store judges bytes). */
    record Image(byte[] bytes, String contentType, String fileName) {
    }

    // ----- what goes out -----

    enum AnswerKind {
        REPLY("答复"), COMPLETE("处理完成"), REFUND_APPROVED("同意退款"), REFUND_REJECTED("拒绝退款");

        private final String label;

        AnswerKind(String label) {
            this.label = label;
        }

        /** The kind in the words of the timeline and the staff's screens. */
        public String label() {
            return label;
        }
    }

    /**
     * The settlement told to a channel that wants a coded outcome: each adapter maps it onto its own codes
     * (Alipay feedback codes, RiskGO process codes); WeChat Pay's complete takes none.
     */
    enum Resolution {
        /** The buyer was refunded (in full or in part). */
        REFUNDED,
        /** The goods were delivered again or replaced (a new card key). */
        REPLACED,
        /** The complaint was looked at and rejected, with reasons. */
        REJECTED
    }

    /** An image we attach to an answer; {@code key} is stable per file (our evidence id), so uploads can be reused. */
    record AnswerImage(String key, String fileName, String contentType, byte[] bytes) {
    }

    /** One answer to one complaint, with the outbox's idempotency key. */
    sealed interface ChannelAnswer {
        String answerKey();

        String externalId();

        AnswerKind kind();
    }

    /** A reply in words (WeChat Pay response, Alipay reply / supplement). */
    record Reply(String answerKey, String externalId, String text, List<AnswerImage> images) implements ChannelAnswer {
        public Reply {
            images = List.copyOf(images);
        }

        @Override
        public AnswerKind kind() {
            return AnswerKind.REPLY;
        }
    }

    /** The merchant's handling is finished (WeChat Pay complete, Alipay feedback submit, RiskGO process finish). */
    record Complete(String answerKey, String externalId, Resolution resolution, String text, List<AnswerImage> images)
            implements ChannelAnswer {
        public Complete {
            images = List.copyOf(images);
        }

        @Override
        public AnswerKind kind() {
            return AnswerKind.COMPLETE;
        }
    }

    /** The buyer's refund request is approved; the money goes back on {@code refundDay} (Beijing date). */
    record RefundApproved(String answerKey, String externalId, LocalDate refundDay, String remark)
            implements ChannelAnswer {
        @Override
        public AnswerKind kind() {
            return AnswerKind.REFUND_APPROVED;
        }
    }

    /** The buyer's refund request is rejected, with the reason and images that show why. */
    record RefundRejected(String answerKey, String externalId, String reason, List<AnswerImage> images, String remark)
            implements ChannelAnswer {
        public RefundRejected {
            images = List.copyOf(images);
        }

        @Override
        public AnswerKind kind() {
            return AnswerKind.REFUND_REJECTED;
        }
    }

    /** The channel's word on an answer. */
    record Sent(Delivery delivery, String detail) {
        public static Sent accepted() {
            return new Sent(Delivery.ACCEPTED, null);
        }

        /** The channel already has this answer (sent before a crash, or the complaint is already in that state). */
        public static Sent alreadyDone(String detail) {
            return new Sent(Delivery.ALREADY_DONE, detail);
        }

        /** The channel refused it for good (closed complaint, a rule of the channel); {@code detail} says why. */
        public static Sent refused(String detail) {
            return new Sent(Delivery.REFUSED, detail);
        }
    }

    enum Delivery {
        ACCEPTED, ALREADY_DONE, REFUSED
    }
}
