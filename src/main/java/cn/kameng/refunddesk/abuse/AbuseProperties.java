package cn.kameng.refunddesk.abuse;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** dispute.abuse.* (application.yaml): the windows the facts of processes/abuse-flags.dmn are counted over. */
@ConfigurationProperties(prefix = "dispute.abuse")
record AbuseProperties(Duration customerWindow, Duration purchaseWindow, Duration cardKeyWindow,
        Duration merchantWindow) {

    AbuseProperties {
        positive("customer-window", customerWindow);
        positive("purchase-window", purchaseWindow);
        positive("card-key-window", cardKeyWindow);
        positive("merchant-window", merchantWindow);
    }

    private static void positive(String name, Duration window) {
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("dispute.abuse." + name + " must be a positive duration such as P30D"
                    + " (was " + window + ")");
        }
    }
}
