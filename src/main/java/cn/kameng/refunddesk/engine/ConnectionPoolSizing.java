package cn.kameng.refunddesk.engine;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.springframework.stereotype.Component;

/**
 * Refuses to start with a connection pool the job executor can exhaust on its own. A refund request
 * holds two connections at once: the job's transaction, and the one that commits the idempotency key
 * before the gateway is called ({@code RefundRecords}, ADR 0003). With as many connections as job
 * threads, a surge of refunds leaves every thread holding one connection and waiting for a second
 * until the pool's timeout: no refund moves and the API starves too. So the pool must exceed twice
 * the job executor's threads ({@code spring.datasource.hikari.maximum-pool-size} &gt;
 * 2 × {@code camunda.bpm.job-execution.max-pool-size}), which leaves at least one for the API.
 */
@Component
class ConnectionPoolSizing {

    ConnectionPoolSizing(DataSource dataSource, CamundaBpmProperties camunda) {
        var jobs = camunda.getJobExecution();
        if (!jobs.isEnabled() || !(dataSource instanceof HikariDataSource pool)) {
            return;
        }
        int needed = 2 * jobs.getMaxPoolSize() + 1;
        if (pool.getMaximumPoolSize() < needed) {
            throw new IllegalStateException("spring.datasource.hikari.maximum-pool-size is " + pool.getMaximumPoolSize()
                    + ", but the job executor may run " + jobs.getMaxPoolSize() + " jobs at once and a refund request"
                    + " holds two connections (its idempotency key commits in a transaction of its own): set it to at"
                    + " least " + needed + ", or lower camunda.bpm.job-execution.max-pool-size");
        }
    }
}
