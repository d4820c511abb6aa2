package cn.kameng.refunddesk.complaint;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.complaint.ChannelComplaintRecords.Answer;
import cn.kameng.refunddesk.complaint.ChannelComplaintRecords.AnswerStatus;
import cn.kameng.refunddesk.complaint.ChannelComplaintRecords.Taken;
import cn.kameng.refunddesk.complaint.ComplaintSource.AnswerImage;
import cn.kameng.refunddesk.complaint.ComplaintSource.ChannelAnswer;
import cn.kameng.refunddesk.complaint.ComplaintSource.Complete;
import cn.kameng.refunddesk.complaint.ComplaintSource.RefundApproved;
import cn.kameng.refunddesk.complaint.ComplaintSource.RefundRejected;
import cn.kameng.refunddesk.complaint.ComplaintSource.Reply;
import cn.kameng.refunddesk.complaint.ComplaintSource.Sent;
import cn.kameng.refunddesk.dispute.Backoff;
import cn.kameng.refunddesk.dispute.DisputeRepository;
import cn.kameng.refunddesk.dispute.Journal;
import cn.kameng.refunddesk.dispute.Journal.Notify;
import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.evidence.Evidence;
import cn.kameng.refunddesk.evidence.EvidenceService;

/**
 * Sends the outbox's answers to their channels, per complaint in the order they were written, each claimed
 * with a conditional update first so two nodes never send one at once. A channel that does not answer (or a
 * source not configured now) is tried again after the notification outbox's doubling pause
 * ({@code dispute.notifications.retry-after}, at most {@code max-retry-after}), never given up; a crash between
 * the send and its mark sends it again with the same key, which the adapter makes harmless
 * ({@link ComplaintSource#send}). A channel's refusal is kept and told to the supervisors.
 *
 * <p>An answer's images are the evidence written with it ({@code channel_answer_image}, ADR 0071), read from the
 * evidence store at each send, so a retry after a restart sends the same ones. The source's limits apply in their
 * order: at most {@link ComplaintSource#maxAnswerImages} of them, of {@link ComplaintSource#answerImageTypes} and
 * up to {@link ComplaintSource#maxAnswerImageBytes}; one that does not fit (or whose file is missing or changed) is
 * left out and named in the answer's detail, never holding the answer back.
 */
@Component
public class ChannelAnswerRelay {

    private static final Logger log = LoggerFactory.getLogger(ChannelAnswerRelay.class);
    private static final int BATCH = 100;
    private static final int MAX_ROUNDS = 20;

    private final ChannelComplaintRecords records;
    private final ChannelSources sources;
    private final DisputeRepository disputes;
    private final Journal journal;
    private final Backoff backoff;
    private final Duration claimFor;
    private final EvidenceService evidence;

    ChannelAnswerRelay(ChannelComplaintRecords records, ChannelSources sources, DisputeRepository disputes,
            Journal journal, ChannelProperties properties, EvidenceService evidence,
            @Value("${dispute.notifications.retry-after:PT30S}") Duration retryAfter,
            @Value("${dispute.notifications.max-retry-after:PT1H}") Duration maxRetryAfter) {
        this.records = records;
        this.sources = sources;
        this.disputes = disputes;
        this.journal = journal;
        this.backoff = new Backoff(retryAfter, maxRetryAfter);
        this.claimFor = properties.answerClaimFor();
        this.evidence = evidence;
    }

