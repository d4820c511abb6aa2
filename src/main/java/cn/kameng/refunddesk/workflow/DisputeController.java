package cn.kameng.refunddesk.workflow;

import java.net.URI;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import cn.kameng.refunddesk.dispute.Caller;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.DomainException.NotYours;
import cn.kameng.refunddesk.dispute.DomainException.WrongState;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.evidence.EvidenceService;
import cn.kameng.refunddesk.security.CurrentCaller;

/** The customers' and merchants' API: open a dispute and take each step of it. */
@RestController
@Validated
@RequestMapping(path = "/api/v1/disputes", produces = MediaType.APPLICATION_JSON_VALUE)
class DisputeController {

    record OpenBody(@NotBlank @Size(max = 40) String orderId, @NotNull Reason reason,
            @NotBlank @Size(max = 4000) String description, @Positive Long claimedAmountFen) {
    }

    record MerchantResponseBody(@NotNull DisputeService.MerchantDecision decision, @Positive Long refundAmountFen,
            @Size(max = 2000) String message, @Size(max = 200) String replacementCardKey) {
    }

    record OfferResponseBody(@NotNull Boolean accept) {
    }

    record ReplacementBody(@NotNull Boolean works) {
    }

    record StatementBody(@NotBlank @Size(max = 2000) String statement) {
    }

    record FormalRequestBody(@NotBlank @Size(max = 2000) String statement, @Size(max = 200) String reportedCardKey) {
    }

    record NoteBody(@NotBlank @Size(max = 2000) String note) {
    }

    record OptionalNoteBody(@Size(max = 2000) String note) {
    }

    record ArrivalBody(@NotNull Boolean arrived, @Min(0) Long receivedAmountFen) {
    }

    private final DisputeService disputes;
    private final EvidenceService evidence;
    private final DisputeViews views;
    private final CurrentCaller caller;

    DisputeController(DisputeService disputes, EvidenceService evidence, DisputeViews views, CurrentCaller caller) {
        this.disputes = disputes;
        this.evidence = evidence;
        this.views = views;
        this.caller = caller;
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "A customer opens a dispute on one of their orders",
            description = "The same Idempotency-Key (1-100 printable ASCII characters) with the same body answers the "
                    + "dispute it opened; with another body it is 422.")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<DisputeView> open(@Valid @RequestBody OpenBody body,
            @RequestHeader(name = "Idempotency-Key", required = false) @Size(max = 100) String idempotencyKey) {
        var who = caller.get();
        if (!who.in(cn.kameng.refunddesk.dispute.Caller.CUSTOMERS)) {
            throw new NotYours("only customers open disputes");
        }
        if (idempotencyKey != null && !idempotencyKey.matches("[\\x21-\\x7E]{1,100}")) {
            throw BadInput.field("idempotencyKey", "the Idempotency-Key header must be 1 to 100 printable ASCII "
                    + "characters (a UUID will do)");
        }
        var request = new DisputeService.OpenRequest(body.orderId(), body.reason(), body.description(),
                body.claimedAmountFen());
        DisputeService.Opened opened = openOnce(who, request, idempotencyKey);
        return ResponseEntity.created(URI.create("/api/v1/disputes/" + opened.dispute().id()))
                .body(views.of(opened.dispute()));
    }

