package cn.kameng.refunddesk.wechatpay;

import static cn.kameng.refunddesk.support.TestDisputes.BUYER1;
import static cn.kameng.refunddesk.support.TestDisputes.MERCHANT1;
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

import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import cn.kameng.refunddesk.complaint.ChannelAnswerRelay;
import cn.kameng.refunddesk.complaint.ChannelComplaintRecords;
import cn.kameng.refunddesk.complaint.ChannelPoller;
import cn.kameng.refunddesk.complaint.Complaint;
import cn.kameng.refunddesk.complaint.ComplaintRecords;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.Outcome;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;
import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.EvidenceFiles;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;

/**
 * WeChat Pay 消费者投诉2.0 both ways through the whole service, against WireMock answering as WeChat Pay does:
 * a complaint pushed (signed, encrypted) or polled is one complaint on the order's dispute, with WeChat's deadline
 * and the buyer's image as evidence; the answers reach WeChat Pay once each, whether it is up or down meanwhile.
 */
@DisputeServiceTest
class WechatPayComplaintsTest {

    private static final String PUSH = "/api/v1/channels/wechatpay-complaint-v2/complaint-notifications";
    static final WechatComplaintStub wechat = new WechatComplaintStub();
    // shared with the PostgreSQL subclass, so not stopped after the first class: it ends with the test JVM

    @DynamicPropertySource
    static void wechatPay(DynamicPropertyRegistry registry) {
        wechat.properties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("dispute.channels.poll-enabled", () -> "false");
        registry.add("dispute.channels.answer-relay-interval", () -> "PT1H");
    }

    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired ChannelPoller poller;
    @Autowired ChannelAnswerRelay relay;
    @Autowired ChannelComplaintRecords channelComplaints;
    @Autowired ComplaintRecords complaints;
    @Autowired JdbcClient jdbc;
    @Autowired cn.kameng.refunddesk.evidence.EvidenceStore store;
    @Autowired cn.kameng.refunddesk.dispute.Journal journal;
    @Autowired org.camunda.bpm.engine.ProcessEngine engine;
    @LocalServerPort int port;

    @BeforeEach
    void setUp() {
        ClockUtil.setCurrentTime(new Date());
        wechat.reset();
        jdbc.sql("delete from channel_poll_cursor").update();
    }

    @AfterEach
    void tearDown() {
        ClockUtil.reset();
    }

