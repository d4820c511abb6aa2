package cn.kameng.refunddesk.benchmark;

import org.junit.jupiter.api.Tag;
import org.springframework.test.context.TestPropertySource;

/** The full benchmark on H2, the embedded default (a file database, as `mvn spring-boot:run` uses). */
@Tag("benchmark")
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:file:./target/benchmark/db/h2-${random.uuid};LOCK_TIMEOUT=10000")
class H2BenchmarkTest extends BenchmarkRun {

    @Override
    String database() {
        return "H2";
    }
}
