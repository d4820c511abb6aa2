package cn.kameng.refunddesk.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole service on an in-memory H2 database of its own, in the default (sandbox) profile, with
 * the job executor and the sandbox's automatic settlement off: tests move time with ClockUtil and
 * run jobs and settlements themselves, so every step happens when the test says.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
// The Prometheus registry as in production (Spring Boot's tests would keep only an in-memory one).
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:refund-desk-${random.uuid};DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000",
        "camunda.bpm.job-execution.enabled=false",
        "dispute.sandbox.gateway.auto-settle=false",
        "dispute.notifications.relay-interval=PT1H",
        "dispute.evidence.directory=target/test-evidence/${random.uuid}",
        "dispute.calendar.directory=target/test-calendar/${random.uuid}"
})
public @interface DisputeServiceTest {
}
