package cn.kameng.refunddesk.workflow;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import cn.kameng.refunddesk.abuse.RaisedFlag;
import cn.kameng.refunddesk.appeal.Appeal;
import cn.kameng.refunddesk.calendar.Deadlines;
import cn.kameng.refunddesk.complaint.ComplaintView;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.MerchantReply;
import cn.kameng.refunddesk.dispute.Outcome;
import cn.kameng.refunddesk.dispute.Party;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.dispute.Timeline;
import cn.kameng.refunddesk.evidence.Evidence;
import cn.kameng.refunddesk.evidence.EvidenceKind;
import cn.kameng.refunddesk.ledger.DepositLedger;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;
import cn.kameng.refunddesk.refund.Refund;
import cn.kameng.refunddesk.refund.RefundState;

/**
 * A dispute as the API shows it. {@code abuseFlags} (processes/abuse-flags.dmn) only to staff: the property is
 * left out of what a party reads.
 */
public record DisputeView(
        String id, String orderId, String customerId, String merchantId, Reason reason, String description,
        PaymentChannel paymentChannel, ProductCategory productCategory, long paidAmountFen, long claimedAmountFen,
        Long approvedAmountFen, DisputeStatus status, Outcome outcome, String outcomeReason, MerchantAnswerView merchantAnswer,
        Map<String, Instant> deadlines, Map<String, Deadlines.Detail> deadlineDetails, Instant openedAt, Instant closedAt, List<Timeline.Entry> timeline,
        List<EvidenceView> evidence, List<RefundView> refunds, List<ComplaintView> complaints,
        DepositLedger.DisputeSettlement deposit, Appeal appeal,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<RaisedFlag> abuseFlags) {

    public record MerchantAnswerView(MerchantReply decision, Long refundAmountFen, String message, String replacementCardKey) {
    }

    /** contentType is what the bytes are; capturedAt a photo's EXIF capture time (camera local time). */
    public record EvidenceView(String id, Party party, EvidenceKind kind, String fileName, String contentType,
            long sizeBytes, String sha256, Instant uploadedAt, java.time.LocalDateTime capturedAt, Instant tamperedAt) {
        static EvidenceView of(Evidence e) {
            return new EvidenceView(e.id(), e.party(), e.kind(), e.fileName(), e.contentType(), e.sizeBytes(),
                    e.sha256(), e.uploadedAt(), e.capturedAt(), e.tamperedAt());
        }
    }

    public record RefundView(String id, String idempotencyKey, PaymentChannel channel, long amountFen, RefundState status,
            Long settledAmountFen, Long receivedAmountFen, String failureReason, Instant requestedAt, Instant settledAt) {
        static RefundView of(Refund r) {
            return new RefundView(r.id(), r.idempotencyKey(), r.channel(), r.amountFen(), r.status(),
                    r.settledAmountFen(), r.receivedAmountFen(), r.failureReason(), r.requestedAt(), r.settledAt());
        }
    }

    /** The short form used in lists. */
    public record Summary(String id, String orderId, Reason reason, DisputeStatus status, Outcome outcome,
            long claimedAmountFen, Long approvedAmountFen, Instant openedAt, Instant closedAt) {
        static Summary of(Dispute d) {
            return new Summary(d.id(), d.orderId(), d.reason(), d.status(), d.outcome(), d.claimedAmountFen(), d.approvedAmountFen(),
                    d.openedAt(), d.closedAt());
        }
    }
}
