package cn.kameng.refunddesk.refund;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import cn.kameng.refunddesk.refund.GatewayMetrics.Operation;
import cn.kameng.refunddesk.calendar.Deadlines;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeRepository;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.DomainException.NotAuthentic;
import cn.kameng.refunddesk.dispute.DomainException.NotFound;
import cn.kameng.refunddesk.dispute.Journal;
import cn.kameng.refunddesk.dispute.Money;
import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.process.DisputeProcess;
import cn.kameng.refunddesk.process.ProcessIds;

/**
 * Step 5: one refund per dispute, exactly once. The idempotency key is stored (and committed, by the
 * async boundary that follows) before the gateway is ever called, and every retry reuses it.
 */
@Service
public class RefundService {

    /** What the process's gateways route on after a request, a query or a notification. */
    public enum Result { SUCCEEDED, PENDING, FAILED, SHORT, LATE }

    private static final Logger log = LoggerFactory.getLogger(RefundService.class);

    private final RefundRecords refunds;
    private final DisputeRepository disputes;
    private final PaymentGateways gateways;
    private final GatewayMetrics gatewayMetrics;
    private final Journal journal;
    private final DisputeProcess process;
    private final Deadlines deadlines;

    RefundService(RefundRecords refunds, DisputeRepository disputes, PaymentGateways gateways, Journal journal,
            DisputeProcess process, Deadlines deadlines, GatewayMetrics gatewayMetrics) {
        this.gatewayMetrics = gatewayMetrics;
        this.refunds = refunds;
        this.disputes = disputes;
        this.gateways = gateways;
        this.journal = journal;
        this.process = process;
        this.deadlines = deadlines;
    }

    /** Stores the refund and its key. A dispute that already has a live refund keeps it. */
    public void prepare(String disputeId, PaymentChannel channelOverride) {
        Dispute d = disputes.get(disputeId);
        if (d.approvedAmountFen() == null) {
            throw new IllegalStateException("dispute " + disputeId + " has no approved amount to refund");
        }
        disputes.setStatus(disputeId, DisputeStatus.REFUNDING);
        deadlines.clearAll(disputeId);
        if (refunds.live(disputeId).isPresent()) {
            return;
        }
        int attempt = refunds.count(disputeId) + 1;
        PaymentChannel channel = channelOverride != null ? channelOverride : d.paymentChannel();
        Refund refund = new Refund("RFD-" + UUID.randomUUID(), disputeId, newKey(disputeId, attempt), true, channel,
                d.approvedAmountFen(), RefundState.REQUESTED, null, null, null, null, ServiceClock.now(), null);
        try {
            refunds.insert(refund, d.orderId());
        } catch (DuplicateKeyException e) {
            throw new IllegalStateException("dispute " + disputeId + " or its order " + d.orderId()
                    + " already has a refund under way or done", e);
        }
        journal.record(d, Journal.SYSTEM, "REFUND_STARTED", "退款 " + Money.yuan(refund.amountFen()) + " 已发起（"
                + channel + "，编号 " + refund.idempotencyKey() + "）。", Journal.Notify.CUSTOMER);
    }

    /**
     * A new refund's idempotency key: {@code <dispute id>-R<attempt>-<10 random letters and digits>}, so nobody
     * can guess the key of a refund they have not seen. Stored once, it never changes (it is the exactly-once
     * key). Fits every gateway: Alipay out_request_no and WeChat Pay out_refund_no (at most 64 of
     * {@code [0-9A-Za-z_-|*@]}), UnionPay orderId (the letters and digits, 8 to 32: 19 of the dispute id,
     * 2 or 3 of the attempt, 10 random).
     */
    static String newKey(String disputeId, int attempt) {
        StringBuilder key = new StringBuilder(disputeId).append("-R").append(attempt).append('-');
        for (int i = 0; i < KEY_RANDOM_LENGTH; i++) {
            key.append(KEY_ALPHABET.charAt(RANDOM.nextInt(KEY_ALPHABET.length())));
        }
        return key.toString();
    }

