package cn.kameng.refunddesk.wechatpay;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code payment.wechatpay.complaints.*}: WeChat Pay 消费者投诉2.0 as the complaint source
 * {@code wechatpay-complaint-v2}, on the merchant keys of {@code payment.wechatpay.*} (ADR 0068).
 */
@ConfigurationProperties(prefix = "payment.wechatpay.complaints")
record WechatPayComplaintProperties(
        @DefaultValue("false") boolean enabled,
        /** WeChat Pay's rule: the merchant's first reply within this long of the complaint (calendar hours). */
        @DefaultValue("PT24H") Duration replyWithin,
        /** ... and the complaint handled (complete, or the refund decided) within this long. */
        @DefaultValue("PT72H") Duration completeWithin,
        /** The public https URL of /api/v1/channels/wechatpay-complaint-v2/complaint-notifications. */
        URI notifyUrl,
        /** At start, read the registered notification URL and create or correct it to {@link #notifyUrl}. */
        @DefaultValue("true") boolean registerNotifyUrl,
        /** The list's longest window: its begin_date and end_date may span at most 30 days. */
        @DefaultValue("P29D") Duration longestWindow,
        /** Complaints per list page (WeChat Pay: 1 to 50). */
        @DefaultValue("50") int pageSize) {

    WechatPayComplaintProperties {
        if (enabled) {
            if (pageSize < 1 || pageSize > 50) {
                throw new IllegalStateException("payment.wechatpay.complaints.page-size must be 1 to 50 (WeChat Pay's"
                        + " limit), not " + pageSize);
            }
            if (longestWindow.isNegative() || longestWindow.isZero() || longestWindow.compareTo(Duration.ofDays(29)) > 0) {
                throw new IllegalStateException("payment.wechatpay.complaints.longest-window must be positive and at"
                        + " most P29D (the list's dates may span 30 days), not " + longestWindow);
            }
            if (replyWithin.isNegative() || replyWithin.isZero() || completeWithin.compareTo(replyWithin) < 0) {
                throw new IllegalStateException("payment.wechatpay.complaints.reply-within must be positive and at most"
                        + " complete-within (got " + replyWithin + " and " + completeWithin + ")");
            }
            if (registerNotifyUrl && (notifyUrl == null || !"https".equals(notifyUrl.getScheme()))) {
                throw new IllegalStateException("payment.wechatpay.complaints.notify-url must be the public https URL of"
                        + " /api/v1/channels/wechatpay-complaint-v2/complaint-notifications (got " + notifyUrl
                        + "), or set register-notify-url: false");
            }
        }
    }
}
