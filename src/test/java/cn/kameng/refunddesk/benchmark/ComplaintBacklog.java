package cn.kameng.refunddesk.benchmark;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import cn.kameng.refunddesk.calendar.Deadlines.CountedOn;
import cn.kameng.refunddesk.complaint.ComplaintSource;
import cn.kameng.refunddesk.dispute.ComplaintChannel;

/**
 * A channel's complaint list holding a backlog (complaints about orders nobody disputed yet, made a day ago), as
 * WeChat Pay's 消费者投诉2.0 answers it: pages of 50, a detail per complaint, deadlines in calendar hours. In memory,
 * so the ingestion measure times our intake of a complaint, not a stub's HTTP. Counts the details read.
 */
final class ComplaintBacklog implements ComplaintSource {

    static final int PAGE = 50;

    private final List<String> orders;
    private final Instant complainedAt;
    final AtomicInteger detailsRead = new AtomicInteger();

    ComplaintBacklog(List<String> orders) {
        this.orders = List.copyOf(orders);
        this.complainedAt = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    }

    static String externalId(int i) {
        return "2000000" + String.format("%010d", i);
    }

    @Override
    public String source() {
        return "wechatpay-complaint-v2";
    }

    @Override
    public ComplaintChannel channel() {
        return ComplaintChannel.WECHAT_PAY;
    }

    @Override
    public Notice parseNotification(Map<String, String> headers, String body) {
        throw new UnsupportedOperationException("the backlog is polled, never pushed");
    }

    @Override
    public Duration longestWindow() {
        return Duration.ofDays(29);
    }

    @Override
    public Page list(Window window, String pageToken) {
        if (complainedAt.isBefore(window.from()) || !complainedAt.isBefore(window.to())) {
            return new Page(List.of(), null);
        }
        int from = pageToken == null ? 0 : Integer.parseInt(pageToken);
        int to = Math.min(orders.size(), from + PAGE);
        List<Listed> page = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            page.add(new Listed(externalId(i), complainedAt, ChannelState.PENDING, "PENDING", complainedAt));
        }
        return new Page(page, to < orders.size() ? String.valueOf(to) : null);
    }

    @Override
    public ChannelComplaint fetch(String externalId) {
        detailsRead.incrementAndGet();
        int i = Integer.parseInt(externalId.substring(7));
        ChannelDeadlines due = new ChannelDeadlines(
                new Deadline(complainedAt.plus(24, ChronoUnit.HOURS), CountedOn.CALENDAR_TIME),
                new Deadline(complainedAt.plus(72, ChronoUnit.HOURS), CountedOn.CALENDAR_TIME));
        return new ChannelComplaint(externalId, orders.get(i), "4200000" + externalId, "REFUND", "卡密显示已被使用，要求退款",
                2500L, true, complainedAt, ChannelState.PENDING, "PENDING", due, List.of(), List.of());
    }

    @Override
    public Image download(ImageRef image) {
        throw new UnsupportedOperationException("the backlog's complaints carry no image");
    }

    @Override
    public Set<AnswerKind> accepts() {
        return Set.of();
    }

    @Override
    public Sent send(ChannelAnswer answer) {
        throw new UnsupportedOperationException("the ingestion measure answers nothing");
    }
}