    private static final String KEY_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    static final int KEY_RANDOM_LENGTH = 10;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** Sends the stored refund to the gateway. Safe to run again: the gateway sees the same key. */
    public Result request(String disputeId) {
        Refund refund = refunds.lockLive(disputeId)
                .orElseThrow(() -> new IllegalStateException("dispute " + disputeId + " has no refund to request"));
        if (refund.status() != RefundState.REQUESTED) {
            return resultOf(refund, refund.status(), refund.settledAmountFen(), false);
        }
        PaymentGateway gateway = gateways.forChannel(refund.channel());
        String orderId = disputes.get(disputeId).orderId();
        if (refunds.attempted(refund.idempotencyKey())) {
            // An earlier attempt timed out or failed: the gateway may hold the refund already. Ask first.
            PaymentGateway.RefundAnswer known = gatewayMetrics.timed(gateway, refund.channel(), Operation.QUERY,
                    () -> gateway.queryRefund(refund.idempotencyKey(), orderId));
            if (known.state() != RefundState.UNKNOWN) {
                log.info("Refund {} was already at {} ({}): not sent again", refund.idempotencyKey(), gateway.name(),
                        known.state());
                return record(refund, known.state(), known, false);
            }
        }
        refunds.recordAttempt(refund.idempotencyKey());
        PaymentGateway.RefundAnswer answer = gatewayMetrics.timed(gateway, refund.channel(), Operation.REQUEST,
                () -> gateway.requestRefund(new PaymentGateway.RefundRequest(refund.idempotencyKey(), orderId,
                        refund.amountFen(), refund.channel(), "退款争议 " + disputeId)));
        RefundState state = answer.state() == RefundState.UNKNOWN ? RefundState.PROCESSING : answer.state();
        log.info("Refund {} of {} fen sent to {}: {}", refund.idempotencyKey(), refund.amountFen(), gateway.name(),
                state);
        return record(refund, state, answer, false);
    }

    /** The arrival deadline passed without a notification: ask the gateway. */
    public Result query(String disputeId) {
        Refund refund = refunds.lockLive(disputeId)
                .orElseThrow(() -> new IllegalStateException("dispute " + disputeId + " has no refund to query"));
        if (refund.status().final_()) {
            return resultOf(refund, refund.status(), refund.settledAmountFen(), true);
        }
        PaymentGateway gateway = gateways.forChannel(refund.channel());
        String orderId = disputes.get(disputeId).orderId();
        PaymentGateway.RefundAnswer answer = gatewayMetrics.timed(gateway, refund.channel(), Operation.QUERY,
                () -> gateway.queryRefund(refund.idempotencyKey(), orderId));
        RefundState state = answer.state() == RefundState.UNKNOWN ? refund.status() : answer.state();
        return record(refund, state, answer, true);
    }

    private Result record(Refund refund, RefundState state, PaymentGateway.RefundAnswer answer, boolean deadlinePassed) {
        Long settled = answer.settledAmountFen();
        if (settled != null && (settled < 0 || settled > refund.amountFen())) {
            // The gateway's answer cannot be right: recorded as nothing; the job fails and says why.
            throw new GatewayUnavailableException("the gateway says refund " + refund.idempotencyKey() + " settled "
                    + settled + " fen, outside 0.." + refund.amountFen() + "; not recorded");
        }
        refunds.update(refund.id(), state, answer.gatewayReference(), answer.failureReason(), answer.settledAmountFen());
        recordFailure(refund, state, answer.failureReason());
        recordArrival(refund, answer.arrivalNote());
        return resultOf(refund, state, answer.settledAmountFen(), deadlinePassed);
    }

    /** The gateway refused (or closed) a refund that was under way: journaled once, for the record and webhooks. */
    private void recordFailure(Refund refund, RefundState state, String reason) {
        if (refund.status().final_() || !state.movedNoMoney()) {
            return;
        }
        journal.record(disputes.get(refund.disputeId()), Journal.SYSTEM, "REFUND_FAILED", "退款 "
                + refund.idempotencyKey() + " 未成功：" + state.label() + (reason == null ? "" : "（" + reason + "）"),
                Journal.Notify.NOBODY);
    }

    /** Where the money went after the gateway moved it; recorded once, journaled for the dispute. */
    private void recordArrival(Refund refund, String note) {
        if (note == null || note.equals(refund.arrivalNote())) {
            return;
        }
        refunds.recordArrivalNote(refund.id(), note);
        journal.record(disputes.get(refund.disputeId()), Journal.SYSTEM, "REFUND_ARRIVAL",
                "退款 " + refund.idempotencyKey() + "：" + note, Journal.Notify.CUSTOMER);
    }

