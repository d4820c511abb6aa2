package cn.kameng.refunddesk.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.calendar.Deadlines.CountedOn;
import cn.kameng.refunddesk.complaint.ComplaintSource;
import cn.kameng.refunddesk.dispute.ComplaintChannel;
import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.DomainException.NotFound;
import cn.kameng.refunddesk.dispute.ServiceClock;

/**
 * Default profile only: a simulated WeChat Pay 消费者投诉2.0 for the demo, so that staff see a channel complaint
 * taken in, tied to its dispute, shown in Tasklist with the channel's 24/72-hour deadlines, and answered back
 * through the outbox, without a WeChat merchant account. Complaints are filed with
 * {@code POST /api/v1/sandbox/channel-complaints} and kept in memory (a restart forgets them, as a sandbox may);
 * what we answered shows in their negotiation history. It takes no pushes: a filed complaint is taken in at once,
 * and the poll reads it like any source's list.
 */
@Component
@Profile("default")
class SandboxComplaintChannel implements ComplaintSource {

    static final String SOURCE = "sandbox-wechat-pay";
    /** WeChat Pay's: the first reply within 24 hours, finished within 72 (calendar hours). */
    private static final Duration REPLY_WITHIN = Duration.ofHours(24);
    private static final Duration COMPLETE_WITHIN = Duration.ofHours(72);

    /** WeChat Pay's problem types, as processes/channel-complaint-reason.dmn reads them. */
    enum ProblemType {
        REFUND, SERVICE_NOT_WORK, OTHERS
    }

    private static final class Filed {
        final String externalId;
        final String orderId;
        final ProblemType problemType;
        final String words;
        final Long amountFen;
        final Instant complainedAt;
        final List<HistoryEntry> history = new ArrayList<>();
        ChannelState state = ChannelState.PENDING;
        String status = "PENDING";

        Filed(String externalId, String orderId, ProblemType problemType, String words, Long amountFen, Instant at) {
            this.externalId = externalId;
            this.orderId = orderId;
            this.problemType = problemType;
            this.words = words;
            this.amountFen = amountFen;
            this.complainedAt = at;
            history.add(new HistoryEntry(at, Party.BUYER, "USER_CREATE_COMPLAINT", words, List.of()));
        }
    }

    /** What the simulated channel shows of one complaint. */
    record Shown(String externalId, String orderId, ProblemType problemType, String words, Long amountFen,
            Instant complainedAt, ChannelState state, String status, List<HistoryEntry> history) {
    }

    private final Map<String, Filed> complaints = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    /** A buyer complains at the simulated channel about one order. */
    synchronized Shown file(String orderId, ProblemType problemType, String words, Long amountFen) {
        Instant now = ServiceClock.now();
        String id = "SBX" + now.toEpochMilli() + "-" + sequence.incrementAndGet();
        Filed f = new Filed(id, orderId, problemType, words, amountFen, now);
        complaints.put(id, f);
        return shown(f);
    }

    /** The buyer withdraws the complaint at the channel (or the channel closes it): closed there. */
    synchronized Shown withdraw(String externalId) {
        Filed f = filed(externalId);
        if (f.state == ChannelState.CLOSED) {
            throw new cn.kameng.refunddesk.dispute.DomainException.WrongState("sandbox complaint " + externalId
                    + " is already closed at the channel");
        }
        f.state = ChannelState.CLOSED;
        f.status = "PROCESSED";
        f.history.add(new HistoryEntry(ServiceClock.now(), Party.BUYER, "USER_CANCEL_COMPLAINT", "用户撤诉", List.of()));
        return shown(f);
    }

    synchronized Shown show(String externalId) {
        return shown(filed(externalId));
    }

    private Filed filed(String externalId) {
        Filed f = complaints.get(externalId);
        if (f == null) {
            throw new NotFound("the sandbox channel has no complaint " + externalId);
        }
        return f;
    }

    private static Shown shown(Filed f) {
        return new Shown(f.externalId, f.orderId, f.problemType, f.words, f.amountFen, f.complainedAt, f.state, f.status,
                List.copyOf(f.history));
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
    public boolean recognizes(Map<String, String> headers, String body) {
        return false; // a real WeChat Pay push is never the sandbox's
    }

    @Override
    public Notice parseNotification(Map<String, String> headers, String body) {
        throw BadInput.field("body", "the sandbox channel takes no notifications: file complaints with "
                + "POST /api/v1/sandbox/channel-complaints");
    }

    @Override
    public Duration longestWindow() {
        return Duration.ofDays(30);
    }

    @Override
    public synchronized Page list(Window window, String pageToken) {
        List<Listed> listed = complaints.values().stream()
                .filter(f -> !f.complainedAt.isBefore(window.from()) && f.complainedAt.isBefore(window.to()))
                .sorted(Comparator.comparing((Filed f) -> f.complainedAt))
                .map(f -> new Listed(f.externalId, f.complainedAt, f.state, f.status, null)).toList();
        return new Page(listed, null);
    }

    @Override
    public synchronized ChannelComplaint fetch(String externalId) {
        Filed f = filed(externalId);
        ChannelDeadlines deadlines = new ChannelDeadlines(
                new Deadline(f.complainedAt.plus(REPLY_WITHIN), CountedOn.CALENDAR_TIME),
                new Deadline(f.complainedAt.plus(COMPLETE_WITHIN), CountedOn.CALENDAR_TIME));
        return new ChannelComplaint(f.externalId, f.orderId, "SBX-TRADE-" + f.orderId, f.problemType.name(), f.words,
                f.amountFen, f.problemType == ProblemType.REFUND, f.complainedAt, f.state, f.status, deadlines, List.of(),
                List.copyOf(f.history));
    }

    @Override
    public Image download(ImageRef image) {
        throw new NotFound("the sandbox channel has no images");
    }

    @Override
    public Set<AnswerKind> accepts() {
        return EnumSet.allOf(AnswerKind.class);
    }

    /** Idempotent by the answer's key: the history keeps it, and the same key again is already there. */
    @Override
    public synchronized Sent send(ChannelAnswer answer) {
        Filed f = complaints.get(answer.externalId());
        if (f == null) {
            return Sent.refused("the sandbox channel has no complaint " + answer.externalId() + " (restarted?)");
        }
        if (f.history.stream().anyMatch(h -> answer.answerKey().equals(h.channelAction()))) {
            return Sent.alreadyDone("answer " + answer.answerKey() + " is in the history");
        }
        if (f.state == ChannelState.CLOSED && !(answer instanceof Complete)) {
            return Sent.refused("the complaint is closed at the channel (" + f.status + ")");
        }
        String text;
        if (answer instanceof Reply r) {
            text = "商户回复：" + r.text();
        } else if (answer instanceof Complete c) {
            text = "商户处理完成（" + c.resolution() + "）" + (c.text() == null ? "" : "：" + c.text());
        } else if (answer instanceof RefundApproved a) {
            text = "商户同意退款，退款日期 " + a.refundDay();
        } else {
            text = "商户拒绝退款：" + ((RefundRejected) answer).reason();
        }
        // the answer's key stands where WeChat Pay shows its operation type: it makes a resend "already done"
        f.history.add(new HistoryEntry(ServiceClock.now(), Party.MERCHANT, answer.answerKey(), text, List.of()));
        if (answer instanceof Complete) {
            f.state = ChannelState.CLOSED;
            f.status = "PROCESSED";
        } else if (f.state == ChannelState.PENDING) {
            f.state = ChannelState.IN_PROGRESS;
            f.status = "PROCESSING";
        }
        return Sent.accepted();
    }
}
