package cn.kameng.refunddesk.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import cn.kameng.refunddesk.support.EmbeddedPostgresServer;

/**
 * V3 upgrades a database whose working-day deadlines were counted Monday to Friday: they are marked so
 * (the service recounts them on the official calendar at start), calendar-time deadlines are left as they are.
 */
class DeadlineCountMigrationTest {

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void oldWorkingDayDeadlinesAreMarkedForRecounting(String database) throws java.sql.SQLException {
        DataSource db = "H2".equals(database)
                ? new DriverManagerDataSource("jdbc:h2:mem:v3-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "")
                : new DriverManagerDataSource(EmbeddedPostgresServer.newDatabaseUrl(), "postgres", "");
        Flyway.configure().dataSource(db).target("2").load().migrate();
        JdbcClient jdbc = JdbcClient.create(db);
        jdbc.sql("""
                insert into dispute (id, order_id, customer_id, merchant_id, reason, description, payment_channel,
                  product_category, paid_amount_fen, claimed_amount_fen, status, opened_at)
                values ('DSP-1', 'ORD-1', 'buyer1', 'merchant1', 'INVALID_CARD_KEY', '卡密无效', 'ALIPAY', 'CARD_KEY', 100, 100,
                  'UNDER_REVIEW', current_timestamp)""").update();
        for (String[] row : new String[][] {{"REVIEW", "1WD"}, {"REVIEW_ESCALATION", "3WD"}, {"CUSTOMER_ACTION", "P7D"}}) {
            jdbc.sql("insert into dispute_deadline (dispute_id, kind, due_at, basis) values ('DSP-1', ?, current_timestamp, ?)")
                    .params(row[0], row[1]).update();
        }

        Flyway.configure().dataSource(db).load().migrate();

        Map<String, String> counted = new java.util.HashMap<>();
        jdbc.sql("select kind, counted_on, started_at from dispute_deadline").query((rs, i) -> {
            assertThat(rs.getTimestamp(3)).as("no start was recorded before V3").isNull();
            return counted.put(rs.getString(1), rs.getString(2));
        }).list();
        assertThat(counted).containsExactlyInAnyOrderEntriesOf(Map.of("REVIEW", "MONDAY_TO_FRIDAY",
                "REVIEW_ESCALATION", "MONDAY_TO_FRIDAY", "CUSTOMER_ACTION", "CALENDAR_TIME"));
    }
}
