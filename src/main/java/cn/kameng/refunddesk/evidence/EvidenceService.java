package cn.kameng.refunddesk.evidence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

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
        EvidenceStore.Stored stored;
        try {
            stored = store.store(file.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Evidence evidence = new Evidence("EVD-" + UUID.randomUUID(), disputeId, d.partyOf(caller.userId()),
                caller.userId(), kind, sanitise(file.getOriginalFilename()),
                file.getContentType() == null ? "application/octet-stream" : file.getContentType(), stored.size(),
                stored.sha256(), Deadlines.now());
        records.insert(evidence);
        journal.record(d, caller.userId(), "EVIDENCE_ADDED", ("CUSTOMER".equals(evidence.party()) ? "买家" : "商家")
                + "上传了证据（" + kind + "）：" + evidence.fileName(), Journal.Notify.NOBODY);
        return evidence;
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
