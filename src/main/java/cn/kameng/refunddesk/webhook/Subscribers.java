package cn.kameng.refunddesk.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Component;

/** The configured subscribers, checked once: the service does not start with one it could not serve. */
@Component
class Subscribers {

    /** The smallest secret accepted: 32 bytes, as many as HMAC-SHA256's output. */
    static final int MIN_SECRET_BYTES = 32;

    /** A checked subscriber. */
    record Subscriber(String name, URI url, byte[] secret, Set<WebhookEventType> events) {

        boolean wants(WebhookEventType type) {
            return events.contains(type);
        }

        @Override
        public String toString() {
            return name + " (" + url + ")"; // never the secret
        }
    }

    private final List<Subscriber> all;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    Subscribers(WebhookProperties properties) {
        this.connectTimeout = positive(properties.connectTimeout(), "connect-timeout");
        this.readTimeout = positive(properties.readTimeout(), "read-timeout");
        List<Subscriber> checked = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<WebhookProperties.Subscriber> configured = properties.subscribers() == null ? List.of()
                : properties.subscribers();
        for (int i = 0; i < configured.size(); i++) {
            Subscriber s = check(i, configured.get(i));
            if (!names.add(s.name())) {
                throw new IllegalStateException("dispute.webhooks.subscribers[" + i + "].name '" + s.name()
                        + "' is used by another subscriber: the delivery log tells them apart by name");
            }
            checked.add(s);
        }
        this.all = List.copyOf(checked);
    }

    private static Subscriber check(int i, WebhookProperties.Subscriber s) {
        String at = "dispute.webhooks.subscribers[" + i + "]";
        if (s.url() == null || s.url().isBlank()) {
            throw new IllegalStateException(at + ".url is not set: every subscriber needs the absolute http(s) URL "
                    + "its events are posted to");
        }
        URI url;
        try {
            url = new URI(s.url().trim());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(at + ".url '" + s.url() + "' is not a URL: " + e.getMessage());
        }
        if (!url.isAbsolute() || url.getHost() == null
                || !("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))) {
            throw new IllegalStateException(at + ".url '" + s.url() + "' must be an absolute http:// or https:// URL "
                    + "with a host");
        }
        if (s.secret() == null || s.secret().isEmpty()) {
            throw new IllegalStateException(at + ".secret is not set for " + url + ": events are signed with the "
                    + "subscriber's secret; set it from the environment (DISPUTE_WEBHOOKS_SUBSCRIBERS_" + i
                    + "_SECRET), at least " + MIN_SECRET_BYTES + " bytes");
        }
        byte[] secret = s.secret().getBytes(StandardCharsets.UTF_8);
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalStateException(at + ".secret for " + url + " is " + secret.length + " bytes: at least "
                    + MIN_SECRET_BYTES + " are needed (e.g. `openssl rand -hex 32`)");
        }
        Set<WebhookEventType> events = EnumSet.noneOf(WebhookEventType.class);
        if (s.events() == null || s.events().isEmpty()) {
            events = EnumSet.allOf(WebhookEventType.class);
        } else {
            for (String name : s.events()) {
                events.add(WebhookEventType.byWireName(name == null ? "" : name.trim()).orElseThrow(
                        () -> new IllegalStateException(at + ".events names '" + name + "', which is no event; the "
                                + "events are " + Arrays.stream(WebhookEventType.values())
                                        .map(WebhookEventType::wireName).toList())));
            }
        }
        String name = s.name() == null || s.name().isBlank() ? url.toString() : s.name().trim();
        if (name.length() > 100) {
            throw new IllegalStateException(at + ".name (or, without one, the URL) is longer than 100 characters: "
                    + "give the subscriber a shorter name");
        }
        return new Subscriber(name, url, secret, events);
    }

    private static Duration positive(Duration d, String property) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalStateException("dispute.webhooks." + property + " must be a positive duration (got " + d
                    + ")");
        }
        return d;
    }

    List<Subscriber> all() {
        return all;
    }

    Optional<Subscriber> named(String name) {
        return all.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    Duration connectTimeout() {
        return connectTimeout;
    }

    Duration readTimeout() {
        return readTimeout;
    }
}
