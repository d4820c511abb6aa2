package cn.kameng.refunddesk.complaint;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import cn.kameng.refunddesk.complaint.ChannelComplaintRecords.Taken;
import cn.kameng.refunddesk.complaint.ComplaintSource.ChannelComplaint;
import cn.kameng.refunddesk.complaint.ComplaintSource.Deadline;
import cn.kameng.refunddesk.complaint.ComplaintSource.ImageRef;
import cn.kameng.refunddesk.complaint.ComplaintSource.Listed;
import cn.kameng.refunddesk.dispute.DisputeRepository;
import cn.kameng.refunddesk.dispute.DomainException;
import cn.kameng.refunddesk.dispute.Journal;
import cn.kameng.refunddesk.dispute.Journal.Notify;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.evidence.EvidenceKind;
import cn.kameng.refunddesk.evidence.EvidenceService;
import cn.kameng.refunddesk.order.OrderDirectory;
import cn.kameng.refunddesk.process.DecisionTables;
import cn.kameng.refunddesk.process.ProcessIds;

/**
 * Takes a channel's complaint in, by push or by poll: read once from the channel, recorded once per source and
 * external id, tied to the order's dispute (or opening one) through {@link ComplaintService#receive}, its reason
 * from processes/channel-complaint-reason.dmn, its deadline the channel's, its images downloaded into the
 * evidence store as PLATFORM evidence. Taking it again (a second push, the poll) updates what changed only.
 */
@Service
public class ChannelComplaints {

    private static final Logger log = LoggerFactory.getLogger(ChannelComplaints.class);

    private final ChannelComplaintRecords records;
    private final ComplaintService complaints;
    private final DecisionTables tables;
    private final OrderDirectory orders;
    private final EvidenceService evidence;
    private final DisputeRepository disputes;
    private final Journal journal;
    private final TransactionTemplate tx;
    private final java.time.Duration imageClaimFor;

    ChannelComplaints(ChannelComplaintRecords records, ComplaintService complaints, DecisionTables tables,
            OrderDirectory orders, EvidenceService evidence, DisputeRepository disputes, Journal journal,
            PlatformTransactionManager transactions, ChannelProperties properties) {
        this.imageClaimFor = properties.imageClaimFor();
        this.records = records;
        this.complaints = complaints;
        this.tables = tables;
        this.orders = orders;
        this.evidence = evidence;
        this.disputes = disputes;
        this.journal = journal;
        this.tx = new TransactionTemplate(transactions);
    }

    /** A listed complaint: read and recorded when it is new or its status changed since; otherwise nothing. */
    public Optional<Taken> takeListed(ComplaintSource source, Listed listed) {
        Optional<Taken> known = records.find(source.source(), listed.externalId());
        if (known.isPresent() && known.get().complaintId() != null
                && Objects.equals(known.get().channelStatus(), listed.channelStatus())) {
            return Optional.empty();
        }
        return Optional.of(take(source, listed.externalId()));
    }

    /**
     * Reads the complaint from the channel and records it (or what changed on it).
     *
     * @throws ChannelUnavailableException the channel did not answer; nothing was recorded
     */
    public Taken take(ComplaintSource source, String externalId) {
        ChannelComplaint c = source.fetch(externalId);
        if (!externalId.equals(c.externalId())) {
            throw new IllegalStateException(source.source() + " answered complaint " + c.externalId() + " when asked for "
                    + externalId);
        }
        Taken taken = record(source, c);
        downloadImages(source, taken, c);
        return taken;
    }

    private Taken record(ComplaintSource source, ChannelComplaint c) {
        for (int attempt = 0; ; attempt++) {
            try {
                return tx.execute(status -> {
                    Instant now = ServiceClock.now();
                    Optional<Taken> known = records.find(source.source(), c.externalId());
                    String id;
                    if (known.isPresent()) {
                        id = known.get().id();
                        records.update(id, c, now);
                        if (!Objects.equals(known.get().channelStatus(), c.channelStatus())
                                && known.get().disputeId() != null) {
                            journal.record(disputes.get(known.get().disputeId()), Journal.SYSTEM, "CHANNEL_COMPLAINT_CHANGED",
                                    source.channel().label() + "投诉（" + c.externalId() + "）状态变为 " + c.channelStatus()
                                            + "。", Notify.NOBODY);
                        }
                    } else {
                        id = "CHC-" + UUID.randomUUID();
                        records.insert(id, source.source(), source.channel(), c, reason(source, c), now);
                    }
                    records.replaceHistory(id, c.history());
                    Taken row = records.find(id).orElseThrow();
                    if (row.complaintId() == null) {
                        tie(source, row, c);
                    }
                    return records.find(id).orElseThrow();
                });
            } catch (DuplicateKeyException e) {
                // the same complaint pushed and polled at once: the other request recorded it; update it
                if (attempt >= 2) {
                    throw e;
                }
            }
        }
    }

