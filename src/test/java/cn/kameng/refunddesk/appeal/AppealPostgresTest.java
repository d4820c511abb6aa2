package cn.kameng.refunddesk.appeal;

import java.sql.SQLException;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import cn.kameng.refunddesk.support.EmbeddedPostgresServer;

/** The same appeal scenarios on a real PostgreSQL (production's database): row locks, the one-appeal key, the ledger. */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class AppealPostgresTest extends AppealTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws SQLException {
        EmbeddedPostgresServer.newDatabase(registry);
    }
}
