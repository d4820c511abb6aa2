package cn.kameng.refunddesk.engine;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Keeps PostgreSQL on a sound plan for Tasklist's filters when the queues are long (docs/adr/0041).
 * <p>
 * Camunda's task query with authorization checks joins the authorizations on
 * {@code AUTH.RESOURCE_ID_ IN (RES.ID_, D.KEY_, '*')}. That join cannot be hashed, so PostgreSQL either
 * probes the authorization index once per task (milliseconds) or compares every task with every
 * authorization row (quadratic: 272 s for the count of 50,000 tasks). It picks the quadratic plan when
 * it believes the group's authorizations are few, and it believes that because it has no statistics for
 * Camunda's permission test {@code PERMS_ & 2 = 2} and guesses 0.5 % of the rows, where in truth every
 * task carries such a row. So, on PostgreSQL only:
 * <ul>
 * <li>after the engine has created its tables, statistics on the two permission tests of the task query
 * (READ = 2 on the task, READ_TASK = 64 on the process definition) are created on the authorization
 * table, once (PostgreSQL 14 or later);</li>
 * <li>the JDBC driver does not switch statements to server-side prepared plans ({@code prepareThreshold=0}):
 * a prepared plan is made without the parameter values, so the permission test is guessed again and
 * PostgreSQL falls back to the quadratic plan after the fifth execution on a connection.</li>
 * </ul>
 * Nothing changes on H2, whose task queries take milliseconds at the same sizes.
 */
@Configuration(proxyBeanMethods = false)
class PostgresTaskQueryPlans {

    static final String STATISTICS = "act_stat_auth_perms";
    static final String PREPARE_THRESHOLD = "prepareThreshold";

    private static final Logger log = LoggerFactory.getLogger(PostgresTaskQueryPlans.class);

    /** {@code prepareThreshold=0} on a PostgreSQL pool, unless the operator has set it. */
    @Bean
    static BeanPostProcessor postgresWithoutGenericPlans() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof HikariDataSource pool && pool.getJdbcUrl() != null
                        && pool.getJdbcUrl().startsWith("jdbc:postgresql:")
                        && !pool.getDataSourceProperties().containsKey(PREPARE_THRESHOLD)
                        && !pool.getJdbcUrl().contains(PREPARE_THRESHOLD + "=")) {
                    pool.addDataSourceProperty(PREPARE_THRESHOLD, "0");
                }
                return bean;
            }
        };
    }

    @Bean
    AbstractProcessEnginePlugin authorizationStatistics() {
        return new AuthorizationStatistics();
    }

    /** Creates the statistics after the engine has created its tables (Flyway runs before them). */
    static final class AuthorizationStatistics extends AbstractProcessEnginePlugin {

        @Override
        public void postProcessEngineBuild(ProcessEngine engine) {
            ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine
                    .getProcessEngineConfiguration();
            create(configuration.getDataSource(), configuration.getDatabaseTablePrefix());
        }

        static void create(DataSource dataSource, String tablePrefix) {
            String prefix = tablePrefix == null ? "" : tablePrefix;
            try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
                DatabaseMetaData database = connection.getMetaData();
                if (!"PostgreSQL".equals(database.getDatabaseProductName())) {
                    return;
                }
                if (database.getDatabaseMajorVersion() < 14) {
                    log.warn("PostgreSQL {}: statistics on expressions need 14 or later; Tasklist's counts over long"
                            + " queues may take minutes (docs/adr/0041)", database.getDatabaseProductVersion());
                    return;
                }
                boolean autoCommit = connection.getAutoCommit();
                connection.setAutoCommit(true);
                try (var present = sql.executeQuery("select 1 from pg_statistic_ext where stxname = '" + STATISTICS
                        + "' and stxrelid = to_regclass('" + prefix + "act_ru_authorization')")) {
                    if (!present.next()) {
                        sql.execute("create statistics if not exists " + prefix + STATISTICS
                                + " on (perms_ & 2), (perms_ & 64) from " + prefix + "act_ru_authorization");
                        // so that the statistics exist now, not only after autovacuum's next analyze
                        sql.execute("analyze " + prefix + "act_ru_authorization");
                        log.info("created statistics {} on {}act_ru_authorization", STATISTICS, prefix);
                    }
                } finally {
                    connection.setAutoCommit(autoCommit);
                }
            } catch (SQLException e) {
                // the service works without them, only Tasklist's counts over long queues become slow
                log.error("could not create the statistics {} on {}act_ru_authorization (does this database user own"
                        + " Camunda's tables?); Tasklist's counts over long queues may take minutes (docs/adr/0041)",
                        STATISTICS, prefix, e);
            }
        }
    }
}
