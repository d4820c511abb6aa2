package cn.kameng.refunddesk.workflow;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import cn.kameng.refunddesk.abuse.AbuseFlags;
import cn.kameng.refunddesk.dispute.Caller;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeMetrics;
import cn.kameng.refunddesk.dispute.DisputeAccess;
import cn.kameng.refunddesk.dispute.DisputeRepository;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.DomainException.Unprocessable;
import cn.kameng.refunddesk.dispute.DomainException.NotYours;
import cn.kameng.refunddesk.dispute.DomainException.WrongState;
import cn.kameng.refunddesk.dispute.Journal.Notify;
import cn.kameng.refunddesk.dispute.Journal;
import cn.kameng.refunddesk.dispute.MerchantReply;
import cn.kameng.refunddesk.dispute.Money;
import cn.kameng.refunddesk.dispute.Party;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.evidence.RequiredEvidence;
import cn.kameng.refunddesk.ledger.DepositLedger;
import cn.kameng.refunddesk.order.Order;
import cn.kameng.refunddesk.order.OrderDirectory;
import cn.kameng.refunddesk.process.DisputeProcess;
import cn.kameng.refunddesk.process.ProcessIds.Message;
import cn.kameng.refunddesk.refund.RefundService;
import cn.kameng.refunddesk.restriction.Restrictions;

/**
 * What customers and merchants do to a dispute through the API. Each action locks the dispute,
 * checks who may do it in which state, records it and moves the process on, in one transaction.
 */
@Service
public class DisputeService {

    public record OpenRequest(String orderId, Reason reason, String description, Long claimedAmountFen) {
    }

    public enum MerchantDecision { ACCEPT, REFUSE, REPLACE }

    public record MerchantAnswer(MerchantDecision decision, Long refundAmountFen, String message,
            String replacementCardKey) {
    }

    /** The result of opening: the dispute, and whether it was created now or found by its idempotency key. */
    public record Opened(Dispute dispute, boolean created) {
    }

    private final DisputeRepository disputes;
    private final DisputeAccess access;
    private final OrderDirectory orders;
    private final Journal journal;
    private final DisputeMetrics metrics;
    private final RefundService refunds;
    private final DisputeProcess process;
    private final RequiredEvidence requiredEvidence;
    private final Restrictions restrictions;
    private final DepositLedger ledger;
    private final AbuseFlags abuseFlags;

    DisputeService(DisputeRepository disputes, DisputeAccess access, OrderDirectory orders, Journal journal,
            RefundService refunds, DisputeProcess process, RequiredEvidence requiredEvidence, Restrictions restrictions,
            DepositLedger ledger, DisputeMetrics metrics, AbuseFlags abuseFlags) {
        this.abuseFlags = abuseFlags;
        this.metrics = metrics;
        this.restrictions = restrictions;
        this.ledger = ledger;
        this.requiredEvidence = requiredEvidence;
        this.disputes = disputes;
        this.access = access;
        this.orders = orders;
        this.journal = journal;
        this.refunds = refunds;
        this.process = process;
    }

    @Transactional
    public Opened open(Caller caller, OpenRequest request, String idempotencyKey) {
        if (idempotencyKey != null) {
            var earlier = disputes.findByIdempotencyKey(caller.userId(), idempotencyKey);
            if (earlier.isPresent()) {
                sameRequest(earlier.get(), request, idempotencyKey);
                return new Opened(earlier.get(), false);
            }
        }
        restrictions.refuseIfRestricted(caller.userId());
        Order order = orders.find(request.orderId())
                .filter(o -> o.buyerId().equals(caller.userId()))
                .orElseThrow(() -> BadInput.field("orderId", "there is no order " + request.orderId()
                        + " bought by you"));
        long claimed = request.claimedAmountFen() == null ? order.amountFen() : request.claimedAmountFen();
        if (claimed > order.amountFen()) {
            throw BadInput.field("claimedAmountFen", "must not exceed the " + order.amountFen()
                    + " fen paid for the order");
        }
        disputes.findOpenByOrder(order.orderId()).ifPresent(open -> {
            throw new WrongState("order " + order.orderId() + " already has an open dispute " + open.id());
        });
        refunds.liveForOrder(order.orderId()).ifPresent(done -> {
            throw new WrongState("order " + order.orderId() + " was already refunded " + Money.yuan(done.amountFen())
                    + " through dispute " + done.disputeId() + " (" + done.status() + "); an order is refunded at most"
                    + " once");
        });
        Dispute dispute = Dispute.open(order, request.reason(), request.description(), claimed, ServiceClock.now());
        try {
            disputes.insert(dispute, idempotencyKey);
        } catch (DuplicateKeyException e) {
            throw new WrongState("order " + order.orderId() + " already has an open dispute");
        }
        ledger.hold(dispute);
        // for staff only, and never read by the process: a flag informs, it does not decide
        abuseFlags.evaluateOnOpening(dispute, order);
        journal.record(dispute, caller.userId(), "OPENED", "买家发起退款争议：" + request.reason().label() + "，申请退款 "
                + Money.yuan(claimed) + "。", Notify.NOBODY);
        metrics.opened(dispute, DisputeMetrics.Via.API);
        process.start(dispute.id());
        return new Opened(disputes.get(dispute.id()), true);
    }

