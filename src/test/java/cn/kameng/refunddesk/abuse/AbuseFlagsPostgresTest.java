package cn.kameng.refunddesk.abuse;

import java.sql.SQLException;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import cn.kameng.refunddesk.support.EmbeddedPostgresServer;

/** The same abuse-flag scenarios on a real PostgreSQL (production's database): the counts and idempotent inserts. */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class AbuseFlagsPostgresTest extends AbuseFlagsTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws SQLException {
        EmbeddedPostgresServer.newDatabase(registry);
    }
}
