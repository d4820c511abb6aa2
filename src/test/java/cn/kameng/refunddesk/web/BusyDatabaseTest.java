package cn.kameng.refunddesk.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.util.unit.DataSize;

/**
 * A row another transaction holds longer than the database lets us wait (H2's lock timeout, as the benchmark hit on
 * the compensation fund's account under load): the caller gets 503 with Retry-After, not a 500.
 */
class BusyDatabaseTest {

    @Test
    void aLockWaitedForTooLongIsA503WithRetryAfter() throws Exception {
        DriverManagerDataSource db = new DriverManagerDataSource(
                "jdbc:h2:mem:busy-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=100", "sa", "");
        JdbcTemplate jdbc = new JdbcTemplate(db);
        jdbc.execute("create table ledger_account (id varchar(40) primary key, balance_fen bigint not null)");
        jdbc.update("insert into ledger_account values ('FUND', 0)");

        TransientDataAccessException busy;
        try (Connection holder = db.getConnection()) {
            holder.setAutoCommit(false);
            holder.createStatement().executeQuery("select balance_fen from ledger_account where id = 'FUND' for update");
            busy = catchThrowableOfType(TransientDataAccessException.class, () -> jdbc.queryForObject(
                    "select balance_fen from ledger_account where id = ? for update", Long.class, "FUND"));
            holder.rollback();
        }
        assertThat(busy).as("Spring names H2's lock timeout a transient failure").isNotNull();

        ResponseEntity<ProblemDetail> answer = new ProblemHandler(DataSize.ofMegabytes(1), DataSize.ofMegabytes(10))
                .busy(busy);
        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(answer.getBody().getDetail()).contains("nothing was changed, try again");
    }
}
