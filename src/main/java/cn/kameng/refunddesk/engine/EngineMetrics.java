package cn.kameng.refunddesk.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.metrics.Meter;
import org.camunda.bpm.engine.task.Task;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.Caller;
import cn.kameng.refunddesk.dispute.ServiceClock;

/**
 * The engine's numbers in Micrometer. Camunda's own meters (jobs acquired, executed, failed, process instances
 * started, ...) each also count a Micrometer counter of this node, {@code camunda_<meter>_total} (e.g.
 * {@code camunda_job_successful_total}), so Prometheus sees them at once rather than when Camunda writes its
 * metrics table every 15 minutes. Open incidents and each staff queue's open tasks and the age of its oldest are
 * read from the database at each scrape: the whole cluster's, alike on every node ({@code max} across instances).
 */
@Component
class EngineMetrics extends AbstractProcessEnginePlugin {

    /** The candidate groups the process hands tasks to. */
    static final List<String> QUEUES = List.of(Caller.REVIEWERS, Caller.ARBITERS, Caller.SENIOR_ARBITERS,
            Caller.COMPLAINTS, Caller.FINANCE);

    private final MeterRegistry registry;

    EngineMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void postInit(ProcessEngineConfigurationImpl configuration) {
        if (configuration.getMetricsRegistry() == null) {
            return; // metrics switched off in the engine's configuration
        }
        Map<String, Meter> meters = configuration.getMetricsRegistry().getDbMeters();
        meters.replaceAll((name, meter) -> new CountingMeter(name, Counter.builder("camunda." + name.replace('-', '.'))
                .description("Camunda engine meter " + name + " on this node").register(registry)));
    }

    @Override
    public void postProcessEngineBuild(ProcessEngine engine) {
        gauge("camunda.incidents.open", engine, e -> e.getRuntimeService().createIncidentQuery().count(), null,
                "Open incidents (whole cluster)");
        for (String queue : QUEUES) {
            gauge("camunda.tasks.open", engine, e -> e.getTaskService().createTaskQuery().taskCandidateGroup(queue)
                    .count(), queue, "Open tasks offered to a staff group (whole cluster)");
            gauge("camunda.tasks.oldest.age.seconds", engine, e -> oldestAgeSeconds(e, queue), queue,
                    "Age in seconds of the oldest open task offered to a staff group");
        }
    }

    private static double oldestAgeSeconds(ProcessEngine engine, String queue) {
        List<Task> oldest = engine.getTaskService().createTaskQuery().taskCandidateGroup(queue)
                .orderByTaskCreateTime().asc().listPage(0, 1);
        return oldest.isEmpty() ? 0
                : Duration.between(oldest.get(0).getCreateTime().toInstant(), ServiceClock.now()).toSeconds();
    }

    private void gauge(String name, ProcessEngine engine, ToDoubleFunction<ProcessEngine> value, String queue,
            String description) {
        Gauge.Builder<ProcessEngine> gauge = Gauge.builder(name, engine, e -> {
            try {
                return value.applyAsDouble(e);
            } catch (RuntimeException unreadable) {
                return Double.NaN; // the database could not answer: a gap, not a failed scrape
            }
        }).description(description);
        if (queue != null) {
            gauge.tag("queue", queue);
        }
        gauge.register(registry);
    }

    /** Camunda's meter, which its reporter still reads and clears, and a monotonic counter beside it. */
    static final class CountingMeter extends Meter {

        private final Counter counter;

        CountingMeter(String name, Counter counter) {
            super(name);
            this.counter = counter;
        }

        @Override
        public void mark() {
            super.mark();
            counter.increment();
        }

        @Override
        public void markTimes(long times) {
            super.markTimes(times);
            counter.increment(times);
        }
    }
}
