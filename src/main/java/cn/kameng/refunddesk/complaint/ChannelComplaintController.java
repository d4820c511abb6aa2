package cn.kameng.refunddesk.complaint;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import cn.kameng.refunddesk.calendar.Deadlines.CountedOn;
import cn.kameng.refunddesk.complaint.ChannelComplaintRecords.AnswerStatus;
import cn.kameng.refunddesk.complaint.ChannelComplaintRecords.AnswerView;
import cn.kameng.refunddesk.complaint.ChannelComplaintRecords.HistoryLine;
import cn.kameng.refunddesk.complaint.ChannelComplaintRecords.Taken;
import cn.kameng.refunddesk.complaint.ComplaintSource.AnswerKind;
import cn.kameng.refunddesk.complaint.ComplaintSource.ChannelState;
import cn.kameng.refunddesk.complaint.ComplaintSource.Resolution;
import cn.kameng.refunddesk.dispute.Caller;
import cn.kameng.refunddesk.dispute.ComplaintChannel;
import cn.kameng.refunddesk.dispute.DisputeRepository;
import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.DomainException.NotFound;
import cn.kameng.refunddesk.dispute.DomainException.NotYours;
import cn.kameng.refunddesk.dispute.DomainException.WrongState;
import cn.kameng.refunddesk.dispute.Journal;
import cn.kameng.refunddesk.dispute.Journal.Notify;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.security.CurrentCaller;

/**
 * The channel complaints as taken in from the channels' APIs, for the complaints group and the supervisors: one
 * complaint with its images, negotiation and answers, the answers a channel refused, and the re-sending of such an
 * answer (its words corrected if need be) through the outbox. ADR 0073.
 */
@RestController
@Validated
@RequestMapping(path = "/api/v1/channel-complaints", produces = MediaType.APPLICATION_JSON_VALUE)
class ChannelComplaintController {

    /** A channel's deadline and how it counts it. */
    record DeadlineView(Instant dueAt, CountedOn countedOn) {
        static DeadlineView of(Instant dueAt, CountedOn countedOn) {
            return dueAt == null ? null : new DeadlineView(dueAt, countedOn);
        }
    }

    record Deadlines(DeadlineView replyDue, DeadlineView completeDue) {
    }

    /** A channel image: its stable key and the evidence it became (or why it did not; none yet while taken). */
    record ImageView(String key, String evidenceId, String evidenceLink, String note) {
    }

    record HistoryView(Instant at, ComplaintSource.Party by, String channelAction, String text, int imageCount) {
        static HistoryView of(HistoryLine h) {
            return new HistoryView(h.at(), h.by(), h.channelAction(), h.text(), h.imageCount());
        }
    }

    /**
     * One answer to the channel: what it says, the images it carries (evidence ids of the dispute, in order; ADR 0071),
     * where it stands in the outbox, the channel's last word.
     */
    record AnswerEntry(String answerKey, int sequence, AnswerKind kind, Resolution resolution, String text,
            List<String> imageEvidenceIds, LocalDate refundDay, AnswerStatus status, int attempts,
            Instant nextAttemptAt, String lastError, Instant createdAt, Instant sentAt, String resentBy,
            Instant resentAt, int resentCount) {
        static AnswerEntry of(AnswerView a, List<String> imageEvidenceIds) {
            return new AnswerEntry(a.answerKey(), a.sequence(), a.kind(), a.resolution(), a.text(),
                    List.copyOf(imageEvidenceIds), a.refundDay(), a.status(), a.attempts(),
                    a.status() == AnswerStatus.PENDING ? a.nextAttemptAt() : null, a.lastError(), a.createdAt(),
                    a.sentAt(), a.resentBy(), a.resentAt(), a.resentCount());
        }
    }

    private AnswerEntry entry(AnswerView a) {
        return AnswerEntry.of(a, records.answerImages(a.answerKey()));
    }

    record ChannelComplaintView(String id, String source, ComplaintChannel channel, String externalId,
            String orderId, String disputeId, String complaintId, String channelTradeId, String problemType,
            Reason reason, String buyerWords, Long amountFen, boolean refundRequested, ChannelState state,
            String channelStatus, Instant complainedAt, Instant receivedAt, Deadlines deadlines,
            List<HistoryView> history, List<ImageView> images, List<AnswerEntry> answers) {
    }

    /** An answer in the list of answers by status, with the complaint it answers. */
    record ListedAnswer(String channelComplaintId, String source, ComplaintChannel channel, String externalId,
            String disputeId, AnswerEntry answer) {
    }

    record AnswerList(AnswerStatus answerStatus, List<ListedAnswer> answers) {
    }

    /** {@code text}: new words for a reply, a completion or a rejection; left out, the answer is sent as it was. */
    record ResendBody(@Size(min = 1, max = 4000) String text) {
    }

    private final ChannelComplaintRecords records;
    private final CurrentCaller caller;
    private final DisputeRepository disputes;
    private final Journal journal;
    private final TransactionTemplate tx;

