package cn.kameng.refunddesk.complaint;

import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.calendar.WorkingDays;
import cn.kameng.refunddesk.complaint.ChannelComplaintRecords.AnswerStatus;
import cn.kameng.refunddesk.complaint.ChannelComplaintRecords.Taken;
import cn.kameng.refunddesk.complaint.ComplaintSource.AnswerKind;
import cn.kameng.refunddesk.complaint.ComplaintSource.Resolution;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.Journal;
import cn.kameng.refunddesk.dispute.Money;
import cn.kameng.refunddesk.dispute.Party;
import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.evidence.Evidence;
import cn.kameng.refunddesk.evidence.EvidenceRecords;

/**
 * Writes each channel's answers into the outbox ({@code channel_answer}) in the transaction of what they answer:
 * the complaints group's reply in Tasklist, the refund's start (refund approved), its success and the dispute's
 * close (complete with the outcome). One answer per key, so a repeated event writes nothing; every channel
 * complaint of the order hears the same outcome, each in its own terms ({@link ComplaintSource#accepts()}).
 * A withdrawn or abandoned dispute sends nothing by itself: the complaints group's reply answers the channel.
 *
 * <p>Images (ADR 0071): the reply carries the images the complaints group picked in Tasklist; a dispute closed
 * rejected answers with the merchant's image evidence, the proof the ruling rested on, in the order submitted.
 * Only images ({@link #IMAGE_TYPES}) go; which evidence goes with which answer is written with the answer.
 */
@Component
public class ChannelAnswers {

    /** The image types any channel's upload takes (jpg, png, bmp, gif); each source narrows them further. */
    public static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/bmp", "image/gif");

    private final ChannelComplaintRecords records;
    private final ChannelSources sources;
    private final EvidenceRecords evidence;

    ChannelAnswers(ChannelComplaintRecords records, ChannelSources sources, EvidenceRecords evidence) {
        this.records = records;
        this.sources = sources;
        this.evidence = evidence;
    }

    /** The complaints group answered the complaint in Tasklist: its words go back to the channel as a reply. */
    void answered(Complaint complaint, String response) {
        answered(complaint, response, List.of());
    }

    /**
     * The complaints group answered in Tasklist with its words and the images it picked ({@code imageEvidence}:
     * evidence ids of the complaint's dispute, in the order picked); non-images are left out.
     *
     * @throws IllegalArgumentException an id that is no evidence of the dispute (the form refuses the completion)
     */
    void answered(Complaint complaint, String response, List<String> imageEvidence) {
        List<String> images = List.of();
        if (!imageEvidence.isEmpty()) {
            Map<String, Evidence> ofDispute = evidence.of(complaint.disputeId()).stream()
                    .collect(Collectors.toMap(Evidence::id, Function.identity()));
            for (String id : imageEvidence) {
                if (!ofDispute.containsKey(id)) {
                    throw new IllegalArgumentException("complaintImages: " + id + " is no evidence of dispute "
                            + complaint.disputeId() + "; pick the images among the dispute's evidence");
                }
            }
            images = imageEvidence.stream().distinct().map(ofDispute::get).filter(ChannelAnswers::isImage)
                    .map(Evidence::id).toList();
        }
        List<String> picked = images;
        records.ofComplaint(complaint.id()).ifPresent(t -> add(t, t.id() + ":reply:" + complaint.id(), AnswerKind.REPLY,
                null, response, null, picked));
    }

    static boolean isImage(Evidence e) {
        return e.contentType() != null && IMAGE_TYPES.contains(e.contentType()) && e.tamperedAt() == null;
    }

    /** The merchant's image evidence of the dispute, in the order it was submitted: the proof of a rejection. */
    private List<String> merchantImages(Dispute d) {
        return evidence.of(d.id()).stream().filter(e -> e.party() == Party.MERCHANT).filter(ChannelAnswers::isImage)
                .map(Evidence::id).toList();
    }

    /** Synchronous, in the caller's transaction: the answer is written with the change, or neither is. */
    @EventListener
    void on(Journal.Recorded entry) {
        Dispute d = entry.dispute();
        switch (entry.event()) {
            case "REFUND_STARTED" -> forEach(d, t -> {
                if (t.refundRequested()) {
                    add(t, t.id() + ":refund-approved", AnswerKind.REFUND_APPROVED, null,
                            "同意退款，退款已发起（" + Money.yuan(amount(d)) + "），原路退回。", today());
                }
            });
            case "REFUND_SUCCEEDED", "CLOSED_REFUNDED", "CLOSED_PARTIALLY_REFUNDED" -> forEach(d, t -> add(t,
                    t.id() + ":complete:REFUNDED", AnswerKind.COMPLETE, Resolution.REFUNDED,
                    "已为您退款 " + Money.yuan(amount(d)) + "，款项原路退回。", null));
            case "CLOSED_REPLACED" -> forEach(d, t -> add(t, t.id() + ":complete:REPLACED", AnswerKind.COMPLETE,
                    Resolution.REPLACED, "商家已为您补发商品，经确认可正常使用。", null));
            case "CLOSED_REJECTED", "CLOSED_INELIGIBLE" -> forEach(d, t -> {
                String why = "经平台核实，" + (d.outcomeReason() == null ? d.outcome() == null ? "不支持退款"
                        : d.outcome().label() : d.outcomeReason()) + "。";
                // a ruling rests on the merchant's proof; an ineligible order was judged on no one's evidence
                List<String> proof = "CLOSED_REJECTED".equals(entry.event()) ? merchantImages(d) : List.of();
                if (t.refundRequested()) {
                    add(t, t.id() + ":refund-rejected", AnswerKind.REFUND_REJECTED, Resolution.REJECTED, why, null,
                            proof);
                }
                add(t, t.id() + ":complete:REJECTED", AnswerKind.COMPLETE, Resolution.REJECTED, why, null, proof);
            });
            default -> {
            }
        }
    }

    private static long amount(Dispute d) {
        return d.approvedAmountFen() != null ? d.approvedAmountFen() : d.claimedAmountFen();
    }

    private static LocalDate today() {
        return LocalDate.ofInstant(ServiceClock.now(), WorkingDays.BEIJING);
    }

    /** Each channel complaint tied to the order and still open at its channel (one it closed hears nothing more). */
    private void forEach(Dispute d, java.util.function.Consumer<Taken> answer) {
        records.ofOrder(d.orderId()).stream()
                .filter(t -> t.complaintId() != null && t.state() != ComplaintSource.ChannelState.CLOSED)
                .forEach(answer);
    }

    private void add(Taken t, String key, AnswerKind kind, Resolution resolution, String text, LocalDate refundDay) {
        add(t, key, kind, resolution, text, refundDay, List.of());
    }

    private void add(Taken t, String key, AnswerKind kind, Resolution resolution, String text, LocalDate refundDay,
            List<String> images) {
        Set<AnswerKind> accepted = sources.find(t.source()).map(ComplaintSource::accepts)
                .orElse(EnumSet.allOf(AnswerKind.class));
        if (records.addAnswer(key, t.id(), kind, resolution, text, refundDay,
                accepted.contains(kind) ? AnswerStatus.PENDING : AnswerStatus.NOT_TAKEN, ServiceClock.now())) {
            records.addAnswerImages(key, images);
        }
    }
}
