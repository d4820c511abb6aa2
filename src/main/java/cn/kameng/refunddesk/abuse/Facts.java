package cn.kameng.refunddesk.abuse;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import cn.kameng.refunddesk.dispute.Money;

/**
 * What processes/abuse-flags.dmn is asked with, counted from our tables and the order directory at one moment.
 * {@code customerBoughtFen}, {@code merchantOrders} and the ratios are null when the order records cannot say.
 */
record Facts(Duration customerWindow, long customerDisputes, Duration purchaseWindow, long customerClaimedFen,
        Long customerBoughtFen, Duration cardKeyWindow, long cardKeyCustomers, Duration merchantWindow,
        long merchantDisputes, Long merchantOrders) {

    Double claimShare() {
        return customerBoughtFen == null || customerBoughtFen == 0 ? null
                : (double) customerClaimedFen / customerBoughtFen;
    }

    Double merchantDisputeRate() {
        return merchantOrders == null || merchantOrders == 0 ? null : (double) merchantDisputes / merchantOrders;
    }

    /** The table's input columns by name; a value the records cannot give is null (it matches no threshold). */
    Map<String, Object> input() {
        Map<String, Object> input = new HashMap<>();
        input.put("customerDisputes", customerDisputes);
        input.put("customerClaimedFen", customerClaimedFen);
        input.put("claimShare", claimShare());
        input.put("cardKeyCustomers", cardKeyCustomers);
        input.put("merchantOrders", merchantOrders);
        input.put("merchantDisputeRate", merchantDisputeRate());
        return input;
    }

    /** The facts a flag rests on, in words for staff. */
    String words(AbuseFlag flag) {
        return switch (flag) {
            case FREQUENT_DISPUTER -> days(customerWindow) + " 天内发起争议 " + customerDisputes + " 起（含本案）";
            case CLAIMS_EXCEED_PURCHASES -> days(purchaseWindow) + " 天内申请退款 " + Money.yuan(customerClaimedFen)
                    + "，同期购买 " + (customerBoughtFen == null ? "未知" : Money.yuan(customerBoughtFen))
                    + (claimShare() == null ? "" : "（" + percent(claimShare()) + "）");
            case SHARED_CARD_KEY -> days(cardKeyWindow) + " 天内有 " + cardKeyCustomers + " 位买家就同一卡密发起争议";
            case MERCHANT_DISPUTE_RATE -> days(merchantWindow) + " 天内争议 " + merchantDisputes + " 起 / 订单 "
                    + (merchantOrders == null ? "未知" : merchantOrders) + " 笔"
                    + (merchantDisputeRate() == null ? "" : "（" + percent(merchantDisputeRate()) + "）");
        };
    }

    private static long days(Duration window) {
        return window.toDays();
    }

    private static String percent(double share) {
        return BigDecimal.valueOf(share * 100).setScale(1, RoundingMode.HALF_UP).toPlainString() + "%";
    }
}
