package cn.kameng.refunddesk.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.ServiceClock;

/**
 * Slows password guessing without locking anybody out: a wrong password for a user delays the next
 * attempt <em>from the same source</em> (address) for that user, 3 s doubling to at most 60 s; such an
 * attempt is answered 429 with Retry-After, unchecked. The owner signing in from elsewhere is never
 * refused because someone else guessed wrong (Camunda's own per-user delay, which did exactly that, is
 * off: {@code camunda.bpm.generic-properties}). A right password clears the source's count.
 */
@Component
public class SignInThrottle {

    /** Beyond this many tracked (source, user) pairs, expired ones are dropped. */
    private static final int MAX_TRACKED = 100_000;

    private record Key(String source, String user) {
    }

    private record Failures(int count, Instant blockedUntil) {
    }

    private final Map<Key, Failures> failures = new ConcurrentHashMap<>();
    private final Duration base;
    private final Duration max;

    SignInThrottle(@Value("${dispute.sign-in.delay-base:PT3S}") Duration base,
            @Value("${dispute.sign-in.delay-max:PT60S}") Duration max) {
        this.base = base;
        this.max = max;
    }

    /** How long {@code source} must still wait before trying {@code user}'s password again, if at all. */
    public Optional<Duration> wait(String source, String user) {
        if (user == null) {
            return Optional.empty();
        }
        Failures f = failures.get(new Key(source, user));
        Instant now = ServiceClock.now();
        if (f == null || !f.blockedUntil().isAfter(now)) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, f.blockedUntil()));
    }

    public void failed(String source, String user) {
        if (user == null) {
            return;
        }
        if (failures.size() > MAX_TRACKED) {
            Instant now = ServiceClock.now();
            failures.entrySet().removeIf(e -> e.getValue().blockedUntil().plus(max).isBefore(now));
        }
        failures.compute(new Key(source, user), (k, f) -> {
            int count = f == null ? 1 : Math.min(f.count() + 1, 30);
            Duration delay = base.multipliedBy(1L << Math.min(count - 1, 20));
            return new Failures(count, ServiceClock.now().plus(delay.compareTo(max) > 0 ? max : delay));
        });
    }

    public void succeeded(String source, String user) {
        if (user != null) {
            failures.remove(new Key(source, user));
        }
    }

    /** Whole seconds for a Retry-After header, at least 1. */
    public static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
