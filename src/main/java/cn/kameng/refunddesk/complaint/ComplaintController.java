package cn.kameng.refunddesk.complaint;

import java.net.URI;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import cn.kameng.refunddesk.dispute.Caller;
import cn.kameng.refunddesk.dispute.ComplaintChannel;
import cn.kameng.refunddesk.dispute.DomainException.NotFound;
import cn.kameng.refunddesk.dispute.DomainException.NotYours;
import cn.kameng.refunddesk.security.CurrentCaller;

/** Complaints arriving from outside, entered by the complaints group (or its integrations). */
@RestController
@RequestMapping(path = "/api/v1/external-complaints", produces = MediaType.APPLICATION_JSON_VALUE)
class ComplaintController {

    /**
     * {@code channelDueAt}: the channel's own deadline when it set one (12315's or 黑猫's date on its notice);
     * without it the answer is due after {@code dispute.sla.complaint} of the channel.
     */
    record ComplaintBody(@NotNull ComplaintChannel channel, @NotBlank @Size(max = 100) String externalId,
            @NotBlank @Size(max = 40) String orderId, @NotBlank @Size(max = 4000) String summary,
            java.time.Instant channelDueAt) {
    }

    /** A channel's file attached to the complaint's dispute as the platform's evidence. */
    record AttachedFile(String evidenceId, String disputeId, String fileName, String contentType, String sha256) {
    }

    record ComplaintAnswer(ComplaintView complaint, String disputeId) {
    }

    private final ComplaintService complaints;
    private final ComplaintRecords records;
    private final CurrentCaller caller;
    private final cn.kameng.refunddesk.evidence.EvidenceService evidence;

    ComplaintController(ComplaintService complaints, ComplaintRecords records, CurrentCaller caller,
            cn.kameng.refunddesk.evidence.EvidenceService evidence) {
        this.evidence = evidence;
        this.complaints = complaints;
        this.records = records;
        this.caller = caller;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ComplaintAnswer> receive(@Valid @RequestBody ComplaintBody body) {
        requireComplaintsGroup();
        if (body.channelDueAt() != null && !body.channelDueAt().isAfter(cn.kameng.refunddesk.dispute.ServiceClock.now())) {
            throw cn.kameng.refunddesk.dispute.DomainException.BadInput.field("channelDueAt",
                    "is " + body.channelDueAt() + ", which has passed; give the channel's deadline still ahead");
        }
        ComplaintService.Received received = receiveOnce(body);
        Complaint c = received.complaint();
        ComplaintAnswer answer = new ComplaintAnswer(ComplaintView.of(c), c.disputeId());
        URI location = URI.create("/api/v1/external-complaints/" + c.id());
        return received.created() ? ResponseEntity.created(location).body(answer)
                : ResponseEntity.status(HttpStatus.OK).location(location).body(answer);
    }

    /**
     * The same complaint delivered several times at once (channels retry) is one complaint: a copy that lost
     * the race to insert waits for the winner's commit and answers as a repeat does (200, the same complaint).
     */
    private ComplaintService.Received receiveOnce(ComplaintBody body) {
        RuntimeException lost = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                return complaints.receive(body.channel(), body.externalId(), body.orderId(), body.summary(),
                        cn.kameng.refunddesk.dispute.Reason.OTHER, body.channelDueAt() == null ? null
                                : new ComplaintService.ChannelDue(body.channelDueAt(),
                                        cn.kameng.refunddesk.calendar.Deadlines.CountedOn.CALENDAR_TIME));
            } catch (org.springframework.dao.DataIntegrityViolationException
                    | org.springframework.dao.TransientDataAccessException e) {
                lost = e;
            } catch (cn.kameng.refunddesk.dispute.DomainException.WrongState e) {
                if (!e.getMessage().contains("right now")) {
                    throw e;
                }
                lost = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new cn.kameng.refunddesk.dispute.DomainException.WrongState(body.channel() + " complaint "
                + body.externalId() + " is being received by another request right now; retry (" + lost.getMessage() + ")");
    }

    @GetMapping("/{id}")
    ComplaintAnswer get(@PathVariable String id) {
        requireComplaintsGroup();
        Complaint c = records.find(id).orElseThrow(() -> new NotFound("there is no external complaint " + id));
        return new ComplaintAnswer(ComplaintView.of(c), c.disputeId());
    }

    /**
     * The channel's files (12315's or 黑猫's notice, the buyer's screenshots it forwarded), attached to the
     * complaint's dispute as the platform's evidence: judged by their bytes and hashed like every upload.
     */
    @PostMapping(path = "/{id}/files", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<AttachedFile> attach(@PathVariable String id,
            @org.springframework.web.bind.annotation.RequestPart(name = "file", required = false)
            org.springframework.web.multipart.MultipartFile file) throws java.io.IOException {
        requireComplaintsGroup();
        Complaint c = records.find(id).orElseThrow(() -> new NotFound("there is no external complaint " + id));
        if (file == null || file.isEmpty()) {
            throw cn.kameng.refunddesk.dispute.DomainException.BadInput.field("file", "is missing or empty");
        }
        var e = evidence.attachChannelFile(c.disputeId(), cn.kameng.refunddesk.evidence.EvidenceKind.OTHER,
                file.getOriginalFilename() == null ? c.channel().name() + "-" + c.externalId() : file.getOriginalFilename(),
                file.getBytes());
        return ResponseEntity.created(URI.create("/api/v1/disputes/" + c.disputeId() + "/evidence/" + e.id()))
                .body(new AttachedFile(e.id(), c.disputeId(), e.fileName(), e.contentType(), e.sha256()));
    }

    private void requireComplaintsGroup() {
        Caller who = caller.get();
        if (!who.in(Caller.COMPLAINTS) && !who.in(Caller.ADMINS)) {
            throw new NotYours("external complaints are entered by the complaints group");
        }
    }
}
