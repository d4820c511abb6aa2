package cn.kameng.refunddesk.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngines;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import com.fasterxml.jackson.databind.JsonNode;

import cn.kameng.refunddesk.complaint.ChannelComplaintRecords;
import cn.kameng.refunddesk.complaint.ChannelPoller;
import cn.kameng.refunddesk.complaint.Complaint;
import cn.kameng.refunddesk.complaint.ComplaintOutcome;
import cn.kameng.refunddesk.complaint.ComplaintRecords;
import cn.kameng.refunddesk.complaint.ComplaintStatus;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;
import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A WeChat Pay complaint's whole life in Tasklist (ADR 0072), against WireMock answering as WeChat Pay does: closed at
 * the channel, our complaint task ends and is never flagged overdue; a complaint naming an order we do not know is a
 * task for the complaints group, who tie it to the right order or mark it as not ours.
 */
@DisputeServiceTest
class ChannelComplaintLifecycleTest {

    private static final String PUSH = "/api/v1/channels/wechatpay-complaint-v2/complaint-notifications";
    private static final String COMPLAINTS_FILTER = "外部投诉 External complaints";
    static final WechatComplaintStub wechat = new WechatComplaintStub();

    @DynamicPropertySource
    static void wechatPay(DynamicPropertyRegistry registry) {
        wechat.properties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("dispute.channels.poll-enabled", () -> "false");
        registry.add("dispute.channels.answer-relay-interval", () -> "PT1H");
    }

    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired ChannelPoller poller;
    @Autowired ChannelComplaintRecords channelComplaints;
    @Autowired ComplaintRecords complaints;
    @Autowired TaskService tasks;
    @Autowired FilterService filters;
    @Autowired IdentityService identity;
    @Autowired ProcessEngine engine;
    @Autowired MeterRegistry meters;
    @Autowired JdbcClient jdbc;
    @LocalServerPort int port;

    @BeforeEach
    void setUp() {
        ProcessEngines.registerProcessEngine(engine);
        ClockUtil.setCurrentTime(new Date());
        wechat.reset();
        jdbc.sql("delete from channel_poll_cursor").update();
    }

    @AfterEach
    void tearDown() {
        identity.clearAuthentication();
        ClockUtil.reset();
    }

    // ---- closed at the channel ---------------------------------------------------------------------

    @Test
    void aComplaintWechatPayClosesEndsOurTaskOnceWithoutAnAnswerAndIsNeverFlaggedOverdue() throws Exception {
        String orderId = order();
        String id = complaintAbout(orderId, "SERVICE_NOT_WORK");
        push(id, "CREATE_COMPLAINT");
        var taken = channelComplaints.find(WechatPayComplaintSource.SOURCE, id).orElseThrow();
        assertThat(given.complaintTask(taken.complaintId())).isNotNull();
        double closedBefore = sla("CLOSED_BY_CHANNEL");
        double missedBefore = sla("MISSED");

        wechat.complaints.get(id).put("complaint_state", "PROCESSED");
        wechat.publish();
        assertThat(push(id, "COMPLAINT_STATE_CHANGE").statusCode()).isEqualTo(200);
        assertThat(push(id, "COMPLAINT_STATE_CHANGE").statusCode()).isEqualTo(200);
        poller.pollAll();

        assertThat(given.complaintTask(taken.complaintId())).as("the complaint task left Tasklist").isNull();
        Complaint c = complaints.find(taken.complaintId()).orElseThrow();
        assertThat(c.status()).isEqualTo(ComplaintStatus.CLOSED_AT_CHANNEL);
        assertThat(c.outcome()).isEqualTo(ComplaintOutcome.CLOSED_AT_CHANNEL);
        assertThat(c.handledBy()).as("closed by the channel").isEqualTo(WechatPayComplaintSource.SOURCE);
        assertThat(c.answeredAt()).isNotNull();
        JsonNode view = api().get().uri("/api/v1/external-complaints/{id}", c.id()).retrieve().body(JsonNode.class);
        assertThat(view.path("complaint").path("status").asText()).isEqualTo("CLOSED_AT_CHANNEL");
        assertThat(view.path("complaint").path("outcome").asText()).isEqualTo("CLOSED_AT_CHANNEL");
        assertThat(given.timeline(c.disputeId())).as("ended once, whether pushed twice or polled")
                .filteredOn("COMPLAINT_CLOSED_AT_CHANNEL"::equals).hasSize(1);
        assertThat(given.timelineMessages(c.disputeId())).anySatisfy(m -> assertThat(m).contains("已在渠道结案")
                .contains("PROCESSED"));
        assertThat(jdbc.sql("select count(*) from channel_answer where channel_complaint_id = ?").param(taken.id())
                .query(Integer.class).single()).as("nothing to send back").isZero();
        assertThat(sla("CLOSED_BY_CHANNEL") - closedBefore).as("kameng_sla_total{result=CLOSED_BY_CHANNEL}")
                .isEqualTo(1.0);

        given.moveClock(Duration.ofHours(30));
        given.runDueJobs(c.disputeId());

        assertThat(given.timeline(c.disputeId())).as("no overdue flag after the channel closed it")
                .doesNotContain("COMPLAINT_OVERDUE");
        assertThat(sla("MISSED") - missedBefore).isZero();
        assertThat(given.get(c.disputeId()).status()).as("the dispute itself carries on")
                .isNotEqualTo(DisputeStatus.CLOSED);
        assertThat(given.instance(c.disputeId())).isNotNull();
    }

