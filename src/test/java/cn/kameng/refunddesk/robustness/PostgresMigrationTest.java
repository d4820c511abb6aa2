package cn.kameng.refunddesk.robustness;

import java.sql.SQLException;

import cn.kameng.refunddesk.support.EmbeddedPostgresServer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service on PostgreSQL (production's database), on an embedded server (see
 * {@link EmbeddedPostgresServer}) and a database of its own: Flyway first, then the engine, then a
 * dispute from open to refunded. The context is closed after the class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "camunda.bpm.job-execution.enabled=false",
        "dispute.sandbox.gateway.auto-settle=false",
        "dispute.notifications.relay-interval=PT1H",
        "dispute.evidence.directory=target/test-evidence/${random.uuid}"
})
@DirtiesContext
class PostgresMigrationTest extends MigrationScenario {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws SQLException {
        EmbeddedPostgresServer.newDatabase(registry);
    }

    @Override
    String expectedDatabase() {
        return "PostgreSQL";
    }
}
