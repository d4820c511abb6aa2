package cn.kameng.refunddesk.api;

import java.sql.SQLException;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import cn.kameng.refunddesk.support.EmbeddedPostgresServer;

/**
 * The same API contract on a real PostgreSQL (production's database): a database of its own on the
 * embedded server, Flyway and Camunda create their tables in it exactly as in production.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class DisputeApiPostgresTest extends DisputeApiContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws SQLException {
        EmbeddedPostgresServer.newDatabase(registry);
    }

    @Override
    String expectedDatabaseProduct() {
        return "PostgreSQL";
    }
}
