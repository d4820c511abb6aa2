package cn.kameng.refunddesk.platform;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * One platform system's health, read from its circuit breaker (what the real calls saw; no call of its own):
 * DOWN while the breaker is open, UP otherwise, with the breaker's state and failure rate. Not part of the
 * readiness group: a platform system down makes its checks CANNOT_RUN and new disputes 503, but the service
 * still serves everything else.
 */
final class PlatformHealth implements HealthIndicator {

    private final PlatformSystem system;
    private final CircuitBreaker breaker;
    private final String baseUrl;

    PlatformHealth(PlatformSystem system, CircuitBreaker breaker, String baseUrl) {
        this.system = system;
        this.breaker = breaker;
        this.baseUrl = baseUrl;
    }

    @Override
    public Health health() {
        CircuitBreaker.State state = breaker.getState();
        Health.Builder health = switch (state) {
            case OPEN, FORCED_OPEN -> Health.down();
            default -> Health.up();
        };
        CircuitBreaker.Metrics metrics = breaker.getMetrics();
        return health.withDetail("system", system.words()).withDetail("baseUrl", baseUrl)
                .withDetail("circuitBreaker", state.name())
                .withDetail("failureRatePercent", metrics.getFailureRate())
                .withDetail("failedCalls", metrics.getNumberOfFailedCalls())
                .withDetail("notPermittedCalls", metrics.getNumberOfNotPermittedCalls())
                .build();
    }
}
