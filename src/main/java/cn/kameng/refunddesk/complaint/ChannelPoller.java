package cn.kameng.refunddesk.complaint;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.complaint.ComplaintSource.Listed;
import cn.kameng.refunddesk.complaint.ComplaintSource.Page;
import cn.kameng.refunddesk.complaint.ComplaintSource.Window;
import cn.kameng.refunddesk.dispute.DomainException;
import cn.kameng.refunddesk.dispute.ServiceClock;

/**
 * Reads each source's complaint list to catch what a lost notification did not bring: from where the last poll
 * ended (less {@code dispute.channels.poll-overlap}) to now, window by window as long as the source allows
 * (WeChat Pay: 30 days), page by page. One node at a time per source: the cursor row is claimed with a
 * conditional update, and a crashed node's claim expires after {@code poll-claim-for}. The cursor moves only
 * past what was read, so a channel that stops answering is read again from there next time.
 */
@Component
public class ChannelPoller {

    private static final Logger log = LoggerFactory.getLogger(ChannelPoller.class);

    /** What one poll of one source did. */
    public record Polled(String source, int listed, int taken, boolean complete) {
    }

    private final ChannelSources sources;
    private final ChannelComplaintRecords records;
    private final ChannelComplaints complaints;
    private final ChannelProperties properties;

    ChannelPoller(ChannelSources sources, ChannelComplaintRecords records, ChannelComplaints complaints,
            ChannelProperties properties) {
        this.sources = sources;
        this.records = records;
        this.complaints = complaints;
        this.properties = properties;
    }

    @Scheduled(fixedDelayString = "${dispute.channels.poll-interval:PT10M}",
            initialDelayString = "${dispute.channels.poll-initial-delay:PT1M}")
    void scheduled() {
        if (properties.pollEnabled()) {
            pollAll();
        }
    }

    public void pollAll() {
        for (ComplaintSource source : sources.all()) {
            try {
                poll(source);
            } catch (RuntimeException e) {
                log.warn("Poll of complaint source {} failed: {}", source.source(), e.toString());
            }
        }
    }

    /** Polls one source now; empty-handed (listed 0, complete false) when another node holds its claim. */
    public Polled poll(ComplaintSource source) {
        Instant now = ServiceClock.now();
        Instant cursor = records.cursor(source.source(), now.minus(properties.firstPollLookback()));
        if (!records.claimPoll(source.source(), now, now.plus(properties.pollClaimFor()))) {
            return new Polled(source.source(), 0, 0, false);
        }
        Instant from = cursor.minus(properties.pollOverlap());
        int listed = 0;
        int taken = 0;
        Instant readUntil = cursor;
        try {
            while (from.isBefore(now)) {
                Instant to = from.plus(source.longestWindow()).isBefore(now) ? from.plus(source.longestWindow()) : now;
                Window window = new Window(from, to);
                String page = null;
                do {
                    Page p = source.list(window, page);
                    for (Listed l : p.complaints()) {
                        listed++;
                        try {
                            if (complaints.takeListed(source, l).isPresent()) {
                                taken++;
                            }
                        } catch (DomainException e) {
                            log.warn("{} complaint {} listed but not taken: {}", source.source(), l.externalId(),
                                    e.getMessage());
                        }
                    }
                    page = p.nextPageToken();
                } while (page != null);
                readUntil = to.isAfter(readUntil) ? to : readUntil;
                from = to;
            }
            records.polled(source.source(), now, ServiceClock.now(), null);
            return new Polled(source.source(), listed, taken, true);
        } catch (ChannelUnavailableException e) {
            records.polled(source.source(), readUntil, ServiceClock.now(), e.getMessage());
            log.warn("Poll of {} stopped at {} (read again from there next time): {}", source.source(), readUntil,
                    e.getMessage());
            return new Polled(source.source(), listed, taken, false);
        } catch (RuntimeException e) {
            records.polled(source.source(), readUntil, ServiceClock.now(), e.toString());
            throw e;
        }
    }
}
