package cn.kameng.refunddesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import cn.kameng.refunddesk.support.EmbeddedPostgresServer;

/**
 * On PostgreSQL, an arbiter's Tasklist count over 50,000 open tasks took 272 s because the planner guessed
 * that almost none of the authorization rows pass Camunda's permission test and compared every task with
 * every authorization (docs/adr/0041). These scenarios check the two things that keep it on the indexed
 * plan, without timing anything: the planner now estimates the arbiters' task authorizations about right,
 * and the service's connections are never switched to plans made without the parameter values.
 */
@SpringBootTest(properties = {
        "camunda.bpm.job-execution.enabled=false",
        "dispute.sandbox.gateway.auto-settle=false",
        "dispute.notifications.relay-interval=PT1H",
        "dispute.evidence.directory=target/test-evidence/${random.uuid}"
})
@DirtiesContext
class TaskQueryPlansOnPostgresTest {

    /** The authorization filter of Camunda 7.24's task query for a user of the arbiters group. */
    private static final String AUTHORIZATIONS_OF_AN_ARBITER = """
            select * from act_ru_authorization a where a.type_ < 2
            and (a.user_id_ in ('arbiter1', '*') or a.group_id_ in ('arbiters'))
            and (a.resource_type_ = 7 and a.perms_ & 2 = 2 or a.resource_type_ = 6 and a.perms_ & 64 = 64)""";

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws SQLException {
        EmbeddedPostgresServer.newDatabase(registry);
    }

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void thePlannerKnowsThatEveryOpenTaskCarriesItsGroupsAuthorization() throws Exception {
        // what the engine writes for each task offered to the arbiters group: READ and TASK_WORK on the task
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            rows.add(new Object[] {"plan-test-" + i, "task-" + i});
        }
        jdbc.batchUpdate("""
                insert into act_ru_authorization (id_, rev_, type_, group_id_, resource_type_, resource_id_, perms_)
                values (?, 1, 1, 'arbiters', 7, ?, 16386)""", rows);
        jdbc.execute("analyze act_ru_authorization");
        long actual = jdbc.queryForObject("select count(*) from (" + AUTHORIZATIONS_OF_AN_ARBITER + ") x",
                Long.class);

        String plan = jdbc.queryForObject("explain (format json) " + AUTHORIZATIONS_OF_AN_ARBITER, String.class);
        JsonNode top = new ObjectMapper().readTree(plan).get(0).get("Plan");
        double estimated = top.get("Plan Rows").asDouble();

        assertThat(actual).isGreaterThanOrEqualTo(3_000);
        // without the statistics PostgreSQL guesses 0.5 % of the table here (about 15 rows)
        assertThat(estimated).as("rows PostgreSQL expects, of %d", actual).isGreaterThan(actual / 2.0);
        assertThat(jdbc.queryForObject("""
                select count(*) from pg_statistic_ext s join pg_statistic_ext_data d on d.stxoid = s.oid
                where s.stxname = 'act_stat_auth_perms' and d.stxdexpr is not null""", Long.class))
                .as("the statistics exist and have been computed").isEqualTo(1L);
    }

    @Test
    void theServicesConnectionsPlanEveryQueryWithItsParameterValues() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.unwrap(PGConnection.class).getPrepareThreshold())
                    .as("server-side prepared (generic) plans are never used").isZero();
        }
    }
}
