package cn.kameng.refunddesk.abuse;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import cn.kameng.refunddesk.dispute.AfterCommit;
import cn.kameng.refunddesk.dispute.Caller;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeRepository;
import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.DomainException.NotYours;
import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.order.Order;
import cn.kameng.refunddesk.order.OrderDirectory;
import cn.kameng.refunddesk.process.DecisionTables;
import cn.kameng.refunddesk.process.ProcessIds;

/**
 * Abuse that is seen (docs/adr/0067-abuse-flags.md): the facts of a dispute's customer, card key and merchant,
 * counted in Java over our tables and the order directory, asked of processes/abuse-flags.dmn, and the flags it
 * answers kept on the dispute for staff. A flag informs the reviewer, the arbiters and operations; nothing reads
 * it to decide, and the process never sees it. The parties it concerns never see it either.
 */
@Service
public class AbuseFlags {

    private static final Logger log = LoggerFactory.getLogger(AbuseFlags.class);

    /** The operations list: one page of flags raised since a moment, and how many there are in all. */
    public record FlagPage(List<RaisedFlag> flags, Instant since, int page, int size, long total) {
    }

    private final AbuseRecords records;
    private final DecisionTables decisions;
    private final OrderDirectory orders;
    private final DisputeRepository disputes;
    private final AbuseProperties windows;
    private final MeterRegistry registry;

    AbuseFlags(AbuseRecords records, DecisionTables decisions, OrderDirectory orders, DisputeRepository disputes,
            AbuseProperties windows, MeterRegistry registry) {
        this.records = records;
        this.decisions = decisions;
        this.orders = orders;
        this.disputes = disputes;
        this.windows = windows;
        this.registry = registry;
        for (AbuseFlag flag : AbuseFlag.values()) {
            counter(flag);
        }
    }

    /**
     * On opening: notes the card key the order delivered, counts the dispute's facts and raises what the table
     * answers (in the caller's transaction). Returns the flags raised now.
     */
    @Transactional
    public List<RaisedFlag> evaluateOnOpening(Dispute d, Order order) {
        deliveredKey(order).ifPresent(k -> records.noteCardKey(d, k, AbuseRecords.KeySource.DELIVERED));
        return evaluate(d, Stage.OPENED);
    }

    /**
     * When the dispute goes to arbitration: notes the key the customer reported (and the order's, for a dispute
     * opened without {@link #evaluateOnOpening}, by a complaint), counts every fact again and raises the flags the
     * dispute does not have yet. Returns the flags raised now.
     */
    @Transactional
    public List<RaisedFlag> evaluateAtArbitration(Dispute d) {
        if (!records.hasDeliveredKey(d.id())) {
            orderOf(d).flatMap(AbuseFlags::deliveredKey)
                    .ifPresent(k -> records.noteCardKey(d, k, AbuseRecords.KeySource.DELIVERED));
        }
        disputes.reportedCardKey(d.id()).filter(k -> !k.isBlank())
                .ifPresent(k -> records.noteCardKey(d, k, AbuseRecords.KeySource.REPORTED));
        return evaluate(d, Stage.ARBITRATION);
    }

    private List<RaisedFlag> evaluate(Dispute d, Stage stage) {
        Facts facts = factsOf(d);
        Instant now = ServiceClock.now();
        List<AbuseFlag> raised = new ArrayList<>();
        for (Map<String, Object> row : decisions.collect(ProcessIds.DECISION_ABUSE_FLAGS, facts.input())) {
            Optional<AbuseFlag> flag = named(AbuseFlag.class, row.get("flag"));
            Optional<Audience> audience = named(Audience.class, row.get("audience"));
            if (flag.isEmpty() || audience.isEmpty()) {
                log.warn("processes/abuse-flags.dmn answered flag {} for {}, audience {}; a flag must be one of {} and"
                        + " an audience one of {}: the row is left out", row.get("flag"), d.id(), row.get("audience"),
                        List.of(AbuseFlag.values()), List.of(Audience.values()));
                continue;
            }
            Object sentence = row.get("sentence");
            String words = facts.words(flag.get());
            if (records.raise(d, flag.get(), audience.get(), sentence == null ? flag.get().label() : sentence.toString(),
                    words, stage, now)) {
                raised.add(flag.get());
                log.info("abuse flag {} raised on dispute {} ({}, for {}): {}", flag.get(), d.id(), stage,
                        audience.get(), words);
                AfterCommit.run(() -> counter(flag.get()).increment());
            }
        }
        return records.ofDispute(d.id()).stream().filter(f -> raised.contains(f.flag())).toList();
    }

