package cn.kameng.refunddesk.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import cn.kameng.refunddesk.RefundDeskApplication;

/**
 * A pool the job executor could exhaust by itself (every refund request holds two connections) is a
 * configuration error the service names at start-up, instead of refunds that stall under load.
 */
class ConnectionPoolSizingTest {

    private static String[] args(String... extra) {
        String[] base = {"--spring.datasource.url=jdbc:h2:mem:pool-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                "--server.port=0", "--dispute.sandbox.gateway.auto-settle=false",
                "--dispute.evidence.directory=target/pool-sizing/evidence",
                "--dispute.calendar.directory=target/pool-sizing/calendar"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void aPoolNoLargerThanTwiceTheJobThreadsRefusesToStartAndSaysWhatToSet() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(RefundDeskApplication.class)
                .run(args("--spring.datasource.hikari.maximum-pool-size=10")).close())
                .rootCause()
                .hasMessageContaining("spring.datasource.hikari.maximum-pool-size is 10")
                .hasMessageContaining("may run 10 jobs at once")
                .hasMessageContaining("at least 21");
    }

    @Test
    void theShippedSettingsGiveEveryJobThreadTwoConnectionsAndTheApiSomeToo() {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(RefundDeskApplication.class).run(args())) {
            HikariDataSource pool = (HikariDataSource) app.getBean(DataSource.class);
            assertThat(pool.getMaximumPoolSize()).isGreaterThan(2 * 10);
        }
    }
}