    /** A repeat under an Idempotency-Key must be the same request; another one under it is refused (422). */
    private static void sameRequest(Dispute earlier, OpenRequest request, String key) {
        java.util.Map<String, String> differs = new java.util.LinkedHashMap<>();
        if (!earlier.orderId().equals(request.orderId())) {
            differs.put("orderId", "was " + earlier.orderId());
        }
        if (earlier.reason() != request.reason()) {
            differs.put("reason", "was " + earlier.reason());
        }
        if (!java.util.Objects.equals(earlier.description(), request.description())) {
            differs.put("description", "was different");
        }
        if (request.claimedAmountFen() != null && request.claimedAmountFen() != earlier.claimedAmountFen()) {
            differs.put("claimedAmountFen", "was " + earlier.claimedAmountFen());
        }
        if (!differs.isEmpty()) {
            java.util.Map<String, String> errors = new java.util.LinkedHashMap<>();
            errors.put("idempotencyKey", "was already used for another request");
            errors.putAll(differs);
            throw new Unprocessable("Idempotency-Key " + key + " was already used for a different request (dispute "
                    + earlier.id() + " on order " + earlier.orderId() + "; it differs in " + differs.keySet()
                    + "): send a new key for a new request", errors);
        }
    }

    /**
     * {@link #open} for a request that lost a race with its own twin (same key, sent again at once): the
     * twin's dispute, once it is committed; empty if the key holds none.
     */
    @Transactional(readOnly = true)
    public java.util.Optional<Opened> opened(Caller caller, OpenRequest request, String idempotencyKey) {
        return disputes.findByIdempotencyKey(caller.userId(), idempotencyKey).map(earlier -> {
            sameRequest(earlier, request, idempotencyKey);
            return new Opened(earlier, false);
        });
    }

    @Transactional(readOnly = true)
    public Dispute get(Caller caller, String id) {
        return access.findVisible(caller, id);
    }

    @Transactional(readOnly = true)
    public List<Dispute> list(Caller caller, DisputeStatus status, int page, int size) {
        if (caller.isStaff()) {
            return disputes.list(null, null, status, page, size);
        }
        if (caller.in(Caller.MERCHANTS)) {
            return disputes.list(null, caller.userId(), status, page, size);
        }
        return disputes.list(caller.userId(), null, status, page, size);
    }

    @Transactional
    public Dispute merchantResponse(Caller caller, String id, MerchantAnswer answer) {
        Dispute d = asMerchant(caller, id, DisputeStatus.AWAITING_MERCHANT, "answer the dispute");
        String message;
        String event;
        MerchantReply decision;
        switch (answer.decision()) {
            case ACCEPT -> {
                long amount = answer.refundAmountFen() == null ? d.claimedAmountFen() : answer.refundAmountFen();
                if (amount <= 0 || amount > d.claimedAmountFen()) {
                    throw BadInput.field("refundAmountFen", "must be between 1 and the claimed "
                            + d.claimedAmountFen() + " fen");
                }
                boolean full = amount == d.claimedAmountFen();
                decision = full ? MerchantReply.ACCEPT : MerchantReply.ACCEPT_PARTIAL;
                disputes.recordMerchantAnswer(id, decision, amount, answer.message(), null);
                if (full) {
                    disputes.setApprovedAmount(id, amount);
                }
                message = full ? "商家同意全额退款 " + Money.yuan(amount) + "。" : "商家提出部分退款 " + Money.yuan(amount) + "。";
                event = full ? Message.MERCHANT_ACCEPTED : Message.MERCHANT_OFFERED_PARTIAL_REFUND;
            }
            case REPLACE -> {
                if (answer.replacementCardKey() == null || answer.replacementCardKey().isBlank()) {
                    throw BadInput.field("replacementCardKey", "is required when the decision is REPLACE");
                }
                decision = MerchantReply.REPLACE;
                disputes.recordMerchantAnswer(id, decision, null, answer.message(), answer.replacementCardKey());
                message = "商家已补发商品。";
                event = Message.MERCHANT_SENT_REPLACEMENT;
            }
            case REFUSE -> {
                if (answer.message() == null || answer.message().isBlank()) {
                    throw BadInput.field("message", "a refusal must give the merchant's reason");
                }
                decision = MerchantReply.REFUSE;
                disputes.recordMerchantAnswer(id, decision, null, answer.message(), null);
                message = "商家拒绝退款：" + answer.message();
                event = Message.MERCHANT_REFUSED;
            }
            default -> throw new IllegalArgumentException(answer.decision().name());
        }
        journal.record(d, caller.userId(), "MERCHANT_" + decision.name(), message, Notify.CUSTOMER);
        metrics.merchantAnswered(d, decision);
        correlate(id, event, "the merchant's reply window has closed");
        return disputes.get(id);
    }

