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
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import cn.kameng.refunddesk.complaint.ChannelComplaintRecords.Taken;
import cn.kameng.refunddesk.complaint.ComplaintSource.ChannelComplaint;
import cn.kameng.refunddesk.complaint.ComplaintSource.ChannelState;
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
import cn.kameng.refunddesk.dispute.AfterCommit;
import cn.kameng.refunddesk.process.DecisionTables;
import cn.kameng.refunddesk.process.DisputeProcess;
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
    private final DisputeProcess process;
    private final ChannelSources sources;
    private final java.time.Duration imageClaimFor;

    ChannelComplaints(ChannelComplaintRecords records, ComplaintService complaints, DecisionTables tables,
            OrderDirectory orders, EvidenceService evidence, DisputeRepository disputes, Journal journal,
            PlatformTransactionManager transactions, DisputeProcess process, ChannelSources sources,
            ChannelProperties properties) {
        this.imageClaimFor = properties.imageClaimFor();
        this.records = records;
        this.complaints = complaints;
        this.tables = tables;
        this.orders = orders;
        this.evidence = evidence;
        this.disputes = disputes;
        this.journal = journal;
        this.process = process;
        this.sources = sources;
        // a transaction of its own even when called after another committed (the images of a complaint staff tied)
        this.tx = new TransactionTemplate(transactions);
        this.tx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
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
                    if (row.complaintId() != null) {
                        if (c.state() == ChannelState.CLOSED) {
                            // closed at the channel while still open here: our task ends, once (ADR 0072)
                            complaints.closeAtChannel(row.complaintId(), source.source(), c.channelStatus());
                        }
                    } else if (c.state() == ChannelState.CLOSED) {
                        // closed before we ever tied it: it opens nothing, and the complaints group need not tie it
                        if (known.isPresent()) {
                            process.settleUntiedChannelComplaint(id);
                        }
                    } else if (!records.tieDecided(id)) {
                        if (tie(source, row, c)) {
                            if (known.isPresent()) {
                                process.settleUntiedChannelComplaint(id); // its order appeared since: no one need tie it
                            }
                        } else if (known.isEmpty()) {
                            // recorded just now, in this transaction: the complaints group's task starts once
                            process.startUntiedChannelComplaint(id, dueAt(channelDue(c)), untiedFacts(row, channelDue(c)),
                                    row.buyerWords());
                        }
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

    /**
     * Opens (or joins) the dispute of the complaint's order; a complaint naming no order of ours stays untied (false)
     * and goes to the complaints group (untied-channel-complaint.bpmn).
     */
    private boolean tie(ComplaintSource source, Taken row, ChannelComplaint c) {
        if (c.orderId() == null || orders.find(c.orderId()).isEmpty()) {
            log.warn("{} complaint {} names order {}, which the order directory does not know; recorded, not tied to a"
                    + " dispute: a task for the complaints group", source.source(), c.externalId(), c.orderId());
            return false;
        }
        tieTo(row, c.orderId(), channelDue(c));
        return true;
    }

    private ComplaintService.Received tieTo(Taken row, String orderId, ComplaintService.ChannelDue due) {
        String summary = ChannelComplaintRecords.cut("【" + row.channel().label() + (row.problemType() == null ? ""
                : " · " + row.problemType()) + "】" + (row.buyerWords() == null ? "" : row.buyerWords()), 4000);
        var received = complaints.receive(row.channel(), row.externalId(), orderId, summary, row.reason(), due);
        records.tie(row.id(), received.complaint().id(), received.complaint().disputeId());
        return received;
    }

    /**
     * The complaints group's decision on an untied channel complaint (completion of tieChannelComplaint): TIE ties it
     * to {@code orderId} as {@link #take} would have, with the channel's deadline, and downloads its images once the
     * completion committed; NOT_OURS records that, with the note. Inside the completion's transaction.
     *
     * @throws IllegalArgumentException the decision cannot be taken as sent (no such order, no note): the completion
     *         is refused with this message and the task stays
     */
    public void decideUntied(String channelComplaintId, TieDecision decision, String orderId, String note,
            String decidedBy) {
        Taken row = records.find(channelComplaintId)
                .orElseThrow(() -> new IllegalStateException("channel complaint " + channelComplaintId + " does not exist"));
        if (decision == null) {
            throw new IllegalArgumentException("请选择处理方式：关联订单或非本平台订单 (tieDecision must be TIE or NOT_OURS)");
        }
        if (row.complaintId() != null) {
            throw new IllegalArgumentException("该渠道投诉已关联到订单 " + row.orderId() + "，无需再处理");
        }
        Instant now = ServiceClock.now();
        if (decision == TieDecision.NOT_OURS) {
            if (note == null || note.isBlank()) {
                throw new IllegalArgumentException("请说明为何不是本平台的订单 (tieNote is required for NOT_OURS)");
            }
            records.decideTie(row.id(), decision, decidedBy, note, now);
            log.info("{} complaint {} marked not ours by {}", row.source(), row.externalId(), decidedBy);
            return;
        }
        String ours = orderId == null ? "" : orderId.trim();
        if (ours.isEmpty()) {
            throw new IllegalArgumentException("请填写正确的订单号 (tieOrderId is required for TIE)");
        }
        if (orders.find(ours).isEmpty()) {
            throw new IllegalArgumentException("订单 " + ours + " 不存在：请核对后填写本平台的订单号 (no order " + ours + ")");
        }
        if (!ours.equals(row.orderId())) {
            records.retarget(row.id(), ours);
        }
        var received = tieTo(row, ours, channelDue(row));
        records.decideTie(row.id(), decision, decidedBy, note, now);
        journal.record(disputes.get(received.complaint().disputeId()), decidedBy, "CHANNEL_COMPLAINT_TIED",
                row.channel().label() + "投诉（" + row.externalId() + "）所写订单号 " + (row.orderId() == null ? "（无）"
                        : row.orderId()) + " 查无此单，已由投诉处理人员关联到订单 " + ours
                        + (note == null || note.isBlank() ? "" : "：" + note) + "。", Notify.NOBODY);
        sources.find(row.source()).ifPresent(source -> AfterCommit.run(() -> {
            try {
                take(source, row.externalId()); // read again: its images, into the dispute's evidence
            } catch (RuntimeException e) {
                log.warn("{} complaint {} tied by {}; its images are taken with its next change: {}", row.source(),
                        row.externalId(), decidedBy, e.getMessage());
            }
        }));
    }

    private static Instant dueAt(ComplaintService.ChannelDue due) {
        return due == null ? null : due.dueAt();
    }

    /** What the tie form shows of the channel's complaint, one fact a line. */
    private static String untiedFacts(Taken row, ComplaintService.ChannelDue due) {
        return "渠道：" + row.channel().label() + "（" + row.source() + "）\n"
                + "外部投诉编号：" + row.externalId() + "\n"
                + "渠道给出的订单号：" + (row.orderId() == null ? "（未提供）" : row.orderId()) + "\n"
                + "渠道交易号：" + (row.channelTradeId() == null ? "（未提供）" : row.channelTradeId()) + "\n"
                + "金额：" + (row.amountFen() == null ? "（未提供）" : String.format("%d.%02d 元", row.amountFen() / 100,
                        row.amountFen() % 100)) + (row.refundRequested() ? "（买家申请退款）" : "") + "\n"
                + "问题类型：" + (row.problemType() == null ? "（未提供）" : row.problemType()) + "\n"
                + "渠道截止时间：" + (due == null ? "（渠道未设）" : BEIJING_TIME.format(due.dueAt()) + "（北京时间）");
    }

    private static final java.time.format.DateTimeFormatter BEIJING_TIME = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm").withZone(cn.kameng.refunddesk.calendar.WorkingDays.BEIJING);

    /** The channel's deadline as recorded on the row (as {@link #channelDue(ChannelComplaint)}). */
    static ComplaintService.ChannelDue channelDue(Taken row) {
        return channelDue(row.replyDueAt() == null ? null : new Deadline(row.replyDueAt(), row.replyCountedOn()),
                row.completeDueAt() == null ? null : new Deadline(row.completeDueAt(), row.completeCountedOn()));
    }

    /** The channel's deadline that comes first and is still ahead (else the last one), or none. */
    static ComplaintService.ChannelDue channelDue(ChannelComplaint c) {
        if (c.deadlines() == null) {
            return null;
        }
        return channelDue(c.deadlines().replyDue(), c.deadlines().completeDue());
    }

    private static ComplaintService.ChannelDue channelDue(Deadline reply, Deadline complete) {
        Instant now = ServiceClock.now();
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
