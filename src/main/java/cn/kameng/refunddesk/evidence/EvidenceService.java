package cn.kameng.refunddesk.evidence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.multipart.MultipartFile;

import cn.kameng.refunddesk.calendar.Deadlines;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeAccess;
import cn.kameng.refunddesk.dispute.DisputeRules;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.Journal;
import cn.kameng.refunddesk.security.Caller;
import cn.kameng.refunddesk.web.ApiProblem;

@Service
public class EvidenceService {

    /** Evidence is taken until the refund starts or the dispute closes. */
    private static final Set<DisputeStatus> TAKES_EVIDENCE = EnumSet.of(DisputeStatus.AWAITING_MERCHANT,
            DisputeStatus.AWAITING_OFFER_RESPONSE, DisputeStatus.AWAITING_REPLACEMENT_CONFIRMATION,
            DisputeStatus.MERCHANT_REFUSED, DisputeStatus.UNDER_REVIEW, DisputeStatus.REVIEW_REJECTED,
            DisputeStatus.IN_ARBITRATION);

    private final DisputeAccess access;
    private final EvidenceRecords records;
    private final EvidenceStore store;
    private final Journal journal;
    private final int maxPerDispute;

    EvidenceService(DisputeAccess access, EvidenceRecords records, EvidenceStore store, Journal journal,
            DisputeRules rules) {
        this.access = access;
        this.records = records;
        this.store = store;
        this.journal = journal;
        this.maxPerDispute = rules.maxEvidencePerDispute();
    }

    @Transactional
    public Evidence upload(Caller caller, String disputeId, String kindText, MultipartFile file) {
        EvidenceKind kind = parseKind(kindText);
        if (file == null || file.isEmpty()) {
            throw ApiProblem.badField("file", "is missing or empty");
        }
        Dispute d = access.lockVisible(caller, disputeId);
        if (!d.isParty(caller.userId())) {
            throw ApiProblem.forbidden("only the customer or the merchant of dispute " + disputeId + " may add evidence");
        }
        if (!TAKES_EVIDENCE.contains(d.status())) {
            throw ApiProblem.conflict("dispute " + disputeId + " is " + d.status() + " and no longer takes evidence");
        }
        if (records.count(disputeId) >= maxPerDispute) {
            throw ApiProblem.conflict("dispute " + disputeId + " already has " + maxPerDispute
                    + " pieces of evidence, the most one dispute may hold");
        }
        String contentType = mediaTypeOf(file.getContentType());
        EvidenceStore.Stored stored;
        try {
            stored = store.store(file.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Evidence evidence = new Evidence("EVD-" + UUID.randomUUID(), disputeId, d.partyOf(caller.userId()),
                caller.userId(), kind, sanitise(file.getOriginalFilename()), contentType, stored.size(),
                stored.sha256(), Deadlines.now());
        records.insert(evidence);
        journal.record(d, caller.userId(), "EVIDENCE_ADDED", ("CUSTOMER".equals(evidence.party()) ? "买家" : "商家")
                + "上传了证据（" + kind + "）：" + evidence.fileName(), Journal.Notify.NOBODY);
        return evidence;
    }

    /** The part's declared media type without its parameters (image/png; name=… is image/png). */
    static String mediaTypeOf(String declared) {
        if (declared == null || declared.isBlank()) {
            return "application/octet-stream";
        }
        try {
            MediaType type = MediaType.parseMediaType(declared);
            String base = type.getType() + "/" + type.getSubtype();
            if (type.isWildcardType() || type.isWildcardSubtype() || base.length() > 100) {
                throw ApiProblem.badField("file", "has the Content-Type '" + declared + "', which names no file type");
            }
            return base.toLowerCase(java.util.Locale.ROOT);
        } catch (InvalidMediaTypeException e) {
            throw ApiProblem.badField("file", "has the Content-Type '" + declared + "', which is not a media type");
        }
    }

    /** A file and what it is, for the parties of the dispute and staff. */
    public record Download(Evidence evidence, byte[] content) {
    }

    /**
     * Reads an evidence file for someone who may see the dispute. A file whose bytes no longer match
     * the SHA-256 recorded at upload is reported and not served.
     */
    @Transactional(readOnly = true)
    public Download open(Caller caller, String disputeId, String evidenceId) {
        access.findVisible(caller, disputeId);
        Evidence evidence = records.find(disputeId, evidenceId)
                .orElseThrow(() -> ApiProblem.notFound("dispute " + disputeId + " has no evidence " + evidenceId));
        byte[] content = store.read(evidence.sha256());
        if (content == null) {
            throw new ApiProblem(org.springframework.http.HttpStatus.GONE, "the file of evidence " + evidenceId
                    + " is missing from the evidence store");
        }
        if (!EvidenceStore.sha256(content).equals(evidence.sha256())) {
            org.slf4j.LoggerFactory.getLogger(EvidenceService.class).error(
                    "Evidence {} of dispute {} no longer matches its recorded SHA-256 {}", evidenceId, disputeId,
                    evidence.sha256());
            throw new ApiProblem(org.springframework.http.HttpStatus.CONFLICT, "the file of evidence " + evidenceId
                    + " no longer matches the fingerprint recorded at upload and is not served; it has been reported");
        }
        return new Download(evidence, content);
    }

    private static EvidenceKind parseKind(String text) {
        if (text == null || text.isBlank()) {
            throw ApiProblem.badField("kind", "is required, one of " + java.util.Arrays.toString(EvidenceKind.values()));
        }
        try {
            return EvidenceKind.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badField("kind", "'" + text + "' is not one of "
                    + java.util.Arrays.toString(EvidenceKind.values()));
        }
    }

    /** Keeps only the last path segment and characters that are safe in any file system. */
    static String sanitise(String name) {
        if (name == null || name.isBlank()) {
            return "evidence";
        }
        String base = name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        String cleaned = base.replaceAll("[^\\p{L}\\p{N}._-]", "_").replaceAll("^\\.+", "");
        if (cleaned.isBlank()) {
            return "evidence";
        }
        return cleaned.length() > 120 ? cleaned.substring(cleaned.length() - 120) : cleaned;
    }
}
