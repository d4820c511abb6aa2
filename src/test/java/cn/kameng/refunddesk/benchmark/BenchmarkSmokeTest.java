package cn.kameng.refunddesk.benchmark;

import org.springframework.test.context.TestPropertySource;

/**
 * The benchmark at 2 % of its size inside the normal build: proves that every measure runs end to end
 * and that its self-checks hold (every dispute reaches its wait state, moves on when its timer falls due,
 * is closed once refunded exactly once, every task is in the queue). It asserts no timing.
 */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:benchmark-smoke-${random.uuid};DB_CLOSE_DELAY=-1")
class BenchmarkSmokeTest extends BenchmarkRun {

    @Override
    String database() {
        return "H2 (smoke)";
    }

    @Override
    double scale() {
        return 0.02;
    }

    @Override
    String resultsDirectory() {
        return "target/benchmark/smoke";
    }
}
