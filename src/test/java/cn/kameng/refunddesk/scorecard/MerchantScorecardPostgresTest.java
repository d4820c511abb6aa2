package cn.kameng.refunddesk.scorecard;

import java.sql.SQLException;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import cn.kameng.refunddesk.support.EmbeddedPostgresServer;

/** The same scorecards on a real PostgreSQL (production's database): the SQL reads alike on both. */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class MerchantScorecardPostgresTest extends MerchantScorecardTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws SQLException {
        EmbeddedPostgresServer.newDatabase(registry);
    }
}