    @Transactional
    public Dispute offerResponse(Caller caller, String id, boolean accept) {
        Dispute d = asCustomer(caller, id, Set.of(DisputeStatus.AWAITING_OFFER_RESPONSE), "answer the merchant's offer");
        if (accept) {
            disputes.setApprovedAmount(id, d.merchantOfferFen());
        }
        journal.record(d, caller.userId(), accept ? "OFFER_ACCEPTED" : "OFFER_DECLINED",
                accept ? "买家接受部分退款 " + Money.yuan(d.merchantOfferFen()) + "。" : "买家拒绝部分退款方案。", Notify.MERCHANT);
        correlate(id, accept ? Message.OFFER_ACCEPTED : Message.OFFER_DECLINED, "the offer is no longer open");
        return disputes.get(id);
    }

    @Transactional
    public Dispute replacementConfirmation(Caller caller, String id, boolean works) {
        Dispute d = asCustomer(caller, id, Set.of(DisputeStatus.AWAITING_REPLACEMENT_CONFIRMATION),
                "confirm the replacement");
        journal.record(d, caller.userId(), works ? "REPLACEMENT_WORKS" : "REPLACEMENT_FAILED",
                works ? "买家确认补发商品可用。" : "买家反馈补发商品仍不可用。", Notify.MERCHANT);
        correlate(id, works ? Message.REPLACEMENT_WORKS : Message.REPLACEMENT_FAILED,
                "the replacement is no longer awaiting confirmation");
        return disputes.get(id);
    }

    @Transactional
    public Dispute formalRequest(Caller caller, String id, String statement) {
        return formalRequest(caller, id, statement, null);
    }

    /**
     * Step 2. The customer must first have brought the evidence processes/required-evidence.dmn asks for
     * the reason (409 naming what is missing); {@code reportedCardKey} is the key the customer says they got.
     */
    @Transactional
    public Dispute formalRequest(Caller caller, String id, String statement, String reportedCardKey) {
        Dispute d = asCustomer(caller, id, Set.of(DisputeStatus.MERCHANT_REFUSED), "file the formal refund request");
        List<RequiredEvidence.Requirement> missing = requiredEvidence.missing(d, Party.CUSTOMER);
        if (!missing.isEmpty()) {
            throw new WrongState("the formal refund request for " + d.reason() + " needs your evidence first: "
                    + missing + "; add it with POST /api/v1/disputes/" + id + "/evidence");
        }
        if (reportedCardKey != null && !reportedCardKey.isBlank()) {
            disputes.setReportedCardKey(id, reportedCardKey.trim());
        }
        journal.record(d, caller.userId(), "FORMAL_REQUEST", "买家提交正式退款申请：" + statement, Notify.MERCHANT);
        correlate(id, Message.FORMAL_REQUEST_FILED, "the formal request can no longer be filed");
        return disputes.get(id);
    }

    @Transactional
    public Dispute intervention(Caller caller, String id, String statement) {
        Dispute d = asCustomer(caller, id, Set.of(DisputeStatus.MERCHANT_REFUSED, DisputeStatus.REVIEW_REJECTED),
                "ask for platform intervention");
        journal.record(d, caller.userId(), "INTERVENTION_REQUESTED", "买家申请平台介入：" + statement, Notify.MERCHANT);
        correlate(id, Message.INTERVENTION_REQUESTED, "platform intervention can no longer be requested");
        return disputes.get(id);
    }

    @Transactional
    public Dispute escalation(Caller caller, String id, String note) {
        Dispute d = asCustomer(caller, id, Set.of(DisputeStatus.UNDER_REVIEW), "escalate the review");
        if (!d.escalationAllowed()) {
            throw new WrongState("the review of dispute " + id + " is still within its 3 working days;"
                    + " escalation (升级处理) is possible only after that");
        }
        journal.record(d, caller.userId(), "ESCALATED", "买家申请升级处理：" + note, Notify.BOTH);
        correlate(id, Message.ESCALATION_REQUESTED, "the review is no longer open");
        return disputes.get(id);
    }

