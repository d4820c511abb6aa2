package cn.kameng.refunddesk.restriction;

import java.sql.SQLException;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import cn.kameng.refunddesk.support.EmbeddedPostgresServer;

/** The same restriction scenarios on a real PostgreSQL (production's database). */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RestrictionPostgresTest extends RestrictionTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws SQLException {
        EmbeddedPostgresServer.newDatabase(registry);
    }
}
