package cn.kameng.refunddesk.support;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.Caller;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeRepository;
import cn.kameng.refunddesk.dispute.Party;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.evidence.RequiredEvidence;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;
import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.sandbox.SandboxSettlement;
import cn.kameng.refunddesk.workflow.DisputeService;

/** Test helpers: make orders and disputes, move the clock, run due jobs, find tasks. */
@Component
@org.springframework.context.annotation.Profile("default")
public class TestDisputes {

    public static final Caller BUYER1 = new Caller("buyer1", Set.of(Caller.CUSTOMERS));
    public static final Caller BUYER2 = new Caller("buyer2", Set.of(Caller.CUSTOMERS));
    public static final Caller MERCHANT1 = new Caller("merchant1", Set.of(Caller.MERCHANTS));
    public static final Caller MERCHANT2 = new Caller("merchant2", Set.of(Caller.MERCHANTS));

    private final JdbcClient jdbc;
    private final DisputeService disputes;
    private final DisputeRepository repository;
    private final RuntimeService runtime;
    private final TaskService tasks;
    private final ManagementService management;
    private final SandboxSettlement settlement;
    private final RequiredEvidence requiredEvidence;

    private final org.camunda.bpm.engine.ProcessEngine engine;
    private final org.springframework.core.env.Environment environment;

    TestDisputes(JdbcClient jdbc, DisputeService disputes, DisputeRepository repository, RuntimeService runtime,
            TaskService tasks, ManagementService management, SandboxSettlement settlement,
            RequiredEvidence requiredEvidence, org.camunda.bpm.engine.ProcessEngine engine,
            org.springframework.core.env.Environment environment) {
        this.engine = engine;
        this.environment = environment;
        this.requiredEvidence = requiredEvidence;
        this.jdbc = jdbc;
        this.disputes = disputes;
        this.repository = repository;
        this.runtime = runtime;
        this.tasks = tasks;
        this.management = management;
        this.settlement = settlement;
    }