    @Transactional
    public Dispute merchantProof(Caller caller, String id, String statement) {
        Dispute d = asMerchant(caller, id, DisputeStatus.IN_ARBITRATION, "declare its proof complete");
        boolean proofWindow = process.waitsFor(id, Message.MERCHANT_PROOF_COMPLETE);
        boolean asked = d.evidenceRequestedFrom() == Party.MERCHANT;
        if (!proofWindow && !asked) {
            throw new WrongState("dispute " + id + " is not waiting for the merchant's proof");
        }
        journal.record(d, caller.userId(), "MERCHANT_PROOF_COMPLETE", "商家确认举证完毕：" + statement, Notify.CUSTOMER);
        correlate(id, proofWindow ? Message.MERCHANT_PROOF_COMPLETE : Message.ADDITIONAL_EVIDENCE_SUBMITTED,
                "the proof deadline has passed");
        return disputes.get(id);
    }

    @Transactional
    public Dispute additionalEvidence(Caller caller, String id, String statement) {
        Dispute d = access.lockVisible(caller, id);
        Party party = d.partyOf(caller.userId());
        if (d.status() != DisputeStatus.IN_ARBITRATION || d.evidenceRequestedFrom() == null) {
            throw new WrongState("the arbiter has not asked you for more evidence in dispute " + id);
        }
        if (party != d.evidenceRequestedFrom()) {
            throw new NotYours("the arbiter asked the " + d.evidenceRequestedFrom().name().toLowerCase(Locale.ROOT)
                    + " for more evidence in dispute " + id + ", not you");
        }
        journal.record(d, caller.userId(), "ADDITIONAL_EVIDENCE", "补充证据已提交：" + statement, Notify.NOBODY);
        correlate(id, Message.ADDITIONAL_EVIDENCE_SUBMITTED, "the evidence deadline has passed");
        return disputes.get(id);
    }

    @Transactional
    public Dispute withdrawal(Caller caller, String id, String note) {
        Dispute d = access.lockVisible(caller, id);
        requireCustomer(caller, d, "withdraw it");
        if (!d.status().withdrawable()) {
            throw new WrongState("dispute " + id + " is " + d.status()
                    + "; it can be withdrawn only before the refund starts");
        }
        journal.record(d, caller.userId(), "WITHDRAWAL", "买家撤回争议：" + (note == null ? "" : note), Notify.MERCHANT);
        correlate(id, Message.DISPUTE_WITHDRAWN, "the dispute can no longer be withdrawn");
        return disputes.get(id);
    }

    @Transactional
    public Dispute arrivalConfirmation(Caller caller, String id, boolean arrived, Long receivedAmountFen) {
        Dispute d = asCustomer(caller, id, Set.of(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION),
                "confirm the refund's arrival");
        long approved = d.approvedAmountFen();
        long received = receivedAmountFen == null ? (arrived ? approved : 0) : receivedAmountFen;
        if (received < 0 || received > d.paidAmountFen()) {
            throw BadInput.field("receivedAmountFen", "must be between 0 and the " + d.paidAmountFen() + " fen paid");
        }
        refunds.recordReceived(id, received);
        boolean ok = arrived && received >= approved;
        journal.record(d, caller.userId(), ok ? "ARRIVAL_CONFIRMED" : "ARRIVAL_DISPUTED", ok
                ? "买家确认退款 " + Money.yuan(received) + " 已到账。"
                : "买家反馈退款未足额到账：收到 " + Money.yuan(received) + "，应为 " + Money.yuan(approved) + "。", Notify.NOBODY);
        correlate(id, ok ? Message.ARRIVAL_CONFIRMED : Message.ARRIVAL_DISPUTED, "the refund is no longer awaiting confirmation");
        return disputes.get(id);
    }

    private Dispute asCustomer(Caller caller, String id, Set<DisputeStatus> allowed, String action) {
        Dispute d = access.lockVisible(caller, id);
        requireCustomer(caller, d, action);
        if (!allowed.contains(d.status())) {
            throw new WrongState("dispute " + id + " is " + d.status() + "; you can " + action + " only while it is "
                    + (allowed.size() == 1 ? allowed.iterator().next() : allowed));
        }
        return d;
    }

    private static void requireCustomer(Caller caller, Dispute d, String action) {
        if (!d.customerId().equals(caller.userId())) {
            throw new NotYours("only the customer of dispute " + d.id() + " may " + action);
        }
    }

    private Dispute asMerchant(Caller caller, String id, DisputeStatus allowed, String action) {
        Dispute d = access.lockVisible(caller, id);
        if (!d.merchantId().equals(caller.userId())) {
            throw new NotYours("only the merchant of dispute " + id + " may " + action);
        }
        if (d.status() != allowed) {
            throw new WrongState("dispute " + id + " is " + d.status() + "; the merchant can " + action
                    + " only while it is " + allowed);
        }
        return d;
    }

    /** Moves the process on; if the step already moved (a timer won the race) the whole action is undone. */
    private void correlate(String id, String message, String whyNot) {
        if (!process.correlate(id, message)) {
            throw new WrongState("dispute " + id + ": " + whyNot);
        }
    }
}