    /**
     * A gateway's notification. Duplicates and late ones change nothing; a forged one throws
     * {@link NotAuthentic}; one for a refund we do not know is 404.
     */
    @Transactional
    public String onNotification(String gatewayName, Map<String, String> headers, String body) {
        PaymentGateway gateway = gateways.byName(gatewayName)
                .orElseThrow(() -> new NotFound("there is no payment gateway called '" + gatewayName + "'"));
        PaymentGateway.RefundNotification n = gateway.parseNotification(headers, body);
        Refund refund = refunds.lockByKey(n.idempotencyKey())
                .orElseThrow(() -> new NotFound("no refund has the key '" + n.idempotencyKey() + "'"));
        if (n.settledAmountFen() != null && (n.settledAmountFen() < 0 || n.settledAmountFen() > refund.amountFen())) {
            throw BadInput.field("settledAmountFen", "is " + n.settledAmountFen() + ", outside 0.." + refund.amountFen()
                    + " (the refund's amount in fen): the notification is refused and the refund is unchanged");
        }
        if (refund.live() && n.arrivalNote() != null) {
            recordArrival(refund, n.arrivalNote());
        }
        if (refund.status().final_() || !refund.live() || !n.state().final_()) {
            log.info("Notification for refund {} ({}) changes nothing: refund is {}", refund.idempotencyKey(),
                    n.state(), refund.status());
            return gateway.acknowledgement();
        }
        refunds.update(refund.id(), n.state(), n.gatewayReference(), n.failureReason(), n.settledAmountFen());
        recordFailure(refund, n.state(), n.failureReason());
        Result result = resultOf(refund, n.state(), n.settledAmountFen(), false);
        if (!correlateSettlement(refund.disputeId(), result)) {
            log.info("Refund {} settled as {} before the dispute waited for it; the arrival check will read it",
                    refund.idempotencyKey(), n.state());
        }
        return gateway.acknowledgement();
    }

    private boolean correlateSettlement(String disputeId, Result result) {
        return process.waitsFor(disputeId, ProcessIds.Message.REFUND_SETTLED)
                && process.correlate(disputeId, ProcessIds.Message.REFUND_SETTLED,
                        Map.of(ProcessIds.Var.REFUND_RESULT, result.name()));
    }

    /** Finance chose to try again (or to the platform balance): allowed only if no money moved. */
    public void releaseFailed(String disputeId) {
        Refund refund = refunds.lockLive(disputeId)
                .orElseThrow(() -> new IllegalStateException("dispute " + disputeId + " has no refund"));
        if (!refund.status().movedNoMoney()) {
            throw new IllegalStateException("refund " + refund.idempotencyKey() + " is " + refund.status()
                    + ": a new refund could pay the customer twice");
        }
        refunds.release(refund.id());
    }

    /** The dispute's refund was sent and the gateway has not given its final answer yet. */
    public boolean stillAtTheGateway(String disputeId) {
        return refunds.live(disputeId).filter(r -> !r.status().final_()).isPresent();
    }

    public Optional<Refund> live(String disputeId) {
        return refunds.live(disputeId);
    }

    /** The refund, of whichever dispute, that has moved or may move money for this order. */
    public Optional<Refund> liveForOrder(String orderId) {
        return refunds.liveForOrder(orderId);
    }

    public void recordReceived(String disputeId, long receivedFen) {
        refunds.live(disputeId).ifPresent(r -> refunds.recordReceived(r.id(), receivedFen));
    }

    private static Result resultOf(Refund refund, RefundState state, Long settledFen, boolean deadlinePassed) {
        return switch (state) {
            // Any amount other than the approved one (short, or more) goes to finance, not to closing.
            case SUCCEEDED -> settledFen != null && settledFen != refund.amountFen() ? Result.SHORT : Result.SUCCEEDED;
            case FAILED, ABNORMAL, CLOSED -> Result.FAILED;
            case REQUESTED, PROCESSING, UNKNOWN -> deadlinePassed ? Result.LATE : Result.PENDING;
        };
    }
}
