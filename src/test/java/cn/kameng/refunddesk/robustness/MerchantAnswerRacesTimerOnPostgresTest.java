package cn.kameng.refunddesk.robustness;

import java.sql.SQLException;

import cn.kameng.refunddesk.support.EmbeddedPostgresServer;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link MerchantAnswerRacesTimerTest} on PostgreSQL, production's database, whose row locks and
 * read-committed snapshots are not H2's. Same tests, a database of its own on the embedded server.
 */
@DirtiesContext
class MerchantAnswerRacesTimerOnPostgresTest extends MerchantAnswerRacesTimerTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws SQLException {
        EmbeddedPostgresServer.newDatabase(registry);
    }
}