    /** A sandbox order of buyer1 at merchant1, delivered {@code daysAgo} days ago (null: not delivered). */
    public String order(long amountFen, PaymentChannel channel, ProductCategory category, Integer daysAgo,
            String gatewayBehaviour) {
        String id = "ORD-T-" + UUID.randomUUID().toString().substring(0, 12);
        Instant now = ClockUtil.getCurrentTime().toInstant();
        jdbc.sql("""
                insert into sandbox_order (order_id, buyer_id, merchant_id, amount_fen, payment_channel, product_category,
                  delivered_at, delivered_card_key, gateway_behaviour, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(id, "buyer1", "merchant1", amountFen, channel.name(), category.name(),
                        daysAgo == null ? null : java.sql.Timestamp.from(now.minus(daysAgo, ChronoUnit.DAYS)),
                        "KEY-" + id, gatewayBehaviour, java.sql.Timestamp.from(now))
                .update();
        return id;
    }

    public String order(long amountFen) {
        return order(amountFen, PaymentChannel.ALIPAY, ProductCategory.CARD_KEY, 1, "SUCCEED");
    }

    /** A delivered Alipay card-key order of another buyer at merchant1. */
    public String orderOf(String buyer, long amountFen) {
        String id = order(amountFen);
        jdbc.sql("update sandbox_order set buyer_id = ? where order_id = ?").params(buyer, id).update();
        return id;
    }

    /** The messages of the dispute's timeline, in order. */
    public java.util.List<String> timelineMessages(String disputeId) {
        return jdbc.sql("select message from timeline_entry where dispute_id = ? order by id").param(disputeId)
                .query(String.class).list();
    }

    /** Claims and completes a task as a signed-in user, as Tasklist does. */
    public void completeAs(String user, Task task, java.util.Map<String, Object> variables) {
        tasks.setAssignee(task.getId(), user);
        java.util.List<String> groups = engine.getIdentityService().createGroupQuery().groupMember(user).list().stream()
                .map(org.camunda.bpm.engine.identity.Group::getId).toList();
        engine.getIdentityService().setAuthentication(user, groups);
        try {
            tasks.complete(task.getId(), variables);
        } finally {
            engine.getIdentityService().clearAuthentication();
        }
    }

    /** The events of the dispute's timeline, in order. */
    public java.util.List<String> timeline(String disputeId) {
        return jdbc.sql("select event from timeline_entry where dispute_id = ? order by id").param(disputeId)
                .query(String.class).list();
    }

    public Dispute open(String orderId, Reason reason) {
        return disputes.open(BUYER1, new DisputeService.OpenRequest(orderId, reason, "测试争议", null), null).dispute();
    }

    public Dispute open(long amountFen, Reason reason) {
        return open(order(amountFen), reason);
    }

    public Dispute get(String id) {
        return repository.get(id);
    }

    public ProcessInstance instance(String disputeId) {
        return runtime.createProcessInstanceQuery().processInstanceBusinessKey(disputeId)
                .processDefinitionKey(ProcessIds.PROCESS_REFUND_DISPUTE).singleResult();
    }

    /** The latest instance of the dispute's process, running or ended (history). */
    public String lastInstanceId(String disputeId) {
        return jdbc.sql("""
                select id_ from act_hi_procinst where business_key_ = ? and proc_def_key_ = ?
                order by start_time_ desc""").params(disputeId, ProcessIds.PROCESS_REFUND_DISPUTE)
                .query(String.class).list().get(0);
    }

    public Task task(String disputeId, String taskKey) {
        return tasks.createTaskQuery().processInstanceBusinessKey(disputeId).taskDefinitionKey(taskKey).singleResult();
    }

    public void moveClock(java.time.Duration by) {
        ClockUtil.setCurrentTime(Date.from(ClockUtil.getCurrentTime().toInstant().plus(by)));
    }

    /** Runs every job due now (timers, async continuations) of the dispute's processes, repeatedly. */
    public void runDueJobs(String disputeId) {
        for (int round = 0; round < 20; round++) {
            List<Job> due = management.createJobQuery().processInstanceId(lastInstanceId(disputeId)).executable()
                    .list().stream().filter(j -> j.getDuedate() == null
                            || !j.getDuedate().after(ClockUtil.getCurrentTime()))
                    .toList();
            List<Job> complaintJobs = management.createJobQuery().executable().list().stream()
                    .filter(j -> j.getProcessDefinitionKey() != null
                            && j.getProcessDefinitionKey().equals(ProcessIds.PROCESS_EXTERNAL_COMPLAINT))
                    .filter(j -> j.getDuedate() == null || !j.getDuedate().after(ClockUtil.getCurrentTime()))
                    .filter(j -> disputeId.equals(businessKey(j.getProcessInstanceId())))
                    .toList();
            if (due.isEmpty() && complaintJobs.isEmpty()) {
                return;
            }
            due.forEach(j -> management.executeJob(j.getId()));
            complaintJobs.forEach(j -> management.executeJob(j.getId()));
        }
        throw new IllegalStateException("jobs of " + disputeId + " keep coming due");
    }

    private String businessKey(String processInstanceId) {
        var pi = runtime.createProcessInstanceQuery().processInstanceId(processInstanceId).singleResult();
        return pi == null ? null : pi.getBusinessKey();
    }

    /** The sandbox gateway settles every pending refund now and sends its notifications. */
    public int settleRefunds() {
        return settlement.settle(true);
    }

    public java.util.Map<String, Instant> deadlines(String disputeId) {
        java.util.Map<String, Instant> result = new java.util.HashMap<>();
        jdbc.sql("select kind, due_at from dispute_deadline where dispute_id = ?").param(disputeId)
                .query((rs, i) -> result.put(rs.getString(1), rs.getTimestamp(2).toInstant())).list();
        return result;
    }

    /** The customer brings what processes/required-evidence.dmn asks for the formal request (metadata only). */
    public void bringRequiredEvidence(String disputeId) {
        Dispute d = get(disputeId);
        requiredEvidence.of(d.reason(), Party.CUSTOMER)
                .forEach(r -> addEvidence(disputeId, d.customerId(), Party.CUSTOMER.name(), r.kind().name()));
    }

    /** Evidence as a party uploaded it (metadata only: the process reads the rows). */
    public void addEvidence(String disputeId, String user, String party, String kind) {
        jdbc.sql("""
                insert into evidence (id, dispute_id, party, uploaded_by, kind, file_name, content_type, size_bytes,
                  sha256, uploaded_at) values (?, ?, ?, ?, ?, 'proof.png', 'image/png', 10, ?, ?)""")
                .params("EVD-" + UUID.randomUUID(), disputeId, party, user, kind, "0".repeat(64),
                        java.sql.Timestamp.from(ClockUtil.getCurrentTime().toInstant()))
                .update();
    }

    /** Lifts the customer's restrictions behind the process's back: tests sharing a context open disputes as them. */
    public void liftRestrictions(String customerId) {
        jdbc.sql("update account_restriction set status = 'LIFTED' where customer_id = ?").param(customerId).update();
    }

    public int restrictions(String customerId, String disputeId) {
        return jdbc.sql("select count(*) from account_restriction where customer_id = ? and dispute_id = ?")
                .params(customerId, disputeId).query(Integer.class).single();
    }

    public Task complaintTask(String complaintId) {
        return tasks.createTaskQuery().processVariableValueEquals(ProcessIds.Var.COMPLAINT_ID, complaintId)
                .taskDefinitionKey(ProcessIds.Task.HANDLE_EXTERNAL_COMPLAINT).singleResult();
    }

    public String complaintStatus(String complaintId) {
        return jdbc.sql("select status from external_complaint where id = ?").param(complaintId)
                .query(String.class).single();
    }

    /** How many refunds the sandbox gateway holds for an order: the money it was asked to move. */
    public int gatewayRefunds(String orderId) {
        return jdbc.sql("select count(*) from sandbox_gateway_refund where order_id = ?").param(orderId)
                .query(Integer.class).single();
    }

    /** The sandbox gateway's answer to refunds it already holds for the order changes (e.g. it settles at last). */
    public void setPendingGatewayBehaviour(String orderId, String behaviour) {
        jdbc.sql("update sandbox_gateway_refund set behaviour = ? where order_id = ?").params(behaviour, orderId)
                .update();
    }

    public void setGatewayBehaviour(String orderId, String behaviour) {
        jdbc.sql("update sandbox_order set gateway_behaviour = ? where order_id = ?").params(behaviour, orderId).update();
    }

    /** A dispute on {@code orderId} (invalid card key) the merchant accepted: its refund request job waits. */
    public String acceptedDispute(String orderId) {
        String id = open(orderId, Reason.INVALID_CARD_KEY).id();
        disputes.merchantResponse(MERCHANT1, id, new DisputeService.MerchantAnswer(
                DisputeService.MerchantDecision.ACCEPT, null, "同意退款", null));
        return id;
    }

    /** The dispute's waiting refund request job (the async boundary before the gateway), or null. */
    public Job refundJob(String disputeId) {
        return management.createJobQuery().processInstanceId(instance(disputeId).getId())
                .activityId(ProcessIds.Element.SERVICE_TASK_REQUEST_REFUND).singleResult();
    }

    /** Runs the dispute's refund request job once, as the job executor would; its failure is thrown. */
    public void runRefundJob(String disputeId) {
        Job job = refundJob(disputeId);
        if (job == null) {
            throw new AssertionError("no refund request job waits for " + disputeId);
        }
        management.executeJob(job.getId());
    }

    /** How a refund request's whole retry cycle ended: how many attempts ran, and the incident left. */
    public record RetriesExhausted(int attempts, org.camunda.bpm.engine.runtime.Incident incident) {
    }

    /**
     * Runs the dispute's refund request job through its retry cycle, a minute apart, each attempt
     * failing with a message containing {@code failure}; stops after 10 attempts at most.
     */
    public RetriesExhausted runRefundJobUntilIncident(String disputeId, String failure) {
        Job job = refundJob(disputeId);
        int attempts = 0;
        while (refundJob(disputeId).getRetries() > 0) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> management.executeJob(job.getId()))
                    .hasMessageContaining(failure);
            attempts++;
            org.assertj.core.api.Assertions.assertThat(attempts).as("the retries end").isLessThanOrEqualTo(10);
            moveClock(java.time.Duration.ofMinutes(1).plusSeconds(1));
        }
        return new RetriesExhausted(attempts, runtime.createIncidentQuery()
                .processInstanceId(instance(disputeId).getId()).singleResult());
    }

    /** A payment gateway's notification posted to {@code /api/v1/payment-notifications/{gateway}}. */
    public java.net.http.HttpResponse<String> postNotification(String gateway, String contentType, String body,
            java.util.Map<String, String> headers) throws java.io.IOException, InterruptedException {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:"
                + environment.getProperty("local.server.port") + "/api/v1/payment-notifications/" + gateway))
                .header("Content-Type", contentType)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return java.net.http.HttpClient.newHttpClient().send(request.build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /**
     * What a staff form shows for a task: the values Tasklist receives from
     * {@code GET /engine-rest/task/{id}/form-variables}, asked over HTTP as {@code user} (demo password).
     * Empty when the user may not read the task.
     */
    public java.util.Map<String, Object> formFacts(String user, String taskId) {
        // /engine-rest finds its engine by name in Camunda's static registry: point it at this context's engine
        org.camunda.bpm.engine.ProcessEngines.registerProcessEngine(engine);
        var http = org.springframework.web.client.RestClient.builder()
                .baseUrl("http://localhost:" + environment.getProperty("local.server.port"))
                .defaultStatusHandler(status -> true, (request, response) -> { }).build();
        var answer = http.get().uri("/engine-rest/task/{id}/form-variables", taskId)
                .headers(h -> h.setBasicAuth(user, "demo")).retrieve()
                .toEntity(com.fasterxml.jackson.databind.JsonNode.class);
        java.util.Map<String, Object> values = new java.util.TreeMap<>();
        if (answer.getStatusCode().value() == 200 && answer.getBody() != null) {
            answer.getBody().fields().forEachRemaining(e -> {
                var value = e.getValue().get("value");
                values.put(e.getKey(), value == null || value.isNull() ? null
                        : value.isNumber() ? (Object) value.asLong() : value.asText());
            });
        }
        return values;
    }

    /** The idempotency key of the dispute's live refund, as the service made it (it cannot be guessed). */
    public String refundKey(String disputeId) {
        return jdbc.sql("select idempotency_key from refund where live_dispute_id = ?").param(disputeId)
                .query(String.class).single();
    }

    /** The pattern of the key of the dispute's n-th refund: {@code <dispute id>-R<n>-} and 10 random letters or digits. */
    public static String refundKeyPattern(String disputeId, int n) {
        return java.util.regex.Pattern.quote(disputeId + "-R" + n + "-") + "[0-9A-Za-z]{10}";
    }
}
