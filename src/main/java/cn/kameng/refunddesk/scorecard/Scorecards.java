package cn.kameng.refunddesk.scorecard;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import cn.kameng.refunddesk.dispute.Caller;
import cn.kameng.refunddesk.dispute.ComplaintChannel;
import cn.kameng.refunddesk.dispute.DomainException.NotFound;
import cn.kameng.refunddesk.dispute.DomainException.NotYours;
import cn.kameng.refunddesk.order.OrderDirectory;

/**
 * Merchant scorecards (docs/adr/0063-merchant-scorecards.md): operations and administrators read any
 * merchant's, a merchant only its own (another's is 404, as another party's dispute is), nobody else.
 */
@Service
public class Scorecards {

    private final ScorecardRecords records;
    private final OrderDirectory orders;
    private final int maxRangeDays;

    Scorecards(ScorecardRecords records, OrderDirectory orders, ScorecardProperties properties) {
        this.records = records;
        this.orders = orders;
        this.maxRangeDays = properties.maxRangeDays();
    }

    /** The period a request asks for, checked against dispute.scorecards.max-range-days. */
    public Period period(String from, String to) {
        return Period.parse(from, to, maxRangeDays);
    }

    @Transactional(readOnly = true)
    public Scorecard of(Caller caller, String merchantId, Period period) {
        if (!operations(caller)) {
            if (!caller.in(Caller.MERCHANTS)) {
                throw new NotYours("a merchant scorecard is for operations and the merchant itself");
            }
            if (!caller.userId().equals(merchantId)) {
                throw new NotFound("no scorecard of merchant " + merchantId + " that you may see");
            }
        }
        return compute(merchantId, period);
    }

    /** Every merchant with a dispute opened in the period (operations and administrators only). */
    @Transactional(readOnly = true)
    public List<Scorecard> all(Caller caller, Period period) {
        if (!operations(caller)) {
            throw new NotYours("the scorecards of every merchant are for operations");
        }
        return records.merchantsWithDisputes(period.start(), period.end()).stream()
                .map(merchant -> compute(merchant, period)).toList();
    }

    private static boolean operations(Caller caller) {
        return caller.in(Caller.OPERATIONS) || caller.in(Caller.ADMINS);
    }

    private Scorecard compute(String merchant, Period period) {
        var start = period.start();
        var end = period.end();
        long opened = records.disputesOpened(merchant, start, end);
        OptionalLong orderCount = orders.ordersOf(merchant, start, end);
        Long ordersTaken = orderCount.isPresent() ? orderCount.getAsLong() : null;
        BigDecimal perThousand = ordersTaken == null || ordersTaken == 0 ? null
                : BigDecimal.valueOf(opened * 1000).divide(BigDecimal.valueOf(ordersTaken), 2, RoundingMode.HALF_UP);
        var refunds = records.settledRefunds(merchant, start, end);
        var arbitration = records.arbitration(merchant, start, end);
        BigDecimal proofMissingRate = arbitration.reached() == 0 ? null
                : BigDecimal.valueOf(arbitration.proofMissing()).divide(BigDecimal.valueOf(arbitration.reached()), 4,
                        RoundingMode.HALF_UP);
        List<Duration> answers = records.answerTimes(merchant, start, end);
        Map<ComplaintChannel, Long> complaints = perChannel();
        Map<ComplaintChannel, Long> repeats = perChannel();
        Set<String> ordersComplained = new HashSet<>();
        Set<String> buyersComplained = new HashSet<>();
        for (var c : records.complaints(merchant, start, end)) {
            complaints.merge(c.channel(), 1L, Long::sum);
            boolean again = ordersComplained.contains(c.orderId()) || buyersComplained.contains(c.buyerId());
            if (again) {
                repeats.merge(c.channel(), 1L, Long::sum);
            }
            ordersComplained.add(c.orderId());
            buyersComplained.add(c.buyerId());
        }
        return new Scorecard(merchant, period.from(), period.to(), opened, ordersTaken, perThousand, refunds.count(),
                refunds.amountFen(), records.rulingsLost(merchant, start, end), arbitration.reached(),
                arbitration.proofMissing(), proofMissingRate, answers.size(), medianSeconds(answers), complaints,
                repeats);
    }

    /** The middle answer time, or the mean of the two middle ones, in whole seconds (rounded down). */
    static Long medianSeconds(List<Duration> times) {
        if (times.isEmpty()) {
            return null;
        }
        List<Long> sorted = times.stream().map(Duration::toSeconds).sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : Math.floorDiv(sorted.get(middle - 1) + sorted.get(middle), 2);
    }

    private static Map<ComplaintChannel, Long> perChannel() {
        Map<ComplaintChannel, Long> counts = new EnumMap<>(ComplaintChannel.class);
        for (ComplaintChannel channel : ComplaintChannel.values()) {
            counts.put(channel, 0L);
        }
        return counts;
    }
}
