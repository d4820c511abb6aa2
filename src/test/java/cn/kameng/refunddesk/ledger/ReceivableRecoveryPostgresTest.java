package cn.kameng.refunddesk.ledger;

import java.sql.SQLException;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import cn.kameng.refunddesk.support.EmbeddedPostgresServer;

/** The recovery task, its recoveries and write-offs on a real PostgreSQL (production's database). */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ReceivableRecoveryPostgresTest extends ReceivableRecoveryTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws SQLException {
        EmbeddedPostgresServer.newDatabase(registry);
    }
}
