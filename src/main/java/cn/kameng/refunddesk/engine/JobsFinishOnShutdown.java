package cn.kameng.refunddesk.engine;

import java.time.Duration;
import java.util.concurrent.ThreadPoolExecutor;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * A stopping node lets the jobs it is running finish before the engine and the database pool close. Camunda's
 * Spring job executor only stops acquiring on shutdown; the jobs already on its thread pool would be interrupted
 * when Spring destroys the pool (or find the engine closed under them), roll back, and wait out their lock on a
 * job another node could have taken at once. So on SIGTERM, in the same phase as the web server's graceful stop,
 * acquisition stops first and the pool drains: each job running or queued on this node commits, and nothing new
 * is taken. It waits at most the job lock time (a job that outlasts it is another node's by then anyway), which
 * must fit in {@code spring.lifecycle.timeout-per-shutdown-phase}; the service refuses to start otherwise.
 * <p>
 * The job thread pool is itself a lifecycle bean that pauses on stop (a paused pool runs nothing it is handed), so
 * it is moved to the phase after this one: it pauses with nothing left to run.
 */
@Component
class JobsFinishOnShutdown implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobsFinishOnShutdown.class);
    /** The phase of Spring Boot's graceful web server stop: jobs and requests drain side by side. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    private final JobExecutor jobExecutor;
    private final ThreadPoolExecutor pool;
    private final Duration grace;
    private volatile boolean running;
    private volatile boolean acquiring;

    JobsFinishOnShutdown(ProcessEngine engine, @Qualifier("camundaTaskExecutor") ObjectProvider<TaskExecutor> jobThreads,
            @Value("${spring.lifecycle.timeout-per-shutdown-phase:30s}") Duration shutdownPhase) {
        this.jobExecutor = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getJobExecutor();
        this.pool = jobThreads.getIfAvailable() instanceof ThreadPoolTaskExecutor t ? t.getThreadPoolExecutor() : null;
        this.grace = jobExecutor == null ? Duration.ZERO : Duration.ofMillis(jobExecutor.getLockTimeInMillis());
        if (pool != null && grace.compareTo(shutdownPhase) >= 0) {
            throw new IllegalStateException("spring.lifecycle.timeout-per-shutdown-phase is " + shutdownPhase
                    + ", not longer than the job lock time " + grace + " (" + RefundLockTime.LOCK_TIME + "): a stopping"
                    + " node would be cut off before its running jobs finish. Set the shutdown phase above the lock time.");
        }
    }

    @Override
    public void start() {
        running = true;
        if (acquiring && !jobExecutor.isActive()) {
            jobExecutor.start(); // a stopped context started again (Spring's test context pause does that)
        }
    }

    @Override
    public void stop() {
        running = false;
        if (jobExecutor == null || pool == null) {
            return;
        }
        acquiring = jobExecutor.isActive();
        jobExecutor.shutdown(); // stops acquiring; idempotent, the engine calls it again when it closes
        long deadline = System.nanoTime() + grace.toNanos();
        int left = pool.getActiveCount() + pool.getQueue().size();
        if (left > 0) {
            log.info("Stopping: waiting up to {} for {} job(s) running or queued on this node", grace, left);
        }
        try {
            while (pool.getActiveCount() + pool.getQueue().size() > 0) {
                if (System.nanoTime() > deadline) {
                    log.warn("Stopping: {} job(s) still running after {}; they roll back and another node reruns them",
                            pool.getActiveCount() + pool.getQueue().size(), grace);
                    return;
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop(Runnable callback) {
        Thread drain = new Thread(() -> {
            try {
                stop();
            } finally {
                callback.run();
            }
        }, "jobs-finish-on-shutdown");
        drain.start();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Pauses Camunda's job thread pool after this bean has drained it, not before. */
    @Component
    static class JobThreadsPauseAfterTheDrain implements BeanPostProcessor {

        @Override
        public Object postProcessBeforeInitialization(Object bean, String beanName) {
            if ("camundaTaskExecutor".equals(beanName) && bean instanceof ThreadPoolTaskExecutor pool) {
                pool.setPhase(PHASE - 1);
            }
            return bean;
        }
    }
}
