package cn.kameng.refunddesk.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import cn.kameng.refunddesk.support.EmbeddedPostgresServer;

/**
 * V2 upgrades a database that V1 made and that already holds refunds: each live refund learns its
 * order, refunds that failed without moving money stay free, and from then on the database itself
 * refuses a second live refund for the same order (from another dispute).
 */
class RefundPerOrderMigrationTest {

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void anUpgradedDatabaseKnowsEachOrdersRefundAndRefusesASecond(String database) throws SQLException {
        DataSource db = "H2".equals(database)
                ? new DriverManagerDataSource("jdbc:h2:mem:v2-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "")
                : new DriverManagerDataSource(EmbeddedPostgresServer.newDatabaseUrl(), "postgres", "");
        Flyway.configure().dataSource(db).target("1").load().migrate();
        JdbcClient jdbc = JdbcClient.create(db);
        dispute(jdbc, "DSP-A", "ORD-1");
        refund(jdbc, "RFD-A1", "DSP-A", "DSP-A-R1", null, "FAILED");
        refund(jdbc, "RFD-A2", "DSP-A", "DSP-A-R2", "DSP-A", "SUCCEEDED");
        dispute(jdbc, "DSP-B", "ORD-2");
        refund(jdbc, "RFD-B1", "DSP-B", "DSP-B-R1", "DSP-B", "PROCESSING");

        Flyway.configure().dataSource(db).load().migrate();

        assertThat(liveOrder(jdbc, "RFD-A1")).as("a released refund").isNull();
        assertThat(liveOrder(jdbc, "RFD-A2")).isEqualTo("ORD-1");
        assertThat(liveOrder(jdbc, "RFD-B1")).isEqualTo("ORD-2");

        dispute(jdbc, "DSP-C", "ORD-1");
        assertThatThrownBy(() -> jdbc.sql("""
                insert into refund (id, dispute_id, idempotency_key, live_dispute_id, live_order_id, channel, amount_fen,
                  status, requested_at) values ('RFD-C1', 'DSP-C', 'DSP-C-R1', 'DSP-C', 'ORD-1', 'ALIPAY', 100,
                  'REQUESTED', current_timestamp)""").update())
                .as("a second live refund for ORD-1").isInstanceOf(DuplicateKeyException.class);
    }

    private static void dispute(JdbcClient jdbc, String id, String orderId) {
        jdbc.sql("""
                insert into dispute (id, order_id, customer_id, merchant_id, reason, description, payment_channel,
                  product_category, paid_amount_fen, claimed_amount_fen, status, opened_at)
                values (?, ?, 'buyer1', 'merchant1', 'DUPLICATE_CHARGE', '重复扣款', 'ALIPAY', 'CARD_KEY', 100, 100,
                  'CLOSED', current_timestamp)""").params(id, orderId).update();
    }

    private static void refund(JdbcClient jdbc, String id, String disputeId, String key, String live, String status) {
        jdbc.sql("""
                insert into refund (id, dispute_id, idempotency_key, live_dispute_id, channel, amount_fen, status,
                  requested_at) values (?, ?, ?, ?, 'ALIPAY', 100, ?, current_timestamp)""")
                .params(id, disputeId, key, live, status).update();
    }

    private static String liveOrder(JdbcClient jdbc, String refundId) {
        return jdbc.sql("select live_order_id from refund where id = ?").param(refundId).query(String.class).optional()
                .orElse(null);
    }
}