    /** Opens (or joins) the dispute of the complaint's order; a complaint naming no order of ours stays untied. */
    private void tie(ComplaintSource source, Taken row, ChannelComplaint c) {
        if (c.orderId() == null || orders.find(c.orderId()).isEmpty()) {
            log.warn("{} complaint {} names order {}, which the order directory does not know; recorded, not tied to a"
                    + " dispute", source.source(), c.externalId(), c.orderId());
            return;
        }
        String summary = ChannelComplaintRecords.cut("【" + source.channel().label() + (c.problemType() == null ? ""
                : " · " + c.problemType()) + "】" + (c.buyerWords() == null ? "" : c.buyerWords()), 4000);
        var received = complaints.receive(source.channel(), c.externalId(), c.orderId(), summary, row.reason(),
                channelDue(c));
        records.tie(row.id(), received.complaint().id(), received.complaint().disputeId());
    }

    /** The channel's deadline that comes first and is still ahead (else the last one), or none. */
    static ComplaintService.ChannelDue channelDue(ChannelComplaint c) {
        if (c.deadlines() == null) {
            return null;
        }
        Instant now = ServiceClock.now();
        Deadline reply = c.deadlines().replyDue();
        Deadline complete = c.deadlines().completeDue();
        Deadline chosen = Stream.of(reply, complete).filter(d -> d != null && d.dueAt() != null && d.dueAt().isAfter(now))
                .findFirst().orElse(complete != null && complete.dueAt() != null ? complete
                        : reply != null && reply.dueAt() != null ? reply : null);
        return chosen == null ? null : new ComplaintService.ChannelDue(chosen.dueAt(), chosen.countedOn());
    }

    private Reason reason(ComplaintSource source, ChannelComplaint c) {
        Map<String, Object> input = new java.util.HashMap<>();
        input.put("channel", source.channel().name());
        input.put("source", source.source());
        input.put("problemType", c.problemType());
        Object reason = tables.single(ProcessIds.DECISION_CHANNEL_COMPLAINT_REASON, input)
                .map(row -> row.get("reason")).orElse(null);
        try {
            return reason == null ? Reason.OTHER : Reason.valueOf(reason.toString());
        } catch (IllegalArgumentException e) {
            log.warn("channel-complaint-reason.dmn answered '{}' for {} {}, which is no reason; OTHER taken", reason,
                    source.source(), c.problemType());
            return Reason.OTHER;
        }
    }

    /**
     * Each image not yet taken: claimed, downloaded, judged and stored as PLATFORM evidence of the dispute, once
     * per key (ADR 0073). The claim comes first, so a push and a poll taking the complaint at the same instant
     * download it once; the evidence and the filled-in claim are written in one transaction, so there is no
     * evidence without its row. A download that fails lets the claim go: the next take tries again. Bytes this
     * complaint already gave the dispute (the same picture under another key) are pointed at, not stored again.
     */
    private void downloadImages(ComplaintSource source, Taken taken, ChannelComplaint c) {
        if (taken.disputeId() == null) {
            return;
        }
        Map<String, ImageRef> byKey = new java.util.LinkedHashMap<>();
        Stream.concat(c.images().stream(), c.history().stream().flatMap(h -> h.images().stream()))
                .forEach(image -> byKey.putIfAbsent(image.key(), image));
        byKey.forEach((key, image) -> {
            Instant now = ServiceClock.now();
            if (records.hasImage(taken.id(), key)
                    || !records.claimImage(taken.id(), key, image.reference(), now, now.plus(imageClaimFor))) {
                return; // taken before, or another request is taking it now
            }
            ComplaintSource.Image bytes;
            try {
                bytes = source.download(image);
            } catch (RuntimeException e) { // ChannelUnavailableException, or a fault of the adapter
                records.releaseImage(taken.id(), key);
                log.warn("{} image {} of complaint {} not downloaded now (taken again with the complaint): {}",
                        source.source(), key, c.externalId(), e.getMessage());
                return;
            }
            String name = image.fileName() != null ? image.fileName()
                    : bytes.fileName() != null ? bytes.fileName() : source.source() + "-" + c.externalId() + "-image";
            try {
                tx.executeWithoutResult(s -> {
                    Optional<String> same = records.imageEvidenceWithBytes(taken.id(),
                            cn.kameng.refunddesk.evidence.EvidenceStore.sha256(bytes.bytes()));
                    String evidenceId = same.orElseGet(() -> evidence.attachChannelFile(taken.disputeId(),
                            EvidenceKind.PROBLEM_SCREENSHOT, name, bytes.bytes()).id());
                    records.imageTaken(taken.id(), key, evidenceId, same.isPresent() ? "the same bytes as " + evidenceId
                            : null);
                });
            } catch (DomainException e) {
                // not an accepted file: recorded as seen, not stored
                records.imageTaken(taken.id(), key, null, e.getMessage());
                log.warn("{} image {} of complaint {} not taken as evidence: {}", source.source(), key, c.externalId(),
                        e.getMessage());
            } catch (RuntimeException e) {
                records.releaseImage(taken.id(), key);
                throw e;
            }
        });
    }
}
