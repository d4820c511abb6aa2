package cn.kameng.refunddesk.evidence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.multipart.MultipartFile;

import cn.kameng.refunddesk.appeal.AppealStatus;
import cn.kameng.refunddesk.appeal.Appeals;
import cn.kameng.refunddesk.dispute.Caller;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeAccess;
import cn.kameng.refunddesk.dispute.DisputeRepository;
import cn.kameng.refunddesk.dispute.DisputeRules;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.DomainException.Gone;
import cn.kameng.refunddesk.dispute.DomainException.NotFound;
import cn.kameng.refunddesk.dispute.DomainException.NotYours;
import cn.kameng.refunddesk.dispute.DomainException.TooLarge;
import cn.kameng.refunddesk.dispute.DomainException.WrongState;
import cn.kameng.refunddesk.dispute.Journal;
import cn.kameng.refunddesk.dispute.Party;
import cn.kameng.refunddesk.dispute.ServiceClock;

/**
 * Uploads and reads of evidence. An upload is checked in this order, and nothing is written unless
 * every check passes: the kind, a non-empty file, a dispute the caller may see (404), a party of it
 * (403), a dispute still taking evidence (409), the per-dispute count (409), the size (413), a
 * Content-Type that is a media type (400), and what the bytes are (415, {@link FileInspector}).
 */
@Service
public class EvidenceService {

    private static final Logger log = LoggerFactory.getLogger(EvidenceService.class);

    /** Evidence is taken until the refund starts or the dispute closes. */
    private static final Set<DisputeStatus> TAKES_EVIDENCE = EnumSet.of(DisputeStatus.AWAITING_MERCHANT,
            DisputeStatus.AWAITING_OFFER_RESPONSE, DisputeStatus.AWAITING_REPLACEMENT_CONFIRMATION,
            DisputeStatus.MERCHANT_REFUSED, DisputeStatus.UNDER_REVIEW, DisputeStatus.REVIEW_REJECTED,
            DisputeStatus.IN_ARBITRATION);

    private final DisputeAccess access;
    private final DisputeRepository disputes;
    private final EvidenceRecords records;
    private final EvidenceStore store;
    private final FileInspector inspector;
    private final Journal journal;
    private final TransactionTemplate separately;
    private final int maxPerDispute;
    private final long maxFileBytes;

    private final Appeals appeals;

    EvidenceService(DisputeAccess access, DisputeRepository disputes, EvidenceRecords records, EvidenceStore store,
            FileInspector inspector, Journal journal, PlatformTransactionManager transactions, DisputeRules rules,
            EvidenceProperties properties, Appeals appeals) {
        this.appeals = appeals;
        this.access = access;
        this.disputes = disputes;
        this.records = records;
        this.store = store;
        this.inspector = inspector;
        this.journal = journal;
        this.separately = new TransactionTemplate(transactions);
        this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.maxPerDispute = rules.maxEvidencePerDispute();
        this.maxFileBytes = properties.maxFileSize().toBytes();
    }

    /** The most characters an uploaded file's name may have (as most file systems allow). */
    static final int MAX_FILE_NAME = 255;

    /** An upload whose {@code file} parts are {@code files}: exactly one must be sent. */
    @Transactional
    public Evidence upload(Caller caller, String disputeId, String kindText, List<MultipartFile> files) {
        if (files != null && files.size() > 1) {
            throw BadInput.field("file", "was sent " + files.size() + " times; send one file per upload");
        }
        return upload(caller, disputeId, kindText, files == null || files.isEmpty() ? null : files.get(0));
    }