    @Test
    void aComplaintClosedAtTheChannelBeforeWeTookItOpensNothing() throws Exception {
        String orderId = order();
        String id = complaintAbout(orderId, "REFUND");
        wechat.complaints.get(id).put("complaint_state", "PROCESSED");
        wechat.publish();

        push(id, "CREATE_COMPLAINT");
        poller.pollAll();

        var taken = channelComplaints.find(WechatPayComplaintSource.SOURCE, id).orElseThrow();
        assertThat(taken.complaintId()).isNull();
        assertThat(taken.disputeId()).isNull();
        assertThat(jdbc.sql("select count(*) from dispute where order_id = ?").param(orderId).query(Integer.class)
                .single()).as("no dispute opened").isZero();
        assertThat(untiedTask(taken.id())).as("nothing for the complaints group").isNull();

        var d = given.open(orderId, cn.kameng.refunddesk.dispute.Reason.INVALID_CARD_KEY);
        disputes.merchantResponse(TestDisputes.MERCHANT1, d.id(), new MerchantAnswer(MerchantDecision.ACCEPT, null,
                "同意退款", null));
        given.runDueJobs(d.id());
        assertThat(given.settleRefunds()).isEqualTo(1);
        disputes.arrivalConfirmation(TestDisputes.BUYER1, d.id(), true, null);
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.CLOSED);
        assertThat(jdbc.sql("select count(*) from channel_answer where channel_complaint_id = ?").param(taken.id())
                .query(Integer.class).single()).as("the platform's refund is not told to a complaint WeChat Pay closed")
                .isZero();
    }

    // ---- complaints we cannot tie ------------------------------------------------------------------

    @Test
    void aComplaintNamingAnUnknownOrderIsOneTaskForTheComplaintsGroupUntilTiedToTheRightOrder() throws Exception {
        String orderId = order();
        String unknown = "ORD-NOT-" + UUID.randomUUID().toString().substring(0, 8);
        String id = complaintAbout(unknown, "SERVICE_NOT_WORK");
        double untiedBefore = untiedGauge();

        push(id, "CREATE_COMPLAINT");
        push(id, "CREATE_COMPLAINT");
        poller.pollAll();

        var taken = channelComplaints.find(WechatPayComplaintSource.SOURCE, id).orElseThrow();
        assertThat(taken.complaintId()).isNull();
        assertThat(tasks.createTaskQuery().processInstanceBusinessKey(taken.id()).list())
                .as("pushed twice and polled: one task").hasSize(1);
        Task task = untiedTask(taken.id());
        Date channelDeadline = Date.from(OffsetDateTime.parse((String) wechat.complaints.get(id).get("complaint_time"))
                .toInstant().plus(Duration.ofHours(24)));
        assertThat(task.getDueDate()).as("due by WeChat Pay's deadline").isEqualTo(channelDeadline);
        assertThat(tasks.getIdentityLinksForTask(task.getId())).anySatisfy(l -> assertThat(l.getGroupId())
                .isEqualTo("complaints"));
        assertThat(inFilter("complaints1", COMPLAINTS_FILTER)).as("in the complaints group's queue")
                .contains(task.getId());
        assertThat(tasks.getVariables(task.getId())).satisfies(v -> {
            assertThat(v.get(ProcessIds.Var.UNTIED_FACTS)).asString().contains("微信支付").contains(id).contains(unknown)
                    .contains("42000019").contains("68.00 元").contains("北京时间");
            assertThat(v.get(ProcessIds.Var.UNTIED_BUYER_WORDS)).asString().contains("卡密无法兑换");
        });
        assertThat(untiedGauge() - untiedBefore).as("kameng_channel_complaints_untied").isEqualTo(1.0);

        var refused = complete(task, Map.of(ProcessIds.Var.TIE_DECISION, "TIE", ProcessIds.Var.TIE_ORDER_ID,
                "ORD-STILL-NOT-OURS"));
        assertThat(refused.statusCode()).as("refused, as Tasklist shows it").isEqualTo(400);
        assertThat(refused.body()).contains("订单 ORD-STILL-NOT-OURS 不存在");
        assertThat(untiedTask(taken.id())).as("the task stays").isNotNull();

        assertThat(complete(task, Map.of(ProcessIds.Var.TIE_DECISION, "TIE", ProcessIds.Var.TIE_ORDER_ID, orderId,
                ProcessIds.Var.TIE_NOTE, "渠道交易号对得上")).statusCode()).isEqualTo(204);

        assertThat(untiedTask(taken.id())).isNull();
        var tied = channelComplaints.find(taken.id()).orElseThrow();
        assertThat(tied.complaintId()).isNotNull();
        assertThat(tied.orderId()).isEqualTo(orderId);
        assertThat(jdbc.sql("select given_order_id || ' ' || tie_decision || ' ' || tie_decided_by from channel_complaint"
                + " where id = ?").param(taken.id()).query(String.class).single())
                .isEqualTo(unknown + " TIE complaints1");
        Complaint c = complaints.find(tied.complaintId()).orElseThrow();
        assertThat(given.get(c.disputeId()).orderId()).as("the right order's dispute").isEqualTo(orderId);
        assertThat(c.dueAt()).as("the channel's deadline").isEqualTo(channelDeadline.toInstant());
        assertThat(given.complaintTask(c.id()).getDueDate()).isEqualTo(channelDeadline);
        assertThat(jdbc.sql("select party || ' ' || content_type from evidence where dispute_id = ?").param(c.disputeId())
                .query(String.class).list()).as("the buyer's image as the platform's evidence")
                .containsExactly("PLATFORM image/png");
        assertThat(given.timeline(c.disputeId())).contains("CHANNEL_COMPLAINT_TIED");
        assertThat(untiedGauge() - untiedBefore).isZero();

        poller.pollAll();
        assertThat(jdbc.sql("select count(*) from external_complaint where external_id = ?").param(id)
                .query(Integer.class).single()).as("the poll after it changes nothing").isEqualTo(1);
    }

    @Test
    void aComplaintThatIsNotOursIsRecordedAsSuchAndItsTaskEnds() throws Exception {
        String id = complaintAbout("ORD-ELSEWHERE-" + UUID.randomUUID().toString().substring(0, 8), "OTHERS");
        push(id, "CREATE_COMPLAINT");
        var taken = channelComplaints.find(WechatPayComplaintSource.SOURCE, id).orElseThrow();
        Task task = untiedTask(taken.id());

        var noNote = complete(task, Map.of(ProcessIds.Var.TIE_DECISION, "NOT_OURS"));
        assertThat(noNote.statusCode()).isEqualTo(400);
        assertThat(noNote.body()).contains("请说明");
        assertThat(complete(task, Map.of(ProcessIds.Var.TIE_DECISION, "NOT_OURS", ProcessIds.Var.TIE_NOTE,
                "商户号不是本平台的")).statusCode()).isEqualTo(204);

        assertThat(untiedTask(taken.id())).isNull();
        assertThat(jdbc.sql("select tie_decision || ' ' || tie_decided_by || ' ' || tie_note from channel_complaint"
                + " where id = ?").param(taken.id()).query(String.class).single())
                .isEqualTo("NOT_OURS complaints1 商户号不是本平台的");
        assertThat(jdbc.sql("select count(*) from external_complaint where external_id = ?").param(id)
                .query(Integer.class).single()).isZero();
        poller.pollAll();
        assertThat(untiedTask(taken.id())).as("the poll does not bring it back").isNull();
    }

    @Test
    void anUntiedComplaintTheChannelClosesLeavesTheComplaintsGroupsQueue() throws Exception {
        String id = complaintAbout("ORD-GONE-" + UUID.randomUUID().toString().substring(0, 8), "OTHERS");
        push(id, "CREATE_COMPLAINT");
        var taken = channelComplaints.find(WechatPayComplaintSource.SOURCE, id).orElseThrow();
        assertThat(untiedTask(taken.id())).isNotNull();

        wechat.complaints.get(id).put("complaint_state", "PROCESSED");
        wechat.publish();
        push(id, "COMPLAINT_STATE_CHANGE");

        assertThat(untiedTask(taken.id())).isNull();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private Task untiedTask(String channelComplaintId) {
        return tasks.createTaskQuery().processInstanceBusinessKey(channelComplaintId)
                .processDefinitionKey(ProcessIds.PROCESS_UNTIED_CHANNEL_COMPLAINT)
                .taskDefinitionKey(ProcessIds.Task.TIE_CHANNEL_COMPLAINT).singleResult();
    }

    /** Completes the task through /engine-rest as complaints1, as Tasklist does. */
    private HttpResponse<String> complete(Task task, Map<String, String> values) throws Exception {
        Map<String, Object> variables = new java.util.LinkedHashMap<>();
        values.forEach((k, v) -> variables.put(k, Map.of("value", v, "type", "String")));
        String body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of("variables", variables));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/engine-rest/task/"
                        + task.getId() + "/complete"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("complaints1:demo".getBytes()))
                .header("Content-Type", MediaType.APPLICATION_JSON_VALUE)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private List<String> inFilter(String user, String filterName) {
        var groups = identity.createGroupQuery().groupMember(user).list().stream()
                .map(org.camunda.bpm.engine.identity.Group::getId).toList();
        identity.setAuthentication(user, groups);
        try {
            var filter = filters.createFilterQuery().filterName(filterName).singleResult();
            return filters.<Task>list(filter.getId()).stream().map(Task::getId).toList();
        } finally {
            identity.clearAuthentication();
        }
    }

    private double sla(String result) {
        var counter = meters.find("kameng.sla").tag("kind", "COMPLAINT_WECHAT_PAY").tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    private double untiedGauge() {
        return meters.get("kameng.channel.complaints.untied").gauge().value();
    }

    private RestClient api() {
        return RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultHeaders(h -> h.setBasicAuth("complaints1", "demo")).build();
    }

    private String order() {
        return given.order(6800, PaymentChannel.WECHAT_PAY, ProductCategory.CARD_KEY, 1, "SUCCEED");
    }

    private String complaintAbout(String orderId, String problemType) {
        String id = "2002019" + Math.abs(UUID.randomUUID().getMostSignificantBits() % 100_000_000_000_000L);
        wechat.complaint(id, orderId, 6800, problemType, OffsetDateTime.ofInstant(ClockUtil.getCurrentTime().toInstant(),
                ZoneOffset.ofHours(8)));
        wechat.publish();
        return id;
    }

    private HttpResponse<String> push(String id, String action) throws Exception {
        WechatPayStub.Notice notice = wechat.notice(id, action);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + PUSH))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(notice.body()));
        notice.headers().forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