    /**
     * The same request sent again at once under the same key (a client's retry racing its first try) is the
     * same dispute: the copy that lost the race to insert waits for the winner's commit and answers with it.
     */
    private DisputeService.Opened openOnce(cn.kameng.refunddesk.dispute.Caller who, DisputeService.OpenRequest request,
            String idempotencyKey) {
        try {
            return disputes.open(who, request, idempotencyKey);
        } catch (WrongState | org.springframework.dao.DataIntegrityViolationException
                | org.springframework.dao.TransientDataAccessException lost) {
            if (idempotencyKey == null) {
                throw lost;
            }
            for (int i = 0; i < 100; i++) {
                var twin = disputes.opened(who, request, idempotencyKey);
                if (twin.isPresent()) {
                    return twin.get();
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            throw lost;
        }
    }

    @GetMapping("/{id}")
    DisputeView get(@PathVariable String id) {
        var who = caller.get();
        return views.of(disputes.get(who, id), who);
    }

    @GetMapping
    List<DisputeView.Summary> list(@RequestParam(required = false) DisputeStatus status,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        return disputes.list(caller.get(), status, page, size).stream().map(DisputeView.Summary::of).toList();
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "A party adds one evidence file",
            description = "The file's type is judged by its bytes, never its name or declared type (415); one file "
                    + "part per request.")
    @PostMapping(path = "/{id}/evidence", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<DisputeView.EvidenceView> addEvidence(@PathVariable String id, @RequestPart("file") List<MultipartFile> file,
            @RequestParam("kind") String kind) {
        var added = evidence.upload(caller.get(), id, kind, file); // a second file part is refused, not ignored
        return ResponseEntity.created(URI.create("/api/v1/disputes/" + id + "/evidence/" + added.id()))
                .body(DisputeView.EvidenceView.of(added));
    }

    /** Media types (as proved from the bytes at upload) a browser shows inline: photos only. */
    private static final java.util.Set<String> INLINE_PHOTOS = java.util.Set.of("image/png", "image/jpeg", "image/gif",
            "image/webp");

    @GetMapping(path = "/{id}/evidence/{evidenceId}", produces = MediaType.ALL_VALUE)
    ResponseEntity<byte[]> evidenceFile(@PathVariable String id, @PathVariable String evidenceId) {
        EvidenceService.Download file = evidence.open(caller.get(), id, evidenceId);
        // A photo whose bytes Tika proved opens in the browser, in a sandbox (no script, no same origin); every
        // other file, whatever it claims to be, is downloaded as bytes.
        boolean photo = INLINE_PHOTOS.contains(file.evidence().contentType());
        var disposition = photo ? org.springframework.http.ContentDisposition.inline()
                : org.springframework.http.ContentDisposition.attachment();
        return ResponseEntity.ok()
                .contentType(photo ? MediaType.parseMediaType(file.evidence().contentType()) : MediaType.APPLICATION_OCTET_STREAM)
                .header("Content-Disposition", disposition
                        .filename(file.evidence().fileName(), java.nio.charset.StandardCharsets.UTF_8).build().toString())
                .header("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'")
                .header("X-Content-Type-Options", "nosniff")
                .header("Digest", "sha-256=" + java.util.Base64.getEncoder().encodeToString(
                        java.util.HexFormat.of().parseHex(file.evidence().sha256())))
                .body(file.content());
    }

    @PostMapping(path = "/{id}/merchant-response", consumes = MediaType.APPLICATION_JSON_VALUE)
    DisputeView merchantResponse(@PathVariable String id, @Valid @RequestBody MerchantResponseBody body) {
        return views.of(disputes.merchantResponse(caller.get(), id, new DisputeService.MerchantAnswer(body.decision(),
                body.refundAmountFen(), body.message(), body.replacementCardKey())));
    }

    @PostMapping(path = "/{id}/offer-response", consumes = MediaType.APPLICATION_JSON_VALUE)
    DisputeView offerResponse(@PathVariable String id, @Valid @RequestBody OfferResponseBody body) {
        return views.of(disputes.offerResponse(caller.get(), id, body.accept()));
    }

    @PostMapping(path = "/{id}/replacement-confirmation", consumes = MediaType.APPLICATION_JSON_VALUE)
    DisputeView replacementConfirmation(@PathVariable String id, @Valid @RequestBody ReplacementBody body) {
        return views.of(disputes.replacementConfirmation(caller.get(), id, body.works()));
    }

    @PostMapping(path = "/{id}/formal-request", consumes = MediaType.APPLICATION_JSON_VALUE)
    DisputeView formalRequest(@PathVariable String id, @Valid @RequestBody FormalRequestBody body) {
        return views.of(disputes.formalRequest(caller.get(), id, body.statement(), body.reportedCardKey()));
    }

    @PostMapping(path = "/{id}/merchant-proof", consumes = MediaType.APPLICATION_JSON_VALUE)
    DisputeView merchantProof(@PathVariable String id, @Valid @RequestBody StatementBody body) {
        return views.of(disputes.merchantProof(caller.get(), id, body.statement()));
    }

    @PostMapping(path = "/{id}/additional-evidence", consumes = MediaType.APPLICATION_JSON_VALUE)
    DisputeView additionalEvidence(@PathVariable String id, @Valid @RequestBody StatementBody body) {
        return views.of(disputes.additionalEvidence(caller.get(), id, body.statement()));
    }

    @PostMapping(path = "/{id}/escalation", consumes = MediaType.APPLICATION_JSON_VALUE)
    DisputeView escalation(@PathVariable String id, @Valid @RequestBody NoteBody body) {
        return views.of(disputes.escalation(caller.get(), id, body.note()));
    }

    @PostMapping(path = "/{id}/intervention", consumes = MediaType.APPLICATION_JSON_VALUE)
    DisputeView intervention(@PathVariable String id, @Valid @RequestBody StatementBody body) {
        return views.of(disputes.intervention(caller.get(), id, body.statement()));
    }

    @PostMapping(path = "/{id}/withdrawal", consumes = MediaType.APPLICATION_JSON_VALUE)
    DisputeView withdrawal(@PathVariable String id, @Valid @RequestBody OptionalNoteBody body) {
        return views.of(disputes.withdrawal(caller.get(), id, body.note()));
    }

    @PostMapping(path = "/{id}/arrival-confirmation", consumes = MediaType.APPLICATION_JSON_VALUE)
    DisputeView arrivalConfirmation(@PathVariable String id, @Valid @RequestBody ArrivalBody body) {
        return views.of(disputes.arrivalConfirmation(caller.get(), id, body.arrived(), body.receivedAmountFen()));
    }
}