    @Transactional
    public Evidence upload(Caller caller, String disputeId, String kindText, MultipartFile file) {
        EvidenceKind kind = parseKind(kindText);
        if (file == null || file.isEmpty()) {
            throw BadInput.field("file", "is missing or empty");
        }
        String name = file.getOriginalFilename();
        if (name != null && name.codePointCount(0, name.length()) > MAX_FILE_NAME) {
            throw BadInput.field("file", "has a file name of " + name.codePointCount(0, name.length())
                    + " characters; a file name may have at most " + MAX_FILE_NAME);
        }
        Dispute d = access.lockVisible(caller, disputeId);
        if (!d.isParty(caller.userId())) {
            throw new NotYours("only the customer or the merchant of dispute " + disputeId + " may add evidence");
        }
        // an appeal's new evidence: the appellant brings it while the appeal waits for its arbiter
        boolean appealing = appeals.of(disputeId).filter(a -> a.status() == AppealStatus.FILED
                && a.appellant().equals(caller.userId())).isPresent();
        if (!TAKES_EVIDENCE.contains(d.status()) && !appealing) {
            throw new WrongState("dispute " + disputeId + " is " + d.status() + " and no longer takes evidence");
        }
        if (records.countByParties(disputeId) >= maxPerDispute) {
            throw new WrongState("dispute " + disputeId + " already has " + maxPerDispute
                    + " pieces of evidence, the most one dispute may hold");
        }
        if (file.getSize() > maxFileBytes) {
            throw new TooLarge("the file has " + file.getSize()
                    + " bytes; an evidence file may have at most " + maxFileBytes);
        }
        mediaTypeOf(file.getContentType()); // a malformed header is a 400; the type itself is decided by the bytes
        byte[] content;
        try {
            content = file.getBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FileInspector.Inspection inspection = inspector.inspect(content);
        String sha256 = EvidenceStore.sha256(content);
        store.put(sha256, content);
        Evidence evidence = new Evidence("EVD-" + UUID.randomUUID(), disputeId, d.partyOf(caller.userId()),
                caller.userId(), kind, sanitise(file.getOriginalFilename()), inspection.mediaType(), content.length,
                sha256, ServiceClock.now(), inspection.capturedAt(), null);
        records.insert(evidence);
        journal.record(d, caller.userId(), "EVIDENCE_ADDED", evidence.partyLabel() + "上传了证据（" + kind.label() + "）："
                + evidence.fileName(), Journal.Notify.NOBODY);
        return evidence;
    }

    /** Attaches a record the platform itself holds (e.g. the chat log) as evidence of party PLATFORM. */
    Evidence attachPlatformRecord(Dispute d, EvidenceKind kind, String fileName, String mediaType, byte[] content) {
        String sha256 = EvidenceStore.sha256(content);
        store.put(sha256, content);
        Evidence evidence = new Evidence("EVD-" + UUID.randomUUID(), d.id(), Party.PLATFORM, Journal.SYSTEM, kind,
                sanitise(fileName), mediaType, content.length, sha256, ServiceClock.now(), null, null);
        records.insert(evidence);
        journal.record(d, "system", "EVIDENCE_ADDED", "平台附上了证据（" + kind.label() + "）：" + evidence.fileName(),
                Journal.Notify.NOBODY);
        return evidence;
    }

    /**
     * A file a complaint channel holds about the dispute (the buyer's images of a WeChat Pay or Alipay complaint),
     * attached as evidence of party PLATFORM: judged by its bytes, hashed and stored like every upload. Not bound
     * to the dispute's status (a channel's file is taken whenever it arrives) nor counted against the parties' limit.
     */
    @Transactional
    public Evidence attachChannelFile(String disputeId, EvidenceKind kind, String fileName, byte[] content) {
        if (content.length > maxFileBytes) {
            throw new TooLarge("the channel's file has " + content.length
                    + " bytes; an evidence file may have at most " + maxFileBytes);
        }
        FileInspector.Inspection inspection = inspector.inspect(content);
        Dispute d = disputes.get(disputeId);
        String sha256 = EvidenceStore.sha256(content);
        store.put(sha256, content);
        Evidence evidence = new Evidence("EVD-" + UUID.randomUUID(), d.id(), Party.PLATFORM, Journal.SYSTEM, kind,
                sanitise(fileName), inspection.mediaType(), content.length, sha256, ServiceClock.now(),
                inspection.capturedAt(), null);
        records.insert(evidence);
        journal.record(d, Journal.SYSTEM, "EVIDENCE_ADDED", "平台附上了投诉渠道的证据（" + kind.label() + "）："
                + evidence.fileName(), Journal.Notify.NOBODY);
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
                throw BadInput.field("file", "has the Content-Type '" + declared + "', which names no file type");
            }
            return base.toLowerCase(Locale.ROOT);
        } catch (InvalidMediaTypeException e) {
            throw BadInput.field("file", "has the Content-Type '" + declared + "', which is not a media type");
        }
    }

    /** A file and what it is, for the parties of the dispute and staff. */
    public record Download(Evidence evidence, byte[] content) {
    }

    /**
     * Reads an evidence file for someone who may see the dispute. A file whose bytes no longer match
     * the SHA-256 recorded at upload is reported (log, the row marked, a timeline entry for the
     * supervisors) and not served.
     */
    @Transactional(readOnly = true)
    public Download open(Caller caller, String disputeId, String evidenceId) {
        access.findVisible(caller, disputeId);
        Evidence evidence = records.find(disputeId, evidenceId)
                .orElseThrow(() -> new NotFound("dispute " + disputeId + " has no evidence " + evidenceId));
        Read read = read(evidence);
        if (read instanceof Read.Intact intact) {
            return new Download(evidence, intact.content());
        }
        if (read instanceof Read.Missing) {
            throw new Gone("the file of evidence " + evidenceId
                    + " is missing from the evidence store; it has been reported");
        }
        throw new WrongState("the file of evidence " + evidenceId
                + " no longer matches the fingerprint recorded at upload and is not served; it has been reported");
    }

    /**
     * An evidence file read by the service itself, for sending it on (a channel answer's image, ADR 0071): no caller's
     * access applies. Empty when the dispute has no such evidence, or its file is missing or no longer matches its
     * recorded SHA-256 (reported as {@link #open} reports it): such a file is never sent on.
     */
    public Optional<Download> readForSending(String disputeId, String evidenceId) {
        return records.find(disputeId, evidenceId)
                .flatMap(e -> read(e) instanceof Read.Intact intact ? Optional.of(new Download(e, intact.content()))
                        : Optional.empty());
    }

    /** What reading a stored file found. */
    sealed interface Read {
        record Intact(byte[] content) implements Read {
        }

        record Missing() implements Read {
        }

        record Tampered() implements Read {
        }
    }

    /** Reads the file and checks it against its recorded SHA-256; a missing or changed file is reported. */
    Read read(Evidence evidence) {
        Optional<byte[]> content = store.get(evidence.sha256());
        if (content.isPresent() && EvidenceStore.sha256(content.get()).equals(evidence.sha256())) {
            return new Read.Intact(content.get());
        }
        boolean missing = content.isEmpty();
        log.error("Evidence {} of dispute {} {} in {} (recorded SHA-256 {})", evidence.id(), evidence.disputeId(),
                missing ? "is missing" : "no longer matches its recorded SHA-256", store.describe(), evidence.sha256());
        separately.executeWithoutResult(tx -> {
            records.markTampered(evidence.id(), ServiceClock.now());
            if (evidence.tamperedAt() == null) {
                journal.record(disputes.get(evidence.disputeId()), "system", "EVIDENCE_TAMPERED", "证据文件"
                        + evidence.fileName() + "（" + evidence.id() + "）" + (missing ? "已丢失" : "与上传时的指纹不符")
                        + "，已停止提供并上报。", Journal.Notify.SUPERVISOR);
            }
        });
        return missing ? new Read.Missing() : new Read.Tampered();
    }

    private static EvidenceKind parseKind(String text) {
        if (text == null || text.isBlank()) {
            throw BadInput.field("kind", "is required, one of " + java.util.Arrays.toString(EvidenceKind.values()));
        }
        try {
            return EvidenceKind.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw BadInput.field("kind", "'" + text + "' is not one of "
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
