package cn.kameng.refunddesk.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.mock.env.MockEnvironment;

/**
 * In a cluster, the job lock is what keeps a second node from sending a refund the first is still sending,
 * and what a dead node's refund waits out. The service refuses a lock time its slowest refund call can
 * outlast, and the shipped one is long enough yet well under a minute.
 */
class RefundLockTimeTest {

    @Test
    void aLockTimeTheSlowestRefundJobCanOutlastRefusesToStartNamingBoth() {
        assertThatThrownBy(() -> new RefundLockTime(Optional.of(Duration.ofSeconds(30)), RefundLockTime.calls(shipped())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("camunda.bpm.job-execution.lock-time-in-millis is 30000 (PT30S)")
                .hasMessageContaining("platform.api, PT42.8S (2 calls, a query and the request, each 3 attempts of"
                        + " connect-timeout PT2S + read-timeout PT5S, PT0.2S apart)")
                .hasMessageContaining("above 42800");
    }

    @Test
    void aLockEqualToTheWorstCaseIsNotLongerAndRefused() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("payment.alipay.connect-timeout", "PT3S")
                .withProperty("payment.alipay.read-timeout", "PT57S");
        assertThatThrownBy(() -> new RefundLockTime(Optional.of(Duration.ofMinutes(2)), RefundLockTime.calls(env)))
                .hasMessageContaining("is 120000 (PT2M)")
                .hasMessageContaining("payment.alipay, PT2M (2 calls, a query and the request, each connect-timeout"
                        + " PT3S + read-timeout PT57S)");
    }

    @Test
    void theShippedLockTimeOutlastsEveryGatewaysWorstCaseAndStaysUnderAMinuteWithTheAcquisitionWait() throws IOException {
        StandardEnvironment env = shipped();
        Duration lock = Duration.ofMillis(env.getRequiredProperty(RefundLockTime.LOCK_TIME, Long.class));
        Duration maxWait = Duration.ofMillis(env.getRequiredProperty("camunda.bpm.job-execution.max-wait", Long.class));

        assertThatCode(() -> new RefundLockTime(Optional.of(lock), RefundLockTime.calls(env))).doesNotThrowAnyException();
        assertThat(RefundLockTime.calls(env)).extracting(RefundLockTime.RefundCall::gateway)
                .containsExactly("payment.alipay", "payment.wechatpay", "payment.unionpay", "platform.api");
        assertThat(lock.plus(maxWait)).as("a dead node's refund is taken over within a minute")
                .isLessThanOrEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void withoutAJobExecutorNothingIsLockedAndNothingIsChecked() {
        assertThatCode(() -> new RefundLockTime(Optional.empty(), RefundLockTime.calls(shipped())))
                .doesNotThrowAnyException();
    }

    private static StandardEnvironment shipped() {
        StandardEnvironment env = new StandardEnvironment();
        try {
            new YamlPropertySourceLoader().load("application.yaml", new ClassPathResource("application.yaml"))
                    .forEach(env.getPropertySources()::addLast);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return env;
    }
}