    @Test
    void theSameComplaintPushedTwiceAndPolledOnceIsOneComplaintOnItsOrdersNewDispute() throws Exception {
        String orderId = order();
        String id = complaintAbout(orderId, "SERVICE_NOT_WORK");

        assertThat(push(id, "CREATE_COMPLAINT").statusCode()).isEqualTo(200);
        assertThat(push(id, "CREATE_COMPLAINT").statusCode()).isEqualTo(200);
        poller.pollAll();

        var taken = channelComplaints.find(WechatPayComplaintSource.SOURCE, id).orElseThrow();
        assertThat(jdbc.sql("select count(*) from channel_complaint where external_id = ?").param(id)
                .query(Integer.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from external_complaint where external_id = ?").param(id)
                .query(Integer.class).single()).isEqualTo(1);
        assertThat(wechat.detailReads(id)).as("the poll did not read a complaint that did not change").isEqualTo(2);
        Dispute d = given.get(taken.disputeId());
        assertThat(d.orderId()).isEqualTo(orderId);
        assertThat(d.reason()).as("channel-complaint-reason.dmn: SERVICE_NOT_WORK").isEqualTo(Reason.INVALID_CARD_KEY);
        Complaint c = complaints.find(taken.complaintId()).orElseThrow();
        Date complained = Date.from(OffsetDateTime.parse((String) wechat.complaints.get(id).get("complaint_time"))
                .toInstant());
        assertThat(c.dueAt()).as("WeChat Pay's 24 calendar hours from its complaint_time")
                .isEqualTo(complained.toInstant().plus(Duration.ofHours(24)));
        assertThat(given.complaintTask(c.id()).getDueDate()).isEqualTo(Date.from(c.dueAt()));
        var view = org.springframework.web.client.RestClient.create("http://localhost:" + port).get().uri("/api/v1/disputes/{id}", d.id()).headers(h -> h.setBasicAuth("complaints1", "demo"))
                .retrieve().body(com.fasterxml.jackson.databind.JsonNode.class);
        assertThat(java.time.Instant.parse(view.path("deadlines").path("COMPLAINT_WECHAT_PAY").asText()))
                .as("the API's deadlines carry the channel's").isEqualTo(c.dueAt());
        assertThat(view.path("deadlineDetails").path("COMPLAINT_WECHAT_PAY").path("countedOn").asText())
                .as("in WeChat Pay's terms: calendar hours").isEqualTo("CALENDAR_TIME");
        assertThat(jdbc.sql("select party, content_type from evidence where dispute_id = ?").param(d.id())
                .query((rs, i) -> rs.getString(1) + " " + rs.getString(2)).list())
                .as("the buyer's image, once, as the platform's evidence").containsExactly("PLATFORM image/png");
        assertThat(channelComplaints.history(taken.id())).singleElement()
                .satisfies(h -> assertThat(h.channelAction()).isEqualTo("USER_CREATE_COMPLAINT"));
    }

    @Test
    void aComplaintWhoseNotificationWasLostIsCaughtByThePoll() {
        String orderId = order();
        String id = complaintAbout(orderId, "REFUND");

        poller.pollAll();

        var taken = channelComplaints.find(WechatPayComplaintSource.SOURCE, id).orElseThrow();
        assertThat(taken.complaintId()).isNotNull();
        assertThat(taken.refundRequested()).isTrue();
        assertThat(wechat.lists()).isNotEmpty().allSatisfy(r -> {
            java.time.LocalDate begin = java.time.LocalDate.parse(r.queryParameter("begin_date").firstValue());
            java.time.LocalDate end = java.time.LocalDate.parse(r.queryParameter("end_date").firstValue());
            assertThat(java.time.temporal.ChronoUnit.DAYS.between(begin, end)).as("at most 30 days").isLessThan(30);
        });
        poller.pollAll();
        assertThat(wechat.detailReads(id)).as("read once").isEqualTo(1);
    }

    @Test
    void aSourceWhosePollAnotherNodeHoldsIsNotPolledTwice() {
        String id = complaintAbout(order(), "OTHERS");
        java.time.Instant now = ClockUtil.getCurrentTime().toInstant();
        jdbc.sql("insert into channel_poll_cursor (source, polled_until, claimed_until) values (?, ?, ?)")
                .params(WechatPayComplaintSource.SOURCE, java.sql.Timestamp.from(now.minus(Duration.ofDays(1))),
                        java.sql.Timestamp.from(now.plus(Duration.ofMinutes(5)))).update();

        poller.pollAll();
        assertThat(wechat.lists()).as("another node holds the claim").isEmpty();

        given.moveClock(Duration.ofMinutes(6));
        poller.pollAll();
        assertThat(wechat.lists()).as("its claim expired").isNotEmpty();
        assertThat(channelComplaints.find(WechatPayComplaintSource.SOURCE, id)).isPresent();
        assertThat(jdbc.sql("select count(*) from channel_poll_cursor where source = ? and claimed_until is null")
                .param(WechatPayComplaintSource.SOURCE).query(Integer.class).single()).as("the claim is let go").isEqualTo(1);
    }

    @Test
    void aForgedNotificationIsRefusedAndChangesNothing() throws Exception {
        String id = complaintAbout(order(), "OTHERS");
        var forged = wechat.notice(id, "CREATE_COMPLAINT", wechat.wechat.forgerKeys.getPrivate(), wechat.wechat.apiV3Key);

        HttpResponse<String> answer = post(forged);

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(answer.body()).contains("signature does not verify");
        assertThat(channelComplaints.find(WechatPayComplaintSource.SOURCE, id)).isEmpty();
        assertThat(wechat.detailReads(id)).isZero();
    }

    @Test
    void answersWaitInTheOutboxWhileWechatPayIsDownAndGoOnceWhenItIsBack() throws Exception {
        String id = complaintAbout(order(), "OTHERS");
        push(id, "CREATE_COMPLAINT");
        var taken = channelComplaints.find(WechatPayComplaintSource.SOURCE, id).orElseThrow();
        given.completeAs("complaints1", given.complaintTask(taken.complaintId()), Map.of(
                ProcessIds.Var.COMPLAINT_OUTCOME, "UPHOLD", ProcessIds.Var.COMPLAINT_RESPONSE, "您好，卡密已补发，请查收"));

        wechat.down(503);
        for (int hour = 0; hour < 4; hour++) {
            relay.relay();
            given.moveClock(Duration.ofMinutes(20));
        }
        assertThat(outbox(taken.id())).singleElement().satisfies(a -> {
            assertThat(a.get("status")).isEqualTo("PENDING");
            assertThat((Integer) a.get("attempts")).isGreaterThanOrEqualTo(2);
        });

        wechat.up();
        given.moveClock(Duration.ofHours(1));
        relay.relay();
        relay.relay();
        given.moveClock(Duration.ofHours(2));
        relay.relay();

        assertThat(wechat.answers(id, "response")).containsExactly(Map.of("complainted_mchid",
                WechatPayStub.MERCHANT_ID, "response_content", "您好，卡密已补发，请查收"));
        assertThat(outbox(taken.id())).singleElement().satisfies(a -> assertThat(a.get("status")).isEqualTo("SENT"));
    }

    @Test
    void aWechatComplaintAndAPlatformDisputeOnOneOrderAreOneRefundAndWechatHearsEachStepOnce() throws Exception {
        String orderId = order();
        Dispute d = given.open(orderId, Reason.INVALID_CARD_KEY);
        disputes.merchantResponse(MERCHANT1, d.id(), new MerchantAnswer(MerchantDecision.REFUSE, null, "卡密已被使用", null));
        String id = complaintAbout(orderId, "REFUND");
        push(id, "CREATE_COMPLAINT");
        var taken = channelComplaints.find(WechatPayComplaintSource.SOURCE, id).orElseThrow();
        assertThat(taken.disputeId()).as("tied to the order's open dispute").isEqualTo(d.id());

        given.completeAs("complaints1", given.complaintTask(taken.complaintId()), Map.of(
                ProcessIds.Var.COMPLAINT_OUTCOME, "REFUND", ProcessIds.Var.COMPLAINT_RESPONSE, "已核实，马上为您退款"));
        given.runDueJobs(d.id());
        assertThat(given.settleRefunds()).isEqualTo(1);
        disputes.arrivalConfirmation(BUYER1, d.id(), true, null);
        assertThat(given.get(d.id()).outcome()).isEqualTo(Outcome.REFUNDED);
        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.CLOSED);
        relay.relay();
        relay.relay();

        assertThat(given.gatewayRefunds(orderId)).as("one refund").isEqualTo(1);
        assertThat(wechat.answers(id, "response")).singleElement()
                .satisfies(b -> assertThat(b).containsEntry("response_content", "已核实，马上为您退款"));
        assertThat(wechat.answers(id, "update-refund-progress")).singleElement()
                .satisfies(b -> assertThat(b).containsEntry("action", "APPROVE").containsEntry("launch_refund_day", 0));
        assertThat(wechat.answers(id, "complete")).hasSize(1);
        assertThat(outbox(taken.id())).extracting(a -> a.get("kind") + " " + a.get("status"))
                .containsExactly("REPLY SENT", "REFUND_APPROVED SENT", "COMPLETE SENT");
    }

