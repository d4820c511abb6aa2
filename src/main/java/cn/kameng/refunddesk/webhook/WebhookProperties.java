package cn.kameng.refunddesk.webhook;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code dispute.webhooks.*}: who is sent the events, and how long a subscriber may take. Secrets come from
 * the environment (e.g. {@code DISPUTE_WEBHOOKS_SUBSCRIBERS_0_SECRET}), never from the repository.
 * Checked at start-up by {@link Subscribers}.
 */
@ConfigurationProperties(prefix = "dispute.webhooks")
record WebhookProperties(
        @DefaultValue List<Subscriber> subscribers,
        @DefaultValue("PT3S") Duration connectTimeout,
        @DefaultValue("PT10S") Duration readTimeout) {

    /**
     * One receiver: its absolute http(s) URL, the shared secret that signs what it is sent (at least 32
     * bytes), the wire names of the events it wants (all when empty), and the name the delivery log and
     * the redelivery action call it by (the URL when not given).
     */
    record Subscriber(String name, String url, String secret, List<String> events) {

        @Override
        public String toString() {
            return "Subscriber[name=" + name + ", url=" + url + ", events=" + events + "]"; // never the secret
        }
    }
}
