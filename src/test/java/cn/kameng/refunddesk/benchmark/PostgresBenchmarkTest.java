package cn.kameng.refunddesk.benchmark;

import java.sql.SQLException;

import org.junit.jupiter.api.Tag;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import cn.kameng.refunddesk.support.EmbeddedPostgresServer;

/** The full benchmark on a real PostgreSQL (embedded server, a fresh database). */
@Tag("benchmark")
class PostgresBenchmarkTest extends BenchmarkRun {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws SQLException {
        EmbeddedPostgresServer.newDatabase(registry);
    }

    @Override
    String database() {
        return "PostgreSQL";
    }
}