    @Test
    void theComplaintsFormShowsWhatTheChannelSaidAndWhatWillGoBack() throws Exception {
        String id = complaintAbout(order(), "REFUND");
        wechat.histories.get(id).add(Map.of("log_id", "2", "operator", "微信支付客服", "operate_time",
                "2026-11-30T10:00:00+08:00", "operate_type", "COMPLAINT_ENTRUSTED_REFUND_SYSTEM_MESSAGE",
                "operate_details", "请商户尽快处理", "image_list", List.of()));
        wechat.publish();
        push(id, "CREATE_COMPLAINT");
        var taken = channelComplaints.find(WechatPayComplaintSource.SOURCE, id).orElseThrow();

        Map<String, Object> facts = given.formFacts("complaints1", given.complaintTask(taken.complaintId()).getId());

        assertThat(facts.get("complaintSource")).asString().contains("wechatpay-complaint-v2").contains("REFUND")
                .contains("买家申请退款");
        assertThat(facts.get("complaintBuyerWords")).asString().contains("卡密无法兑换");
        assertThat(facts.get("complaintImageLinks")).asString().contains("/api/v1/disputes/" + taken.disputeId()
                + "/evidence/EVD-").contains("image/png");
        assertThat(facts.get("complaintHistoryText")).asString().contains("买家（USER_CREATE_COMPLAINT）")
                .contains("渠道（COMPLAINT_ENTRUSTED_REFUND_SYSTEM_MESSAGE）：请商户尽快处理");
        assertThat(facts.get("complaintChannelDeadlines")).asString().contains("首次回复").contains("处理完结")
                .contains("自然小时");
        assertThat(facts.get("complaintAnswerPreview")).asString().contains("微信支付").contains("同意买家的退款申请");
    }