    /** The dispute's flags, in the order they were raised. */
    public List<RaisedFlag> of(String disputeId) {
        return records.ofDispute(disputeId);
    }

    /** The flags a form shows to whom it is for: the reviewer's REVIEWER flags; an arbiter's REVIEWER and ARBITER ones. */
    public List<RaisedFlag> forForm(String disputeId, Set<Audience> audiences) {
        return records.ofDispute(disputeId).stream().filter(f -> audiences.contains(f.audience())).toList();
    }

    /** Every flag raised since {@code since} (ISO-8601; all when null), newest first: operations and administrators. */
    @Transactional(readOnly = true)
    public FlagPage since(Caller caller, String since, int page, int size) {
        if (!caller.in(Caller.OPERATIONS) && !caller.in(Caller.ADMINS)) {
            throw new NotYours("the abuse flags of every dispute are for operations");
        }
        Instant from;
        try {
            from = since == null || since.isBlank() ? Instant.EPOCH : Instant.parse(since.trim());
        } catch (DateTimeParseException e) {
            throw BadInput.field("since", "must be an instant in ISO-8601 such as 2026-12-01T00:00:00Z (was "
                    + since + ")");
        }
        return new FlagPage(records.since(from, page, size), from, page, size, records.countSince(from));
    }

    Facts factsOf(Dispute d) {
        Instant now = ServiceClock.now();
        Instant customerFrom = now.minus(windows.customerWindow());
        Instant purchaseFrom = now.minus(windows.purchaseWindow());
        Instant merchantFrom = now.minus(windows.merchantWindow());
        // the order directory's [from, to): to just past now, so an order taken this instant is counted
        Instant until = now.plusSeconds(1);
        OptionalLong bought = ask("what customer " + d.customerId() + " bought",
                () -> orders.boughtBy(d.customerId(), purchaseFrom, until));
        OptionalLong merchantOrders = ask("the orders of merchant " + d.merchantId(),
                () -> orders.ordersOf(d.merchantId(), merchantFrom, until));
        return new Facts(windows.customerWindow(), records.customerDisputes(d.customerId(), customerFrom, now),
                windows.purchaseWindow(), records.customerClaimedFen(d.customerId(), purchaseFrom, now),
                bought.isPresent() ? bought.getAsLong() : null,
                windows.cardKeyWindow(), records.cardKeyCustomers(d.id(), now.minus(windows.cardKeyWindow()), now),
                windows.merchantWindow(), records.merchantDisputes(d.merchantId(), merchantFrom, now),
                merchantOrders.isPresent() ? merchantOrders.getAsLong() : null);
    }

    private static Optional<String> deliveredKey(Order order) {
        return Optional.ofNullable(order.deliveredCardKey()).filter(k -> !k.isBlank());
    }

    /** The dispute's order, or empty when the order records cannot be reached (a flag never blocks a step). */
    private Optional<Order> orderOf(Dispute d) {
        try {
            return orders.find(d.orderId());
        } catch (RuntimeException e) {
            log.warn("the order {} of dispute {} could not be read for its card key; the flags are counted without it:"
                    + " {}", d.orderId(), d.id(), e.getMessage());
            return Optional.empty();
        }
    }

    /** A number the order records may not give: unknown when they cannot be reached (a flag never blocks a step). */
    private static OptionalLong ask(String what, Supplier<OptionalLong> question) {
        try {
            return question.get();
        } catch (RuntimeException e) {
            log.warn("{} could not be read from the order directory; that flag is not evaluated: {}", what,
                    e.getMessage());
            return OptionalLong.empty();
        }
    }

    private static <E extends Enum<E>> Optional<E> named(Class<E> type, Object value) {
        return EnumSet.allOf(type).stream().filter(e -> e.name().equals(value)).findFirst();
    }

    private Counter counter(AbuseFlag flag) {
        return Counter.builder("kameng.abuse.flags").description("Abuse flags raised on disputes (processes/abuse-flags.dmn)")
                .tag("flag", flag.name()).register(registry);
    }
}
