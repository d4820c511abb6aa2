package cn.kameng.refunddesk.ledger;

import java.sql.SQLException;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import cn.kameng.refunddesk.support.EmbeddedPostgresServer;

/**
 * The same ledger scenarios on a real PostgreSQL (production's database): its row locks, its "insert if absent"
 * for a merchant's first account and its check that no deposit goes negative.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class DepositLedgerPostgresTest extends DepositLedgerTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws SQLException {
        EmbeddedPostgresServer.newDatabase(registry);
    }
}
