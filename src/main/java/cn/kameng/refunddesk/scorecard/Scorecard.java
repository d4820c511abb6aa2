package cn.kameng.refunddesk.scorecard;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;

import cn.kameng.refunddesk.dispute.ComplaintChannel;

/**
 * One merchant's numbers for one period [from, to) (Beijing dates), all about the disputes opened in it
 * (the cohort) except complaints, which count those received in it. A number that cannot be known is null,
 * never 0: {@code orders} and {@code disputesPerThousandOrders} when the order records cannot say,
 * the rate when no dispute reached arbitration, the median when the merchant answered none.
 *
 * @param disputesOpened disputes opened in the period
 * @param orders orders the merchant took in the period, as the order system says (null: it cannot say)
 * @param disputesPerThousandOrders disputesOpened × 1,000 / orders, two decimals (null without orders)
 * @param refundsSettled refunds of those disputes the gateway settled (status SUCCEEDED)
 * @param refundedFen what those refunds paid, in fen
 * @param rulingsLost rulings for the buyer (REFUND_FULL, REFUND_PARTIAL)
 * @param reachedArbitration disputes the platform took over (INTERVENTION_OPENED)
 * @param merchantProofMissing of those, the ones where the merchant failed its burden of proof (举证不能)
 * @param merchantProofMissingRate merchantProofMissing / reachedArbitration, four decimals
 * @param merchantAnswers disputes the merchant answered (accept, partial offer, replacement, refusal)
 * @param medianAnswerSeconds median time from opening to that answer, in whole seconds
 * @param complaints outside complaints received in the period, per channel (every channel present)
 * @param repeatComplaints of those, the repeats: an earlier complaint of the period, on any channel, was about
 *        the same order or came from the same buyer (counted on the repeat's channel)
 */
public record Scorecard(String merchantId, LocalDate from, LocalDate to, long disputesOpened, Long orders,
        BigDecimal disputesPerThousandOrders, long refundsSettled, long refundedFen, long rulingsLost,
        long reachedArbitration, long merchantProofMissing, BigDecimal merchantProofMissingRate,
        long merchantAnswers, Long medianAnswerSeconds, Map<ComplaintChannel, Long> complaints,
        Map<ComplaintChannel, Long> repeatComplaints) {
}