    ChannelComplaintController(ChannelComplaintRecords records, CurrentCaller caller, DisputeRepository disputes,
            Journal journal, PlatformTransactionManager transactions) {
        this.records = records;
        this.caller = caller;
        this.disputes = disputes;
        this.journal = journal;
        this.tx = new TransactionTemplate(transactions);
    }

    @GetMapping("/{id}")
    ChannelComplaintView get(@PathVariable String id) {
        requireComplaintsOrSupervisors();
        return view(complaint(id));
    }

    /** The answers in one status ({@code REFUSED}: what the channels refused and staff may re-send), newest first. */
    @GetMapping
    AnswerList answers(@RequestParam AnswerStatus answerStatus,
            @RequestParam(defaultValue = "100") @Min(1) @Max(500) int limit) {
        requireComplaintsOrSupervisors();
        List<ListedAnswer> answers = records.answersIn(answerStatus, limit).stream().map(a -> {
            Taken t = records.find(a.channelComplaintId()).orElseThrow();
            return new ListedAnswer(t.id(), t.source(), t.channel(), t.externalId(), t.disputeId(), entry(a));
        }).toList();
        return new AnswerList(answerStatus, answers);
    }

    /**
     * Sends a refused (or not taken) answer again: back in the outbox as PENDING, attempts reset, in its place in
     * the complaint's order, its words corrected when {@code text} is given; the timeline says who asked.
     */
    @PostMapping(path = "/{id}/answers/{answerKey}/resend")
    ResponseEntity<AnswerEntry> resend(@PathVariable String id, @PathVariable String answerKey,
            @Valid @RequestBody(required = false) ResendBody body) {
        Caller who = requireComplaintsOrSupervisors();
        Taken t = complaint(id);
        AnswerView before = records.answerView(id, answerKey).orElseThrow(() -> new NotFound("channel complaint " + id
                + " has no answer " + answerKey));
        String text = body == null ? null : body.text();
        if (text != null && text.isBlank()) {
            throw BadInput.field("text", "is blank: leave it out to send the answer as it was, or give the new words");
        }
        if (text != null && before.kind() == AnswerKind.REFUND_APPROVED) {
            throw BadInput.field("text", "cannot be given for an approved refund: it carries the refund day, not words"
                    + " to correct");
        }
        boolean resent = Boolean.TRUE.equals(tx.execute(status -> {
            if (!records.resend(id, answerKey, text, who.userId(), ServiceClock.now())) {
                return false;
            }
            if (t.disputeId() != null) {
                journal.record(disputes.get(t.disputeId()), who.userId(), "CHANNEL_ANSWER_RESENT",
                        who.userId() + " 重新提交了对" + t.channel().label() + "投诉（" + t.externalId() + "）的"
                                + before.kind().label() + (text != null ? "，并更正了内容" : "") + "（上次："
                                + (before.lastError() == null ? before.status().name() : ChannelComplaintRecords
                                        .cut(before.lastError(), 200)) + "）。", Notify.NOBODY);
            }
            return true;
        }));
        if (!resent) {
            AnswerView now = records.answerView(id, answerKey).orElseThrow();
            throw new WrongState("answer " + answerKey + " is " + now.status() + "; only an answer the channel refused"
                    + " (REFUSED) or the source did not take (NOT_TAKEN) can be re-sent");
        }
        return ResponseEntity.accepted().body(entry(records.answerView(id, answerKey).orElseThrow()));
    }

    private Taken complaint(String id) {
        return records.find(id).orElseThrow(() -> new NotFound("there is no channel complaint " + id));
    }

    private ChannelComplaintView view(Taken t) {
        List<ImageView> images = records.images(t.id()).stream().map(i -> new ImageView(i.key(), i.evidenceId(),
                i.evidenceId() == null || t.disputeId() == null ? null
                        : "/api/v1/disputes/" + t.disputeId() + "/evidence/" + i.evidenceId(), i.note())).toList();
        return new ChannelComplaintView(t.id(), t.source(), t.channel(), t.externalId(), t.orderId(), t.disputeId(),
                t.complaintId(), t.channelTradeId(), t.problemType(), t.reason(), t.buyerWords(), t.amountFen(),
                t.refundRequested(), t.state(), t.channelStatus(), t.complainedAt(), t.receivedAt(),
                new Deadlines(DeadlineView.of(t.replyDueAt(), t.replyCountedOn()),
                        DeadlineView.of(t.completeDueAt(), t.completeCountedOn())),
                records.history(t.id()).stream().map(HistoryView::of).toList(), images,
                records.answerViews(t.id()).stream().map(this::entry).toList());
    }

    /** The complaints group, the dispute supervisors and admins; anyone else is refused (403). */
    private Caller requireComplaintsOrSupervisors() {
        Caller who = caller.get();
        if (!who.in(Caller.COMPLAINTS) && !who.in(Journal.SUPERVISOR) && !who.in(Caller.ADMINS)) {
            throw new NotYours("channel complaints and their answers are for the complaints group and the dispute"
                    + " supervisors");
        }
        return who;
    }
}
