package cn.kameng.refunddesk.benchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Tag;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import cn.kameng.refunddesk.support.EmbeddedPostgresServer;

/**
 * The full benchmark on a real PostgreSQL (embedded server, a fresh database). With
 * {@code -Dbenchmark.explain=true} every statement slower than 200 ms is logged with its plan
 * ({@code auto_explain} with ANALYZE and BUFFERS) in the test's output.
 */
@Tag("benchmark")
class PostgresBenchmarkTest extends BenchmarkRun {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws SQLException {
        String url = EmbeddedPostgresServer.newDatabaseUrl();
        if (Boolean.getBoolean("benchmark.explain")) {
            try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
                String db = "\"" + c.getCatalog() + "\"";
                s.execute("alter database " + db + " set session_preload_libraries = 'auto_explain'");
                s.execute("alter database " + db + " set auto_explain.log_min_duration = '200ms'");
                s.execute("alter database " + db + " set auto_explain.log_analyze = on");
                s.execute("alter database " + db + " set auto_explain.log_buffers = on");
                s.execute("alter database " + db + " set log_min_duration_statement = '200ms'");
            }
        }
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
    }

    @Override
    String database() {
        return "PostgreSQL";
    }
}