    @Test
    void a12315ComplaintTypedInKeepsTheChannelsDeadlineAndTakesTheChannelsFiles() throws Exception {
        String orderId = order();
        var http = org.springframework.web.client.RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> { }).build();
        java.time.Instant due = ClockUtil.getCurrentTime().toInstant().plus(Duration.ofDays(5))
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        var past = http.post().uri("/api/v1/external-complaints").headers(h -> h.setBasicAuth("complaints1", "demo"))
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body(Map.of("channel", "CONSUMER_12315", "externalId", "12315-" + orderId, "orderId", orderId,
                        "summary", "消费者向12315投诉", "channelDueAt", "2020-01-01T00:00:00Z"))
                .retrieve().toEntity(String.class);
        assertThat(past.getStatusCode().value()).isEqualTo(400);
        assertThat(past.getBody()).contains("channelDueAt");

        var created = http.post().uri("/api/v1/external-complaints").headers(h -> h.setBasicAuth("complaints1", "demo"))
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body(Map.of("channel", "CONSUMER_12315", "externalId", "12315-" + orderId, "orderId", orderId,
                        "summary", "消费者向12315投诉", "channelDueAt", due.toString()))
                .retrieve().toEntity(com.fasterxml.jackson.databind.JsonNode.class);
        assertThat(created.getStatusCode().value()).isEqualTo(201);
        String complaintId = created.getBody().path("complaint").path("id").asText();
        assertThat(complaints.find(complaintId).orElseThrow().dueAt()).isEqualTo(due);
        assertThat(given.complaintTask(complaintId).getDueDate()).isEqualTo(Date.from(due));

