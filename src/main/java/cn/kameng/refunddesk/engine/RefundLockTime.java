package cn.kameng.refunddesk.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Refuses to start with a job lock time a refund call can outlast. In a cluster a job is locked by the node
 * that took it until {@code camunda.bpm.job-execution.lock-time-in-millis} has passed; a node that dies
 * holding it leaves the refund waiting that long before another node takes it. The lock must therefore be
 * short (a dead node's refund moves on within a minute) but longer than the slowest refund job a live node
 * can run, or a second node would send the same refund while the first still waits for its gateway.
 * <p>
 * A refund job calls its gateway at most twice (a query when an earlier attempt is on record, then the
 * request), each call as many attempts as the adapter makes inside the job, each attempt up to its connect
 * plus read timeout; {@code platform.api} also waits {@code retry.backoff} between attempts. The gateways are
 * read from their configuration ({@code payment.alipay.*}, {@code payment.wechatpay.*},
 * {@code payment.unionpay.*}, {@code platform.api.*}); one without timeouts configured is left out.
 */
@Component
class RefundLockTime {

    static final String LOCK_TIME = "camunda.bpm.job-execution.lock-time-in-millis";
    /** A refund job's calls to its gateway: the query of an earlier attempt, and the request. */
    static final int CALLS_PER_JOB = 2;

    /** One gateway's slowest call: {@code attempts} tries of connect + read, {@code backoff} apart. */
    record RefundCall(String gateway, Duration connectTimeout, Duration readTimeout, int attempts, Duration backoff) {

        Duration worstCall() {
            return connectTimeout.plus(readTimeout).multipliedBy(attempts).plus(backoff.multipliedBy(attempts - 1L));
        }

        Duration worstJob() {
            return worstCall().multipliedBy(CALLS_PER_JOB);
        }

        String explained() {
            return gateway + ", " + worstJob() + " (" + CALLS_PER_JOB + " calls, a query and the request, each "
                    + (attempts == 1 ? "" : attempts + " attempts of ") + "connect-timeout " + connectTimeout
                    + " + read-timeout " + readTimeout + (attempts == 1 ? "" : ", " + backoff + " apart") + ")";
        }
    }

    @Autowired
    RefundLockTime(ProcessEngine engine, Environment environment) {
        this(lockTime(engine), calls(environment));
    }

    RefundLockTime(Optional<Duration> lockTime, List<RefundCall> calls) {
        if (lockTime.isEmpty()) {
            return; // no job executor: nothing is locked
        }
        calls.stream().max(Comparator.comparing(RefundCall::worstJob)).ifPresent(slowest -> {
            if (lockTime.get().compareTo(slowest.worstJob()) <= 0) {
                throw new IllegalStateException(LOCK_TIME + " is " + lockTime.get().toMillis() + " (" + lockTime.get()
                        + "), but a refund job may wait that long or longer for its gateway: " + slowest.explained()
                        + ". Another node would take the job over and send the refund again while the first still"
                        + " waits. Set " + LOCK_TIME + " above " + slowest.worstJob().toMillis()
                        + " (with a margin), or shorten that gateway's timeouts.");
            }
        });
    }

    private static Optional<Duration> lockTime(ProcessEngine engine) {
        JobExecutor jobs = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getJobExecutor();
        return Optional.ofNullable(jobs).map(j -> Duration.ofMillis(j.getLockTimeInMillis()));
    }

    static List<RefundCall> calls(Environment environment) {
        Binder binder = Binder.get(environment);
        List<RefundCall> calls = new ArrayList<>();
        for (String gateway : List.of("payment.alipay", "payment.wechatpay", "payment.unionpay")) {
            call(binder, gateway, 1, Duration.ZERO).ifPresent(calls::add);
        }
        int attempts = binder.bind("platform.api.retry.max-attempts", Integer.class).orElse(1);
        Duration backoff = binder.bind("platform.api.retry.backoff", Duration.class).orElse(Duration.ZERO);
        call(binder, "platform.api", Math.max(1, attempts), backoff).ifPresent(calls::add);
        return calls;
    }

    private static Optional<RefundCall> call(Binder binder, String gateway, int attempts, Duration backoff) {
        var connect = binder.bind(gateway + ".connect-timeout", Duration.class);
        var read = binder.bind(gateway + ".read-timeout", Duration.class);
        if (!connect.isBound() || !read.isBound()) {
            return Optional.empty();
        }
        return Optional.of(new RefundCall(gateway, connect.get(), read.get(), attempts, backoff));
    }
}
