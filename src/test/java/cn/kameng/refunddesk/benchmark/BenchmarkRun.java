package cn.kameng.refunddesk.benchmark;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

import cn.kameng.refunddesk.complaint.ChannelPoller;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.sandbox.SandboxSettlement;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService;

/**
 * The benchmark: the whole service (HTTP, security, own tables, engine with its job executor) against a
 * bare BPMN with the same wait states, timers and transactions and no-op delegates, in the same
 * application and the same run, so the ratio between them does not depend on the machine. Four
 * measures, each for the service and then the baseline: a timer storm, intake over HTTP, the full
 * refund path, the arbiter queue in Tasklist. Every measure checks its own result (nothing lost,
 * nothing stuck, no refund requested twice) and fails the run if it finds one.
 * <p>
 * Sizes scale with {@code -Dbenchmark.scale} (1 = 10,000 timers and 50,000 tasks); results go to
 * {@code target/benchmark/results.md} and {@code results.json}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "benchmark.baseline=true",
        "camunda.bpm.job-execution.enabled=true",
        "dispute.sandbox.gateway.auto-settle=false",
        "dispute.evidence.directory=target/benchmark/evidence/${random.uuid}",
        "dispute.calendar.directory=target/benchmark/calendar/${random.uuid}",
        "logging.level.cn.kameng.refunddesk.notification=WARN"
})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
abstract class BenchmarkRun {

    /** The sizes of one run, at {@code scale} times the full benchmark. */
    record Sizes(int intake, int fullPath, int storm, int tasks, int clients, int complaints) {
        static Sizes at(double scale) {
            return new Sizes(atLeast(1_000 * scale, 4), atLeast(300 * scale, 4), atLeast(10_000 * scale, 4),
                    TASK_COPIES * atLeast(50_000 * scale / TASK_COPIES, 1), 8, atLeast(5_000 * scale, 4));
        }

        private static int atLeast(double n, int min) {
            return Math.max(min, (int) Math.round(n));
        }
    }

    static final String SERVICE = "service";
    static final String BASELINE = "baseline";
    private static final Duration STUCK_AFTER = Duration.ofMinutes(4);
    private static final int STORM_BATCH = 25;
    private static final Duration QUERY_BUDGET = Duration.ofSeconds(45);

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    DisputeService disputes;
    @Autowired
    SandboxSettlement settlement;
    @Autowired
    RuntimeService runtime;
    @Autowired
    ManagementService management;
    @Autowired
    RepositoryService repository;
    @Autowired
    TaskService tasks;
    @Autowired
    FilterService filters;
    @Autowired
    IdentityService identity;
    @Autowired
    AuthorizationService authorizations;
    @Autowired
    ProcessEngineConfiguration engineConfiguration;
    @Autowired
    ChannelPoller channelPoller;

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BenchmarkRun.class);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();

    /** Which database this run is on, as the results name it. */
    abstract String database();

    /** The size of this run: {@code -Dbenchmark.scale}, 1 by default. */
    double scale() {
        return Double.parseDouble(System.getProperty("benchmark.scale", "1"));
    }

    private boolean postgres() {
        return jdbc.sql("select 1").query((rs, i) -> {
            try {
                return rs.getStatement().getConnection().getMetaData().getDatabaseProductName();
            } catch (java.sql.SQLException e) {
                return "";
            }
        }).single().contains("PostgreSQL");
    }

    /** Which measures run: {@code -Dbenchmark.measures=storm,intake,full,queue,ingest} (all by default). */
    List<String> measures() {
        return List.of(System.getProperty("benchmark.measures", "storm,intake,full,queue,ingest").split(","));
    }

    /** Where results go. */
    String resultsDirectory() {
        return "target/benchmark";
    }

    @AfterEach
    void clockBack() {
        ClockUtil.reset();
        identity.clearAuthentication();
    }

    @Test
    void measuresTheServiceAgainstTheBareEngine() throws Exception {
        Sizes sizes = Sizes.at(scale());
        Results results = Results.of(resultsDirectory());
        results.startRun(database(), sizes, scale());
        jdbc.sql("create table if not exists benchmark_copy (n int)").update();
        repository.createDeployment().name("benchmark-baseline")
                .addClasspathResource("benchmark/baseline-dispute.bpmn").deploy();

        warmUp(new ServiceSide(), sizes);
        warmUp(new BaselineSide(), sizes);
        lastLog = System.nanoTime();
        if (measures().contains("storm")) {
            results.add(database(), "timer storm", SERVICE, logged(timerStorm(sizes, new ServiceSide())));
            results.add(database(), "timer storm", BASELINE, logged(timerStorm(sizes, new BaselineSide())));
        }
        if (measures().contains("intake")) {
            results.add(database(), "intake", SERVICE, logged(intake(sizes, new ServiceSide())));
            results.add(database(), "intake", BASELINE, logged(intake(sizes, new BaselineSide())));
        }
        if (measures().contains("full")) {
            results.add(database(), "full path", SERVICE, logged(fullPath(sizes, new ServiceSide())));
            results.add(database(), "full path", BASELINE, logged(fullPath(sizes, new BaselineSide())));
        }
        if (measures().contains("queue")) {
            results.add(database(), "arbiter queue", SERVICE, logged(arbiterQueue(sizes, new ServiceSide())));
            results.add(database(), "arbiter queue", BASELINE, logged(arbiterQueue(sizes, new BaselineSide())));
        }
        if (measures().contains("ingest")) {
            // the service alone: the bare engine has no channels; its figure is set against the API's intake
            results.add(database(), "channel ingestion", SERVICE, logged(channelIngestion(sizes)));
        }
        check(runtime.createIncidentQuery().count() == 0, "no incident after the run, found "
                + runtime.createIncidentQuery().list());
        results.write();
    }

    /** Delivers the sandbox gateway's notifications every 20 ms until interrupted, as the gateway would. */
    private static Thread settler(Side side, String name) {
        return new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    side.deliverNotifications();
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // a notification that raced another is retried on the next round
                }
            }
        }, name);
    }

    /** Runs each path a few times unmeasured, so that no measure pays for class loading and the JIT. */
    private void warmUp(Side side, Sizes sizes) throws Exception {
        // the whole path, so that warm-up disputes end closed and leave no timer behind
        List<String> more = side.prepareOrders("WARMUP", 3 * sizes.clients());
        Thread settler = settler(side, "benchmark-warmup-settler");
        settler.start();
        try {
            concurrently(sizes.clients(), more.size(), i -> {
                String id = side.open(more.get(i));
                side.accept(id);
                awaitOrFail(() -> side.awaitingArrival(id), "warm-up: dispute " + id + " stuck", 10);
                side.confirmArrival(id);
            });
        } finally {
            settler.interrupt();
            settler.join();
        }
    }

    // ---------------------------------------------------------------- the four measures

    /** 1: disputes opened over HTTP by concurrent clients, each waiting on its 48 h timer when answered. */
    Map<String, Object> intake(Sizes sizes, Side side) throws Exception {
        List<String> orders = side.prepareOrders("INTAKE", sizes.intake());
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        long elapsed;
        long peak;
        try (PeakRss rss = PeakRss.start()) {
            long start = System.nanoTime();
            concurrently(sizes.clients(), sizes.intake(), i -> {
                long t0 = System.nanoTime();
                String id = side.open(orders.get(i));
                latencies.add(System.nanoTime() - t0);
                ids.add(id);
            });
            elapsed = System.nanoTime() - start;
            peak = rss.peakMiB();
        }
        check(ids.size() == sizes.intake(), "intake: " + sizes.intake() + " opened, " + ids.size() + " answered");
        int waiting = side.waitingOnMerchantTimer("INTAKE");
        check(waiting == sizes.intake(), "intake: every dispute waits on its 48 h timer; " + waiting + " of "
                + sizes.intake() + " do (lost or stuck)");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("disputes", sizes.intake());
        m.put("clients", sizes.clients());
        m.put("seconds", seconds(elapsed));
        m.put("disputesPerSecond", perSecond(sizes.intake(), elapsed));
        m.putAll(percentiles("latencyMs", new ArrayList<>(latencies)));
        m.put("peakRssMiB", peak);
        return m;
    }

    /**
     * 5: a channel's backlog of complaints (5,000 at scale 1, about orders nobody disputed yet) taken in by one poll,
     * as after a day the channel's notifications were lost: listed in pages of 50, each read once, recorded, and
     * tied to a dispute opened for it with its complaint task on the channel's deadline. One poller, as in
     * production (one node holds a source's poll).
     */
    Map<String, Object> channelIngestion(Sizes sizes) throws Exception {
        ServiceSide side = new ServiceSide();
        ComplaintBacklog backlog = new ComplaintBacklog(side.prepareOrders("INGEST", sizes.complaints()));
        ChannelPoller.Polled polled;
        long elapsed;
        long peak;
        try (PeakRss rss = PeakRss.start()) {
            long start = System.nanoTime();
            polled = channelPoller.poll(backlog);
            elapsed = System.nanoTime() - start;
            peak = rss.peakMiB();
        }
        check(polled.complete(), "channel ingestion: the poll stopped before the end of the list");
        check(polled.taken() == sizes.complaints() && backlog.detailsRead.get() == sizes.complaints(),
                "channel ingestion: " + sizes.complaints() + " listed, " + polled.taken() + " taken, "
                        + backlog.detailsRead.get() + " details read (each once expected)");
        long tied = jdbc.sql("select count(*) from channel_complaint where source = ? and complaint_id is not null")
                .param(backlog.source()).query(Long.class).single();
        check(tied == sizes.complaints(), "channel ingestion: " + tied + " of " + sizes.complaints()
                + " complaints tied to a dispute (lost)");
        int waiting = side.waitingOnMerchantTimer("INGEST");
        check(waiting == sizes.complaints(), "channel ingestion: every complaint's dispute waits on its 48 h timer; "
                + waiting + " of " + sizes.complaints() + " do (lost or stuck)");
        long complaintTasks = tasks.createTaskQuery().taskDefinitionKey(ProcessIds.Task.HANDLE_EXTERNAL_COMPLAINT)
                .count();
        check(complaintTasks >= sizes.complaints(), "channel ingestion: " + complaintTasks + " complaint tasks for "
                + sizes.complaints() + " complaints");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("complaints", sizes.complaints());
        m.put("pages", (sizes.complaints() + ComplaintBacklog.PAGE - 1) / ComplaintBacklog.PAGE);
        m.put("seconds", seconds(elapsed));
        m.put("complaintsPerSecond", perSecond(sizes.complaints(), elapsed));
        m.put("peakRssMiB", peak);
        return m;
    }

    /** 2: open → merchant accepts → refund at the sandbox gateway → notification → arrival confirmed → closed. */
    Map<String, Object> fullPath(Sizes sizes, Side side) throws Exception {
        List<String> orders = side.prepareOrders("FULL", sizes.fullPath());
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        long elapsed;
        long peak;
        Thread settler = settler(side, "benchmark-settler");
        try (PeakRss rss = PeakRss.start()) {
            settler.start();
            long start = System.nanoTime();
            try {
                concurrently(sizes.clients(), sizes.fullPath(), i -> {
                    String id = side.open(orders.get(i));
                    ids.add(id);
                    side.accept(id);
                    awaitOrFail(() -> side.awaitingArrival(id), "full path: dispute " + id
                            + " never reached the arrival confirmation (stuck)", 10);
                    side.confirmArrival(id);
                });
                elapsed = System.nanoTime() - start;
            } finally {
                settler.interrupt();
                settler.join();
            }
            peak = rss.peakMiB();
        }
        check(ids.size() == sizes.fullPath(), "full path: " + ids.size() + " of " + sizes.fullPath() + " opened");
        int closed = side.closed("FULL");
        check(closed == sizes.fullPath(), "full path: " + closed + " of " + sizes.fullPath()
                + " closed as refunded (lost or stuck)");
        side.checkRefundedOnce("FULL");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("disputes", sizes.fullPath());
        m.put("clients", sizes.clients());
        m.put("seconds", seconds(elapsed));
        m.put("disputesPerSecond", perSecond(sizes.fullPath(), elapsed));
        m.put("peakRssMiB", peak);
        return m;
    }

    /** 3: {@code storm} open disputes whose 48 h timers all fall due at once (the clock moves 49 h). */
    Map<String, Object> timerStorm(Sizes sizes, Side side) throws Exception {
        List<String> orders = side.prepareOrders("STORM", sizes.storm());
        long opening = System.nanoTime();
        // STORM_BATCH disputes to a transaction: the set-up is not what is measured, and one commit per
        // dispute made the set-up of 10,000 take minutes on H2; a failure still fails the run
        concurrently(2, (orders.size() + STORM_BATCH - 1) / STORM_BATCH, b -> tx.executeWithoutResult(s ->
                orders.subList(b * STORM_BATCH, Math.min(orders.size(), (b + 1) * STORM_BATCH))
                        .forEach(side::openInProcess)));
        opening = System.nanoTime() - opening;
        step("storm: opening " + sizes.storm());
        int waiting = side.waitingOnMerchantTimer("STORM");
        check(waiting == sizes.storm(), "timer storm: " + waiting + " of " + sizes.storm() + " wait on their timer");
        step("storm: checking they wait");
        long elapsed;
        long peak;
        try (PeakRss rss = PeakRss.start()) {
            long start = System.nanoTime();
            ClockUtil.setCurrentTime(Date.from(Instant.now().plus(49, ChronoUnit.HOURS)));
            ((ProcessEngineConfigurationImpl) engineConfiguration).getJobExecutor().jobWasAdded();
            awaitOrFail(() -> management.createJobQuery().activityId(side.merchantTimer()).count() == 0,
                    "timer storm: 48 h timers still waiting after " + STUCK_AFTER + " (stuck)", 100);
            elapsed = System.nanoTime() - start;
            peak = rss.peakMiB();
        } finally {
            ClockUtil.reset();
        }
        step("storm: the storm");
        int movedOn = side.movedOnAfterSilence("STORM");
        check(movedOn == sizes.storm(), "timer storm: " + movedOn + " of " + sizes.storm()
                + " disputes moved on to the customer's next step (lost or stuck)");
        long twice = jdbc.sql("""
                select count(*) from (select proc_inst_id_ from act_hi_actinst where act_id_ = ?
                group by proc_inst_id_ having count(*) > 1) x""").param(side.silenceStep()).query(Long.class).single();
        check(twice == 0, "timer storm: " + twice + " timers ran their step more than once");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timers", sizes.storm());
        m.put("openedInProcessPerSecond", perSecond(sizes.storm(), opening));
        m.put("seconds", seconds(elapsed));
        m.put("jobsPerSecond", perSecond(sizes.storm(), elapsed));
        m.put("ranMoreThanOnce", twice);
        m.put("peakRssMiB", peak);
        return m;
    }

    /** 4: Tasklist's filter for the arbiters over {@code tasks} open tasks: a page of 15, and the count. */
    Map<String, Object> arbiterQueue(Sizes sizes, Side side) throws Exception {
        side.createArbitrationTasks(sizes.tasks());
        step("queue: creating " + sizes.tasks() + " tasks");
        if (Boolean.parseBoolean(System.getProperty("benchmark.analyze", "true")) && postgres()) {
            // the steady state autovacuum reaches within a minute or so; measured without it, the
            // planner's statistics predate the new tasks (docs/benchmarks.md)
            jdbc.sql("analyze").update();
        }
        String filterId = side.arbiterFilter();
        List<Long> list = new ArrayList<>();
        List<Long> count = new ArrayList<>();
        long counted = -1;
        long peak;
        try (PeakRss rss = PeakRss.start()) {
            identity.setAuthentication(side.arbiter(), List.of(side.arbiterGroup()));
            long budget = System.nanoTime() + QUERY_BUDGET.toNanos();
            // one unmeasured round, then up to 20 measured, fewer (at least 3) if the queries are slow
            for (int round = 0; round < 21 && (round < 4 || System.nanoTime() < budget); round++) {
                long t0 = System.nanoTime();
                int page = filters.listPage(filterId, 0, 15).size();
                long t1 = System.nanoTime();
                counted = filters.count(filterId);
                long t2 = System.nanoTime();
                check(page == Math.min(15, sizes.tasks()), "arbiter queue: a page of " + page + " tasks");
                if (round >= 1) {
                    list.add(t1 - t0);
                    count.add(t2 - t1);
                }
            }
            identity.clearAuthentication();
            peak = rss.peakMiB();
        }
        long hold = Long.getLong("benchmark.hold-after-queue-seconds", 0);
        if (hold > 0) {
            // to examine the database by hand (EXPLAIN) while the tasks are there
            log.info("benchmark {}: holding {} s after the {} queue", database(), hold, side.arbiterGroup());
            Thread.sleep(hold * 1000);
        }
        check(counted == sizes.tasks(), "arbiter queue: the filter counts " + counted + " of " + sizes.tasks()
                + " open tasks");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("openTasks", sizes.tasks());
        m.put("rounds", list.size());
        m.putAll(percentiles("listMs", list));
        m.putAll(percentiles("countMs", count));
        m.put("peakRssMiB", peak);
        return m;
    }

    // ---------------------------------------------------------------- the two sides

    /** What the measures do, on the service or on the bare baseline. */
    interface Side {
        /** {@code n} orders to dispute, named after the measure (e.g. STORM) so checks can find them. */
        List<String> prepareOrders(String measure, int n);

        String open(String order) throws Exception;

        String openInProcess(String order);

        void accept(String id) throws Exception;

        void deliverNotifications();

        boolean awaitingArrival(String id);

        void confirmArrival(String id) throws Exception;

        int waitingOnMerchantTimer(String measure);

        String merchantTimer();

        String silenceStep();

        int movedOnAfterSilence(String measure);

        int closed(String measure);

        void checkRefundedOnce(String measure);

        void createArbitrationTasks(int n) throws Exception;

        String arbiterFilter();

        String arbiter();

        String arbiterGroup();
    }

    final class ServiceSide implements Side {

        @Override
        public List<String> prepareOrders(String measure, int n) {
            List<String> ids = new ArrayList<>(n);
            Timestamp now = Timestamp.from(Instant.now());
            Timestamp delivered = Timestamp.from(Instant.now().minus(1, ChronoUnit.DAYS));
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = "ORD-" + measure + "-" + UUID.randomUUID().toString().substring(0, 18);
                ids.add(id);
                rows.add(new Object[] {id, "buyer1", "merchant1", 2500L, "ALIPAY", "CARD_KEY", delivered,
                        "KEY-" + id, "SUCCEED", now});
            }
            batch("""
                    insert into sandbox_order (order_id, buyer_id, merchant_id, amount_fen, payment_channel,
                      product_category, delivered_at, delivered_card_key, gateway_behaviour, created_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows);
            return ids;
        }

        @Override
        public String open(String order) throws Exception {
            var res = post("/api/v1/disputes", "buyer1", Map.of("orderId", order, "reason", "INVALID_CARD_KEY",
                    "description", "卡密显示已被使用"), Map.of("Idempotency-Key", UUID.randomUUID().toString()));
            check(res.statusCode() == 201, "opening a dispute answered " + res.statusCode() + " " + res.body());
            return json.readTree(res.body()).get("id").asText();
        }

        @Override
        public String openInProcess(String order) {
            return disputes.open(TestDisputes.BUYER1, new DisputeService.OpenRequest(order, Reason.INVALID_CARD_KEY,
                    "卡密显示已被使用", null), null).dispute().id();
        }

        @Override
        public void accept(String id) throws Exception {
            var res = post("/api/v1/disputes/" + id + "/merchant-response", "merchant1",
                    Map.of("decision", "ACCEPT", "message", "同意退款"), Map.of());
            check(res.statusCode() == 200, "full path: the merchant's acceptance answered " + res.statusCode() + " "
                    + res.body());
        }

        @Override
        public void deliverNotifications() {
            settlement.settle(true);
        }

        @Override
        public boolean awaitingArrival(String id) {
            return "AWAITING_ARRIVAL_CONFIRMATION".equals(jdbc.sql("select status from dispute where id = ?")
                    .param(id).query(String.class).optional().orElse(null));
        }

        @Override
        public void confirmArrival(String id) throws Exception {
            var res = post("/api/v1/disputes/" + id + "/arrival-confirmation", "buyer1", Map.of("arrived", true),
                    Map.of());
            check(res.statusCode() == 200, "full path: confirming arrival answered " + res.statusCode() + " "
                    + res.body());
        }

        @Override
        public int waitingOnMerchantTimer(String measure) {
            return waitingAt(measure, "AWAITING_MERCHANT", merchantTimer());
        }

        @Override
        public String merchantTimer() {
            return ProcessIds.Element.TIMER_MERCHANT_REPLY_DUE;
        }

        @Override
        public String silenceStep() {
            return ProcessIds.Element.SERVICE_TASK_RECORD_MERCHANT_SILENCE;
        }

        @Override
        public int movedOnAfterSilence(String measure) {
            return waitingAt(measure, "MERCHANT_REFUSED", ProcessIds.Element.TIMER_CUSTOMER_INACTIVE);
        }

        /** Disputes of the measure in {@code status} whose process has exactly one job, at {@code timer}. */
        private int waitingAt(String measure, String status, String timer) {
            return jdbc.sql("""
                    select count(*) from dispute d
                    join act_ru_execution e on e.business_key_ = d.id and e.id_ = e.proc_inst_id_
                    where d.order_id like ? and d.status = ?
                    and (select count(*) from act_ru_job j where j.process_instance_id_ = e.id_) = 1
                    and exists (select 1 from act_ru_job j join act_ru_jobdef jd on jd.id_ = j.job_def_id_
                    where j.process_instance_id_ = e.id_ and jd.act_id_ = ?)""")
                    .params("ORD-" + measure + "-%", status, timer).query(Integer.class).single();
        }

        @Override
        public int closed(String measure) {
            return jdbc.sql("""
                    select count(*) from dispute where order_id like ? and status = 'CLOSED' and outcome = 'REFUNDED'
                    and not exists (select 1 from act_ru_execution e where e.business_key_ = dispute.id
                      and e.proc_def_id_ like 'refundDispute:%')""")
                    .param("ORD-" + measure + "-%").query(Integer.class).single();
        }

        @Override
        public void checkRefundedOnce(String measure) {
            int twiceAtGateway = jdbc.sql("""
                    select count(*) from (select order_id from sandbox_gateway_refund where order_id like ?
                    group by order_id having count(*) > 1) x""").param("ORD-" + measure + "-%")
                    .query(Integer.class).single();
            int twiceOurs = jdbc.sql("""
                    select count(*) from (select r.dispute_id from refund r join dispute d on d.id = r.dispute_id
                    where d.order_id like ? group by r.dispute_id having count(*) > 1) x""")
                    .param("ORD-" + measure + "-%").query(Integer.class).single();
            check(twiceAtGateway == 0 && twiceOurs == 0, "full path: " + twiceAtGateway + " orders were refunded"
                    + " twice at the gateway and " + twiceOurs + " disputes hold two refunds (a refund requested twice)");
        }

        @Override
        public void createArbitrationTasks(int n) throws Exception {
            List<String> orders = prepareOrders("QUEUE", n / TASK_COPIES);
            List<Object[]> rows = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            Timestamp now = Timestamp.from(Instant.now());
            Timestamp delivered = Timestamp.from(Instant.now().minus(1, ChronoUnit.DAYS));
            for (String order : orders) {
                String id = "DSP-Q-" + UUID.randomUUID().toString().substring(0, 18);
                ids.add(id);
                rows.add(new Object[] {id, order, order, "buyer1", "merchant1", "INVALID_CARD_KEY", "卡密显示已被使用",
                        "ALIPAY", "CARD_KEY", 2500L, 2500L, delivered, "IN_ARBITRATION", "REFUSE", "卡密已使用", now});
            }
            batch("""
                    insert into dispute (id, order_id, open_order_id, customer_id, merchant_id, reason, description,
                      payment_channel, product_category, paid_amount_fen, claimed_amount_fen, delivered_at, status,
                      merchant_decision, merchant_message, opened_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows);
            inBatches(ids, id -> runtime.createProcessInstanceByKey(ProcessIds.PROCESS_REFUND_DISPUTE)
                    .businessKey(id).startBeforeActivity(ProcessIds.Task.ARBITRATE_DISPUTE)
                    .setVariable(ProcessIds.Var.REFUND_APPROVED, false).execute());
            copyTasks(ProcessIds.Task.ARBITRATE_DISPUTE);
        }

        @Override
        public String arbiterFilter() {
            return filters.createFilterQuery().filterName("仲裁队列 Arbitration queue").singleResult().getId();
        }

        @Override
        public String arbiter() {
            return System.getProperty("benchmark.service.arbiter", "arbiter1");
        }

        @Override
        public String arbiterGroup() {
            return "arbiters";
        }
    }

    final class BaselineSide implements Side {

        @Override
        public List<String> prepareOrders(String measure, int n) {
            List<String> keys = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                keys.add("BSL-" + measure + "-" + UUID.randomUUID());
            }
            return keys;
        }

        @Override
        public String open(String key) throws Exception {
            var res = post("/api/v1/benchmark-baseline/disputes", "buyer1", Map.of("id", key), Map.of());
            check(res.statusCode() == 201, "baseline: opening answered " + res.statusCode() + " " + res.body());
            return json.readTree(res.body()).get("id").asText();
        }

        @Override
        public String openInProcess(String key) {
            tx.executeWithoutResult(s -> runtime.startProcessInstanceByKey(BaselineBeans.PROCESS, key));
            return key;
        }

        @Override
        public void accept(String id) throws Exception {
            message(id, BaselineBeans.ACCEPTED);
        }

        @Override
        public void deliverNotifications() {
            runtime.createEventSubscriptionQuery().eventName(BaselineBeans.SETTLED).list().forEach(s ->
                    tx.executeWithoutResult(t -> runtime.createMessageCorrelation(BaselineBeans.SETTLED)
                            .processInstanceId(s.getProcessInstanceId()).correlateWithResult()));
        }

        @Override
        public boolean awaitingArrival(String id) {
            return jdbc.sql("""
                    select count(*) from act_ru_event_subscr s join act_ru_execution e on e.id_ = s.proc_inst_id_
                    where e.business_key_ = ? and s.event_name_ = ?""").params(id, BaselineBeans.ARRIVED)
                    .query(Integer.class).single() == 1;
        }

        @Override
        public void confirmArrival(String id) throws Exception {
            message(id, BaselineBeans.ARRIVED);
        }

        @Override
        public int waitingOnMerchantTimer(String measure) {
            return waitingAt(measure, merchantTimer());
        }

        @Override
        public String merchantTimer() {
            return BaselineBeans.TIMER_MERCHANT_REPLY_DUE;
        }

        @Override
        public String silenceStep() {
            return BaselineBeans.SILENCE;
        }

        @Override
        public int movedOnAfterSilence(String measure) {
            return waitingAt(measure, "b_timer_customerInactive");
        }

        private int waitingAt(String measure, String timer) {
            return jdbc.sql("""
                    select count(*) from act_ru_execution e where e.business_key_ like ? and e.id_ = e.proc_inst_id_
                    and (select count(*) from act_ru_job j where j.process_instance_id_ = e.id_) = 1
                    and exists (select 1 from act_ru_job j join act_ru_jobdef jd on jd.id_ = j.job_def_id_
                    where j.process_instance_id_ = e.id_ and jd.act_id_ = ?)""")
                    .params("BSL-" + measure + "-%", timer).query(Integer.class).single();
        }

        @Override
        public int closed(String measure) {
            return jdbc.sql("""
                    select count(*) from act_hi_procinst where business_key_ like ? and end_act_id_ = 'b_end_closed'""")
                    .param("BSL-" + measure + "-%").query(Integer.class).single();
        }

        @Override
        public void checkRefundedOnce(String measure) {
            int twice = jdbc.sql("""
                    select count(*) from (select a.proc_inst_id_ from act_hi_actinst a
                    join act_hi_procinst p on p.id_ = a.proc_inst_id_
                    where p.business_key_ like ? and a.act_id_ = 'b_request'
                    group by a.proc_inst_id_ having count(*) > 1) x""").param("BSL-" + measure + "-%")
                    .query(Integer.class).single();
            check(twice == 0, "baseline: " + twice + " instances requested their refund twice");
        }

        @Override
        public void createArbitrationTasks(int n) throws Exception {
            inBatches(prepareOrders("QUEUE", n / TASK_COPIES), key -> runtime.createProcessInstanceByKey(
                    BaselineBeans.PROCESS).businessKey(key).startBeforeActivity(BaselineBeans.ARBITRATE).execute());
            copyTasks(BaselineBeans.ARBITRATE);
        }

        @Override
        public String arbiterFilter() {
            Filter filter = filters.newTaskFilter("benchmark baseline arbiters");
            filter.setOwner(null);
            filter.setQuery(tasks.createTaskQuery().taskCandidateGroup(arbiterGroup()).includeAssignedTasks()
                    .orderByDueDate().asc());
            filter.setProperties(Map.of("description", "Tasks for the " + arbiterGroup() + " group", "priority", 10,
                    "refresh", true));
            filters.saveFilter(filter);
            Authorization grant = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
            grant.setGroupId(arbiterGroup());
            grant.setResource(Resources.FILTER);
            grant.setResourceId(filter.getId());
            grant.addPermission(Permissions.READ);
            authorizations.saveAuthorization(grant);
            if (Boolean.getBoolean("benchmark.baseline.read-any-process-definition")) {
                // what IdentitySetup grants every staff group: to tell whether this grant slows the filter
                Authorization definitions = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
                definitions.setGroupId(arbiterGroup());
                definitions.setResource(Resources.PROCESS_DEFINITION);
                definitions.setResourceId(Authorization.ANY);
                definitions.addPermission(Permissions.READ);
                authorizations.saveAuthorization(definitions);
            }
            return filter.getId();
        }

        @Override
        public String arbiter() {
            return "benchmark-arbiter";
        }

        @Override
        public String arbiterGroup() {
            return "benchmark-arbiters";
        }

        private void message(String id, String message) throws Exception {
            var res = post("/api/v1/benchmark-baseline/disputes/" + id + "/messages/" + message, "merchant1", Map.of(),
                    Map.of());
            check(res.statusCode() == 200, "baseline: " + message + " answered " + res.statusCode() + " " + res.body());
        }
    }

    /**
     * One task in {@value #TASK_COPIES} is made by the engine (its process instance, case facts, identity
     * links, authorizations); the others are row copies of those tasks with their identity links,
     * authorizations and task variables, so that 50,000 open tasks fit in the run's time. The Tasklist
     * queries read exactly these tables.
     */
    static final int TASK_COPIES = 50;

    private void copyTasks(String taskKey) {
        tx.executeWithoutResult(s -> {
            jdbc.sql("delete from benchmark_copy").update();
            for (int n = 1; n < TASK_COPIES; n++) {
                jdbc.sql("insert into benchmark_copy (n) values (?)").param(n).update();
            }
            String originals = "select id_ from act_ru_task where task_def_key_ = '" + taskKey
                    + "' and id_ not like '%~%'";
            copy("act_ru_task", "id_ in (" + originals + ")", "id_");
            copy("act_ru_variable", "task_id_ in (" + originals + ")", "id_", "task_id_", "var_scope_");
            copy("act_ru_identitylink", "task_id_ in (" + originals + ")", "id_", "task_id_");
            copy("act_ru_authorization", "resource_type_ = 7 and resource_id_ in (" + originals + ")", "id_",
                    "resource_id_");
        });
    }

    /** Copies the rows of {@code table} matching {@code where} once per benchmark_copy row, renaming the id columns. */
    private void copy(String table, String where, String... renamed) {
        List<String> columns = columns(table);
        java.util.Set<String> rename = java.util.Set.of(renamed);
        String select = columns.stream().map(c -> rename.contains(c.toLowerCase(java.util.Locale.ROOT))
                ? "concat(t." + c + ", '~', c.n)" : "t." + c).collect(java.util.stream.Collectors.joining(", "));
        jdbc.sql("insert into " + table + " (" + String.join(", ", columns) + ") select " + select + " from " + table
                + " t cross join benchmark_copy c where t." + where).update();
    }

    private List<String> columns(String table) {
        return jdbc.sql("select * from " + table + " where 1 = 0").query(rs -> {
            var meta = rs.getMetaData();
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                names.add(meta.getColumnName(i));
            }
            return names;
        });
    }

    // ---------------------------------------------------------------- helpers

    private long lastLog = System.nanoTime();

    /** Logs a measure's metrics and how long the measure took with its setup and checks. */
    private Map<String, Object> logged(Map<String, Object> metrics) {
        long now = System.nanoTime();
        log.info("benchmark {} measure done in {} s (with setup and checks): {}", database(), seconds(now - lastLog),
                metrics);
        lastLog = now;
        return metrics;
    }

    private void step(String what) {
        long now = System.nanoTime();
        log.info("benchmark {}: {} took {} s", database(), what, seconds(now - lastLog));
    }

    interface Step {
        void run(int i) throws Exception;
    }

    /** Runs {@code n} steps on {@code threads} threads; the first failure fails the measure. */
    static void concurrently(int threads, int n, Step step) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        step.run(i);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                try {
                    worker.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    next.set(n);
                    if (e.getCause() instanceof Exception cause) {
                        throw cause;
                    }
                    throw e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs {@code step} for each item, 100 to a transaction, on two threads. */
    private void inBatches(List<String> items, java.util.function.Consumer<String> step) throws Exception {
        int batches = (items.size() + 99) / 100;
        concurrently(2, batches, b -> tx.executeWithoutResult(s -> items.subList(b * 100,
                Math.min(items.size(), (b + 1) * 100)).forEach(step)));
    }

    private void batch(String sql, List<Object[]> rows) {
        for (int from = 0; from < rows.size(); from += 1000) {
            List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + 1000));
            tx.executeWithoutResult(s -> new org.springframework.jdbc.core.JdbcTemplate(
                    ((org.springframework.jdbc.datasource.DataSourceTransactionManager) tx.getTransactionManager())
                            .getDataSource()).batchUpdate(sql, chunk));
        }
    }

    private HttpResponse<String> post(String path, String user, Map<String, ?> body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":demo")
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static void awaitOrFail(java.util.function.BooleanSupplier done, String failure, long pollMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + STUCK_AFTER.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure);
            }
            Thread.sleep(pollMillis);
        }
    }

    /** A self-check: a run that finds a lost, stuck or doubled dispute fails. */
    static void check(boolean ok, String failure) {
        if (!ok) {
            throw new AssertionError("benchmark self-check failed: " + failure);
        }
    }

    static double seconds(long nanos) {
        return Math.round(nanos / 1e6) / 1000.0;
    }

    static double perSecond(int n, long nanos) {
        return Math.round(n / (nanos / 1e9) * 10) / 10.0;
    }

    static Map<String, Object> percentiles(String name, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        Map<String, Object> m = new LinkedHashMap<>();
        for (int p : new int[] {50, 95, 99}) {
            long v = sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1,
                    (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
            m.put(name + "P" + p, Math.round(v / 1e4) / 100.0);
        }
        return m;
    }
}