    @Scheduled(fixedDelayString = "${dispute.channels.answer-relay-interval:PT30S}",
            initialDelayString = "${dispute.channels.answer-relay-interval:PT30S}")
    public void relay() {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            if (relayRound() == 0) {
                return;
            }
        }
    }

    /** One round: every answer due now that heads its complaint's queue; returns how many were settled. */
    int relayRound() {
        int settled = 0;
        List<Answer> due = records.dueAnswers(ServiceClock.now(), BATCH);
        for (Answer a : due) {
            Instant now = ServiceClock.now();
            if (!records.claimAnswer(a.answerKey(), now, now.plus(claimFor))) {
                continue; // another node has it
            }
            Taken t = records.find(a.channelComplaintId()).orElseThrow();
            ComplaintSource source = sources.find(t.source()).orElse(null);
            if (source == null) {
                records.answerFailed(a.answerKey(), "no complaint source '" + t.source() + "' is configured (configured: "
                        + sources.ids() + ")", now.plus(backoff.pauseAfter(a.attempts() + 1)));
                continue;
            }
            if (!source.accepts().contains(a.kind())) {
                records.answerDone(a.answerKey(), AnswerStatus.NOT_TAKEN, source.source() + " takes no " + a.kind(), now);
                settled++;
                continue;
            }
            Sent sent;
            Attached attached;
            try {
                attached = images(a, t, source);
                sent = source.send(answer(a, t, attached.images()));
            } catch (RuntimeException e) { // ChannelUnavailableException, or a fault of the adapter: tried again
                Duration pause = backoff.pauseAfter(a.attempts() + 1);
                records.answerFailed(a.answerKey(), e.getMessage(), ServiceClock.now().plus(pause));
                log.warn("Answer {} ({}) to {} complaint {} not sent (attempt {}), next try in {}: {}", a.answerKey(),
                        a.kind(), t.source(), t.externalId(), a.attempts() + 1, pause, e.getMessage());
                continue;
            }
            settled++;
            String detail = attached.detail(sent.detail());
            switch (sent.delivery()) {
                case ACCEPTED, ALREADY_DONE -> {
                    records.answerDone(a.answerKey(), AnswerStatus.SENT, detail, ServiceClock.now());
                    tell(t, "CHANNEL_ANSWER_SENT", "已向" + t.channel().label() + "提交" + a.kind().label() + "（投诉 "
                            + t.externalId() + "）。", Notify.NOBODY);
                }
                case REFUSED -> {
                    records.answerDone(a.answerKey(), AnswerStatus.REFUSED, detail, ServiceClock.now());
                    tell(t, "CHANNEL_ANSWER_REFUSED", t.channel().label() + "拒绝了" + a.kind().label() + "（投诉 "
                            + t.externalId() + "）：" + sent.detail(), Notify.SUPERVISOR);
                }
            }
        }
        return settled;
    }

    private static ChannelAnswer answer(Answer a, Taken t, List<AnswerImage> images) {
        return switch (a.kind()) {
            case REPLY -> new Reply(a.answerKey(), t.externalId(), a.text(), images);
            case COMPLETE -> new Complete(a.answerKey(), t.externalId(), a.resolution(), a.text(), images);
            case REFUND_APPROVED -> new RefundApproved(a.answerKey(), t.externalId(), a.refundDay(), a.text());
            case REFUND_REJECTED -> new RefundRejected(a.answerKey(), t.externalId(), a.text(), images, null);
        };
    }

    /** The images that go with one send, and those left out with why. */
    record Attached(List<AnswerImage> images, List<String> leftOut) {
        String detail(String channelDetail) {
            if (leftOut.isEmpty()) {
                return channelDetail;
            }
            String left = "images left out: " + String.join("; ", leftOut);
            return channelDetail == null ? left : channelDetail + "; " + left;
        }
    }

    /** The answer's images as written with it, in order, within the source's limits (read from the store now). */
    private Attached images(Answer a, Taken t, ComplaintSource source) {
        List<String> ids = records.answerImages(a.answerKey());
        if (ids.isEmpty()) {
            return new Attached(List.of(), List.of());
        }
        int max = a.kind() == ComplaintSource.AnswerKind.REFUND_APPROVED ? 0 : source.maxAnswerImages(a.kind());
        List<AnswerImage> images = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        for (String id : ids) {
            if (images.size() >= max) {
                leftOut.add(id + " (" + source.source() + (max == 0 ? " takes no images with a " + a.kind()
                        : " takes at most " + max + " with a " + a.kind()) + ")");
                continue;
            }
            Optional<EvidenceService.Download> file = t.disputeId() == null ? Optional.empty()
                    : evidence.readForSending(t.disputeId(), id);
            if (file.isEmpty()) {
                leftOut.add(id + " (its file is missing or no longer matches its fingerprint)");
                continue;
            }
            Evidence e = file.get().evidence();
            byte[] bytes = file.get().content();
            if (!source.answerImageTypes().contains(e.contentType())) {
                leftOut.add(id + " (" + e.contentType() + ": " + source.source() + " takes " + source.answerImageTypes()
                        .stream().sorted().toList() + ")");
            } else if (bytes.length > source.maxAnswerImageBytes()) {
                leftOut.add(id + " (" + bytes.length + " bytes: " + source.source() + " takes at most "
                        + source.maxAnswerImageBytes() + ")");
            } else {
                images.add(new AnswerImage(id, e.fileName(), e.contentType(), bytes));
            }
        }
        if (!leftOut.isEmpty()) {
            log.info("Answer {} ({}) to {} complaint {}: images left out: {}", a.answerKey(), a.kind(), t.source(),
                    t.externalId(), leftOut);
        }
        return new Attached(images, leftOut);
    }

    private void tell(Taken t, String event, String message, Notify notify) {
        if (t.disputeId() != null) {
            journal.record(disputes.get(t.disputeId()), Journal.SYSTEM, event, message, notify);
        }
    }
}
