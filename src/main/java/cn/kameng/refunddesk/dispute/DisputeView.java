package cn.kameng.refunddesk.dispute;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import cn.kameng.refunddesk.calendar.Deadlines;
import cn.kameng.refunddesk.complaint.Complaint;
import cn.kameng.refunddesk.evidence.Evidence;
import cn.kameng.refunddesk.refund.Refund;

/** A dispute as the API shows it. */
public record DisputeView(
        String id, String orderId, String customerId, String merchantId, String reason, String description,
        String paymentChannel, String productCategory, long paidAmountFen, long claimedAmountFen,
        Long approvedAmountFen, String status, String outcome, String outcomeReason, MerchantAnswerView merchantAnswer,
        Map<String, Instant> deadlines, Map<String, Deadlines.Detail> deadlineDetails, Instant openedAt, Instant closedAt, List<Timeline.Entry> timeline,
        List<EvidenceView> evidence, List<RefundView> refunds, List<ComplaintView> complaints) {

    public record MerchantAnswerView(String decision, Long refundAmountFen, String message, String replacementCardKey) {
    }

    /** contentType is what the bytes are; capturedAt a photo's EXIF capture time (camera local time). */
    public record EvidenceView(String id, String party, String kind, String fileName, String contentType,
            long sizeBytes, String sha256, Instant uploadedAt, java.time.LocalDateTime capturedAt, Instant tamperedAt) {
        static EvidenceView of(Evidence e) {
            return new EvidenceView(e.id(), e.party(), e.kind().name(), e.fileName(), e.contentType(), e.sizeBytes(),
                    e.sha256(), e.uploadedAt(), e.capturedAt(), e.tamperedAt());
        }
    }

    public record RefundView(String id, String idempotencyKey, String channel, long amountFen, String status,
            Long settledAmountFen, Long receivedAmountFen, String failureReason, Instant requestedAt, Instant settledAt) {
        static RefundView of(Refund r) {
            return new RefundView(r.id(), r.idempotencyKey(), r.channel().name(), r.amountFen(), r.status().name(),
                    r.settledAmountFen(), r.receivedAmountFen(), r.failureReason(), r.requestedAt(), r.settledAt());
        }
    }

    public record ComplaintView(String id, String channel, String externalId, String status, String outcome,
            Instant dueAt, Deadlines.CountedOn dueCountedOn, Instant receivedAt, Instant answeredAt) {
        public static ComplaintView of(Complaint c) {
            return new ComplaintView(c.id(), c.channel().name(), c.externalId(), c.status(), c.outcome(), c.dueAt(),
                    c.countedOn(), c.receivedAt(), c.answeredAt());
        }
    }

    /** The short form used in lists. */
    public record Summary(String id, String orderId, String reason, String status, String outcome,
            long claimedAmountFen, Long approvedAmountFen, Instant openedAt, Instant closedAt) {
        static Summary of(Dispute d) {
            return new Summary(d.id(), d.orderId(), d.reason().name(), d.status().name(),
                    d.outcome() == null ? null : d.outcome().name(), d.claimedAmountFen(), d.approvedAmountFen(),
                    d.openedAt(), d.closedAt());
        }
    }
}