        var files = new org.springframework.util.LinkedMultiValueMap<String, Object>();
        files.add("file", new org.springframework.core.io.ByteArrayResource(cn.kameng.refunddesk.support.EvidenceFiles.png()) {
            @Override
            public String getFilename() {
                return "12315-受理通知.png";
            }
        });
        var notYours = http.post().uri("/api/v1/external-complaints/{id}/files", complaintId)
                .headers(h -> h.setBasicAuth("buyer1", "demo"))
                .contentType(org.springframework.http.MediaType.MULTIPART_FORM_DATA).body(files).retrieve()
                .toEntity(String.class);
        assertThat(notYours.getStatusCode().value()).isEqualTo(403);
        var attached = http.post().uri("/api/v1/external-complaints/{id}/files", complaintId)
                .headers(h -> h.setBasicAuth("complaints1", "demo"))
                .contentType(org.springframework.http.MediaType.MULTIPART_FORM_DATA).body(files).retrieve()
                .toEntity(com.fasterxml.jackson.databind.JsonNode.class);
        assertThat(attached.getStatusCode().value()).isEqualTo(201);
        assertThat(attached.getBody().path("contentType").asText()).isEqualTo("image/png");
        String disputeId = complaints.find(complaintId).orElseThrow().disputeId();
        assertThat(jdbc.sql("select party || ' ' || file_name from evidence where dispute_id = ?").param(disputeId)
                .query(String.class).list()).containsExactly("PLATFORM 12315-受理通知.png");
    }

    @Test
    void aReplyWithTwoPickedImagesUploadsBothThenRespondsWithTheirMediaIdsAndLeavesTheDocumentOut() throws Exception {
        String id = complaintAbout(order(), "OTHERS");
        push(id, "CREATE_COMPLAINT");
        var taken = channelComplaints.find(WechatPayComplaintSource.SOURCE, id).orElseThrow();
        String buyers = channelComplaints.imageEvidence(taken.id()).get(0);
        byte[] screenshot = EvidenceFiles.jpeg();
        String merchants = evidence(taken.disputeId(), "MERCHANT", "merchant1", "发货截图.jpg", "image/jpeg", screenshot);
        String document = evidence(taken.disputeId(), "MERCHANT", "merchant1", "说明.pdf", "application/pdf",
                EvidenceFiles.pdf());
        byte[] huge = new byte[2 * 1024 * 1024 + 1];
        new java.util.Random(7).nextBytes(huge);
        String tooLarge = evidence(taken.disputeId(), "MERCHANT", "merchant1", "全屏截图.png", "image/png", huge);
        var task = given.complaintTask(taken.complaintId());
        assertThat(given.formFacts("complaints1", task.getId()).get("complaintImageOptions")).asString()
                .as("the checklist offers the dispute's images, not its documents")
                .contains(buyers).contains(merchants).contains("发货截图.jpg").doesNotContain(document);

        // submitted as Tasklist submits the form: plain values, and the checklist's picks as a Json array
        engine.getTaskService().setAssignee(task.getId(), "complaints1");
        var submitted = org.springframework.web.client.RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> { }).build()
                .post().uri("/engine-rest/task/{id}/submit-form", task.getId())
                .headers(h -> h.setBasicAuth("complaints1", "demo"))
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body(Map.of("variables", Map.of(
                        ProcessIds.Var.COMPLAINT_OUTCOME, Map.of("value", "UPHOLD"),
                        ProcessIds.Var.COMPLAINT_RESPONSE, Map.of("value", "您好，卡密已发放，截图为证"),
                        ProcessIds.Var.COMPLAINT_IMAGES, Map.of("type", "Json", "value",
                                "[\"" + buyers + "\",\"" + tooLarge + "\",\"" + merchants + "\",\"" + document + "\"]"))))
                .retrieve().toEntity(String.class);
        assertThat(submitted.getStatusCode().value()).as(String.valueOf(submitted.getBody())).isEqualTo(204);
        relay.relay();

        assertThat(wechat.uploads()).hasSize(2);
        var first = wechat.uploads().get(0);
        var meta = new com.fasterxml.jackson.databind.ObjectMapper().readTree(first.getPart("meta").getBody().asString());
        assertThat(meta.path("filename").asText()).as("named with the extension of its bytes").endsWith(".png");
        assertThat(meta.path("sha256").asText()).isEqualTo(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(EvidenceFiles.png())));
        assertThat(first.getPart("file").getBody().asBytes()).isEqualTo(EvidenceFiles.png());
        assertThat(first.getHeader("Authorization")).startsWith("WECHATPAY2-SHA256-RSA2048");
        var second = wechat.uploads().get(1);
        assertThat(second.getPart("file").getBody().asBytes()).isEqualTo(screenshot);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(second.getPart("meta").getBody().asString())
                .path("filename").asText()).isEqualTo("发货截图.jpg");
        assertThat(wechat.answers(id, "response")).singleElement().satisfies(b -> assertThat(b)
                .containsEntry("response_content", "您好，卡密已发放，截图为证")
                .containsEntry("response_images", List.of("MEDIA-UP-1", "MEDIA-UP-2")));
        assertThat(jdbc.sql("select status || ' ' || last_error from channel_answer where channel_complaint_id = ?")
                .param(taken.id()).query(String.class).single())
                .as("the image over WeChat Pay's 2 MB is left out and said so; the answer is sent")
                .startsWith("SENT").contains(tooLarge).contains("2097153 bytes");
        var shown = org.springframework.web.client.RestClient.builder().baseUrl("http://localhost:" + port).build().get()
                .uri("/api/v1/channel-complaints/{id}", taken.id()).headers(h -> h.setBasicAuth("complaints1", "demo"))
                .retrieve().body(com.fasterxml.jackson.databind.JsonNode.class);
        List<String> carried = new java.util.ArrayList<>();
        shown.path("answers").get(0).path("imageEvidenceIds").forEach(n -> carried.add(n.asText()));
        assertThat(carried).as("staff see which pictures the reply carried").containsSubsequence(buyers, merchants);
    }

    @Test
    void anImageThatIsNoEvidenceOfTheDisputeRefusesTheCompletionAndNothingIsWritten() throws Exception {
        String id = complaintAbout(order(), "OTHERS");
        push(id, "CREATE_COMPLAINT");
        var taken = channelComplaints.find(WechatPayComplaintSource.SOURCE, id).orElseThrow();
        var task = given.complaintTask(taken.complaintId());
        org.camunda.bpm.engine.ProcessEngines.registerProcessEngine(engine);
        engine.getTaskService().setAssignee(task.getId(), "complaints1");

        var refused = org.springframework.web.client.RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> { }).build()
                .post().uri("/engine-rest/task/{id}/submit-form", task.getId())
                .headers(h -> h.setBasicAuth("complaints1", "demo"))
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body(Map.of("variables", Map.of(
                        ProcessIds.Var.COMPLAINT_OUTCOME, Map.of("value", "UPHOLD"),
                        ProcessIds.Var.COMPLAINT_RESPONSE, Map.of("value", "您好，已处理"),
                        ProcessIds.Var.COMPLAINT_IMAGES, Map.of("type", "Json", "value", "[\"EVD-of-another-case\"]"))))
                .retrieve().toEntity(String.class);

        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat(refused.getBody()).contains("complaintImages").contains("EVD-of-another-case");
        assertThat(outbox(taken.id())).as("no answer written").isEmpty();
        assertThat(given.complaintTask(taken.complaintId())).as("the task stays open").isNotNull();
    }

    @Test
    void aDisputeClosedRejectedSendsTheMerchantsScreenshotsWithTheRefundRejectionUpToWechatsFour() throws Exception {
        String id = complaintAbout(order(), "REFUND");
        push(id, "CREATE_COMPLAINT");
        var taken = channelComplaints.find(WechatPayComplaintSource.SOURCE, id).orElseThrow();
        List<String> screenshots = new java.util.ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            screenshots.add(evidence(taken.disputeId(), "MERCHANT", "merchant1", "兑换记录" + n + ".png", "image/png",
                    EvidenceFiles.png()));
            given.moveClock(Duration.ofSeconds(1));
        }
        evidence(taken.disputeId(), "MERCHANT", "merchant1", "说明.pdf", "application/pdf", EvidenceFiles.pdf());
        evidence(taken.disputeId(), "CUSTOMER", "buyer1", "买家截图.png", "image/png", EvidenceFiles.png());

        journal.record(given.get(taken.disputeId()), cn.kameng.refunddesk.dispute.Journal.SYSTEM, "CLOSED_REJECTED",
                "争议结案：驳回。", cn.kameng.refunddesk.dispute.Journal.Notify.NOBODY);
        assertThat(jdbc.sql("select evidence_id from channel_answer_image where answer_key = ? order by position")
                .param(taken.id() + ":refund-rejected").query(String.class).list())
                .as("the merchant's images, in the order submitted, written with the answer").isEqualTo(screenshots);

        // WeChat Pay is down, and a merchant image arrives after the answer was written: the retry sends the same
        wechat.down(503);
        relay.relay();
        evidence(taken.disputeId(), "MERCHANT", "merchant1", "迟到的截图.png", "image/png", EvidenceFiles.png());
        wechat.up();
        given.moveClock(Duration.ofHours(2));
        relay.relay();
        relay.relay();

        assertThat(wechat.uploads()).as("WeChat Pay's reject_media_list takes 4").hasSize(4);
        assertThat(wechat.answers(id, "update-refund-progress")).singleElement().satisfies(b -> assertThat(b)
                .containsEntry("action", "REJECT")
                .containsEntry("reject_media_list", List.of("MEDIA-UP-1", "MEDIA-UP-2", "MEDIA-UP-3", "MEDIA-UP-4")));
        assertThat(wechat.answers(id, "complete")).singleElement()
                .as("complete takes no images").satisfies(b -> assertThat(b).doesNotContainKey("response_images"));
        assertThat(jdbc.sql("select status || ' ' || last_error from channel_answer where answer_key = ?")
                .param(taken.id() + ":refund-rejected").query(String.class).single())
                .startsWith("SENT").contains(screenshots.get(4)).contains("at most 4");
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** Evidence with its file in the store, as an upload leaves it. */
    private String evidence(String disputeId, String party, String user, String fileName, String contentType,
            byte[] bytes) {
        String id = "EVD-" + UUID.randomUUID();
        String sha256 = cn.kameng.refunddesk.evidence.EvidenceStore.sha256(bytes);
        store.put(sha256, bytes);
        jdbc.sql("""
                insert into evidence (id, dispute_id, party, uploaded_by, kind, file_name, content_type, size_bytes,
                  sha256, uploaded_at) values (?, ?, ?, ?, 'PROBLEM_SCREENSHOT', ?, ?, ?, ?, ?)""")
                .params(id, disputeId, party, user, fileName, contentType, bytes.length, sha256,
                        java.sql.Timestamp.from(ClockUtil.getCurrentTime().toInstant()))
                .update();
        return id;
    }

    private String order() {
        return given.order(6800, PaymentChannel.WECHAT_PAY, ProductCategory.CARD_KEY, 1, "SUCCEED");
    }

    private String complaintAbout(String orderId, String problemType) {
        String id = "2002018" + Math.abs(UUID.randomUUID().getMostSignificantBits() % 100_000_000_000_000L);
        wechat.complaint(id, orderId, 6800, problemType, OffsetDateTime.ofInstant(ClockUtil.getCurrentTime().toInstant(),
                ZoneOffset.ofHours(8)));
        wechat.publish();
        return id;
    }

    private HttpResponse<String> push(String id, String action) throws Exception {
        return post(wechat.notice(id, action));
    }

    private HttpResponse<String> post(WechatPayStub.Notice notice) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + PUSH))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(notice.body()));
        notice.headers().forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<Map<String, Object>> outbox(String channelComplaintId) {
        return jdbc.sql("select kind, status, attempts from channel_answer where channel_complaint_id = ? order by sequence_no")
                .param(channelComplaintId).query().listOfRows().stream()
                .map(row -> {
                    Map<String, Object> lower = new java.util.HashMap<>();
                    row.forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
                    return lower;
                }).toList();
    }
}
