package cn.kameng.refunddesk.alipay;

import static cn.kameng.refunddesk.alipay.AlipayGatewayStub.error;
import static cn.kameng.refunddesk.alipay.AlipayGatewayStub.success;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import cn.kameng.refunddesk.complaint.ChannelAnswerRelay;
import cn.kameng.refunddesk.complaint.ChannelComplaintRecords;
import cn.kameng.refunddesk.complaint.ChannelComplaintRecords.Taken;
import cn.kameng.refunddesk.complaint.ChannelComplaints;
import cn.kameng.refunddesk.complaint.ChannelSources;
import cn.kameng.refunddesk.complaint.ComplaintSource;
import cn.kameng.refunddesk.support.EvidenceFiles;
import cn.kameng.refunddesk.support.TestDisputes;

/**
 * An Alipay 交易投诉 through the whole service, its buyer's pictures behind Alipay's signed, expiring addresses:
 * each picture becomes evidence once however often and however concurrently the complaint is read (ADR 0073),
 * and an answer Alipay refused is re-sent by the complaints group, its words corrected, and reaches Alipay once.
 */
class AlipayComplaintImagesAndResendTest extends AlipayServiceTest {

    private static final String QUERY = "alipay.merchant.tradecomplain.query";
    private static final String REPLY = "alipay.merchant.tradecomplain.reply.submit";
    private static final String SOURCE = AlipayTradeComplaintSource.SOURCE;

    @Autowired TestDisputes given;
    @Autowired ChannelComplaints channelComplaints;
    @Autowired ChannelComplaintRecords records;
    @Autowired ChannelSources sources;
    @Autowired ChannelAnswerRelay relay;
    @Autowired JdbcClient jdbc;
    @Autowired io.micrometer.core.instrument.MeterRegistry meters;
    @LocalServerPort int port;

    String orderId;
    String complaint;
    String picture;

    @BeforeEach
    void setUp() {
        ClockUtil.setCurrentTime(new Date());
        alipay.reset();
        orderId = given.order(6800);
        complaint = "2026" + Long.toString(System.nanoTime()).substring(0, 12);
        picture = "/afts/file/A*" + complaint + ".png";
    }

    @AfterEach
    void tearDown() {
        ClockUtil.reset();
    }

    // ---- the buyer's pictures --------------------------------------------------------------------------

    @Test
    void aPictureReadThreeTimesUnderThreeSignedAddressesIsOneEvidence() {
        alipay.servesSigned(picture, EvidenceFiles.png(), "image/png", 0);

        for (long expires = 1_764_730_000L; expires < 1_764_730_003L; expires++) {
            detailWithImages(alipay.signed(picture, expires));
            channelComplaints.take(source(), complaint);
        }

        Taken taken = taken();
        assertThat(alipay.downloads(picture)).as("downloaded once, not once per read").isEqualTo(1);
        assertThat(evidenceOf(taken.disputeId())).as("one evidence").hasSize(1);
        assertThat(records.images(taken.id())).singleElement().satisfies(row -> {
            assertThat(row.key()).as("the address without its signature and expiry")
                    .endsWith(picture).doesNotContain("Signature").doesNotContain("Expires");
            assertThat(row.evidenceId()).isEqualTo(evidenceOf(taken.disputeId()).get(0));
        });
    }

    @Test
    void theSamePictureUnderAnotherFileIdIsPointedAtNotStoredAgain() {
        String copy = "/afts/file/B*" + complaint + ".png";
        alipay.servesSigned(picture, EvidenceFiles.png(), "image/png", 0);
        alipay.servesSigned(copy, EvidenceFiles.png(), "image/png", 0);

        detailWithImages(alipay.signed(picture, 1_764_730_000L));
        channelComplaints.take(source(), complaint);
        detailWithImages(alipay.signed(picture, 1_764_730_100L), alipay.signed(copy, 1_764_730_100L));
        channelComplaints.take(source(), complaint);

        Taken taken = taken();
        assertThat(evidenceOf(taken.disputeId())).as("the same bytes are one evidence").hasSize(1);
        assertThat(records.images(taken.id())).hasSize(2).extracting(ChannelComplaintRecords.ImageRow::evidenceId)
                .containsOnly(evidenceOf(taken.disputeId()).get(0));
    }

    @Test
    void aPushAndAPollTakingTheNewComplaintAtOnceStoreItsPictureOnce() throws Exception {
        // the picture takes a second to come: the second take arrives while the first still downloads
        alipay.servesSigned(picture, EvidenceFiles.png(), "image/png", 1000);
        detailWithImages(alipay.signed(picture, 1_764_730_000L));
        CountDownLatch start = new CountDownLatch(1);
        var threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var push = CompletableFuture.supplyAsync(() -> takeAfter(start), threads);
            var poll = CompletableFuture.supplyAsync(() -> takeAfter(start), threads);

            start.countDown();
            push.get(30, TimeUnit.SECONDS);
            poll.get(30, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }

        Taken taken = taken();
        assertThat(jdbc.sql("select count(*) from channel_complaint where external_id = ?").param(complaint)
                .query(Integer.class).single()).isEqualTo(1);
        assertThat(records.images(taken.id())).as("one image row, with its evidence").singleElement()
                .satisfies(row -> assertThat(row.evidenceId()).isNotNull());
        assertThat(evidenceOf(taken.disputeId())).as("one evidence").hasSize(1);
        assertThat(alipay.downloads(picture)).as("the second take left the claimed picture alone").isEqualTo(1);
    }

    @Test
    void aPictureTheFileStoreDidNotDeliverIsTakenWithTheNextReadAndStoredOnce() {
        alipay.storeFails(picture);
        detailWithImages(alipay.signed(picture, 1_764_730_000L));
        channelComplaints.take(source(), complaint);

        Taken taken = taken();
        assertThat(evidenceOf(taken.disputeId())).as("nothing stored").isEmpty();
        assertThat(records.images(taken.id())).as("no claim left behind to block the next read").isEmpty();

        alipay.reset();
        alipay.servesSigned(picture, EvidenceFiles.png(), "image/png", 0);
        detailWithImages(alipay.signed(picture, 1_764_730_500L));
        channelComplaints.take(source(), complaint);
        channelComplaints.take(source(), complaint);

        assertThat(evidenceOf(taken.disputeId())).hasSize(1);
        assertThat(records.images(taken.id())).singleElement().satisfies(row -> assertThat(row.evidenceId()).isNotNull());
        assertThat(alipay.downloads(picture)).isEqualTo(1);
    }

    @Test
    void aClaimLeftByACrashedNodeIsTakenOverOnceItExpires() {
        alipay.servesSigned(picture, EvidenceFiles.png(), "image/png", 0);
        detailWithImages();
        channelComplaints.take(source(), complaint);
        Taken taken = taken();
        String key = AlipayComplaintFamily.imageKey(alipay.signed(picture, 1));
        Instant now = ClockUtil.getCurrentTime().toInstant();
        jdbc.sql("insert into channel_complaint_image (channel_complaint_id, reference, claimed_until) values (?, ?, ?)")
                .params(taken.id(), key, java.sql.Timestamp.from(now.plus(Duration.ofMinutes(5)))).update();
        detailWithImages(alipay.signed(picture, 1_764_730_000L));

        channelComplaints.take(source(), complaint);
        assertThat(alipay.downloads(picture)).as("the other node holds it").isZero();

        given.moveClock(Duration.ofMinutes(6));
        channelComplaints.take(source(), complaint);
        assertThat(alipay.downloads(picture)).as("its claim expired").isEqualTo(1);
        assertThat(evidenceOf(taken.disputeId())).hasSize(1);
    }

    // ---- a refused answer, re-sent by staff --------------------------------------------------------------

    @Test
    void anAnswerAlipayRefusedIsResentWithCorrectedWordsAndReachesAlipayOnce() {
        detailWithImages();
        channelComplaints.take(source(), complaint);
        Taken taken = taken();
        String answerKey = "resend-" + complaint;
        double refusedBefore = gauge("kameng.channel.answers.refused");
        pendingReply(taken, answerKey, "您好，已退款");
        Date written = ClockUtil.getCurrentTime();
        ClockUtil.setCurrentTime(Date.from(written.toInstant().plus(Duration.ofHours(2))));
        assertThat(gauge("kameng.channel.answers.oldest.age")).as("operations see an answer waiting two hours")
                .isGreaterThanOrEqualTo(7_200);
        ClockUtil.setCurrentTime(written);
        alipay.answers(REPLY, error("40004", "REPLY_CONTENT_ILLEGAL", "回复内容包含敏感信息"));
        relay.relay();
        assertThat(answer(taken.id(), answerKey).path("status").asText()).isEqualTo("REFUSED");
        assertThat(gauge("kameng.channel.answers.refused") - refusedBefore).as("kameng_channel_answers_refused")
                .isEqualTo(1.0);

        JsonNode refused = get("complaints1", "/api/v1/channel-complaints?answerStatus=REFUSED").getBody();
        assertThat(refused.path("answers").findValuesAsText("answerKey")).contains(answerKey);
        JsonNode listed = stream(refused.path("answers")).filter(a -> a.path("answer").path("answerKey").asText()
                .equals(answerKey)).findFirst().orElseThrow();
        assertThat(listed.path("externalId").asText()).isEqualTo(complaint);
        assertThat(listed.path("answer").path("lastError").asText()).contains("REPLY_CONTENT_ILLEGAL");

        alipay.reset();
        detailWithImages();
        alipay.answers(REPLY, success());
        var resent = post("complaints1", "/api/v1/channel-complaints/" + taken.id() + "/answers/" + answerKey
                + "/resend", Map.of("text", "您好，款项已原路退回，请注意查收。"));
        assertThat(resent.getStatusCode().value()).as(resent.getBody()).isEqualTo(202);
        assertThat(answer(taken.id(), answerKey).path("status").asText()).isEqualTo("PENDING");
        assertThat(answer(taken.id(), answerKey).path("attempts").asInt()).as("attempts reset").isZero();
        assertThat(answer(taken.id(), answerKey).path("resentBy").asText()).isEqualTo("complaints1");

        relay.relay();
        relay.relay();

        assertThat(alipay.calls(REPLY)).as("Alipay hears the corrected words once").singleElement()
                .satisfies(call -> assertThat(call).containsEntry("reply_content", "您好，款项已原路退回，请注意查收。"));
        assertThat(answer(taken.id(), answerKey).path("status").asText()).isEqualTo("SENT");
        assertThat(gauge("kameng.channel.answers.refused")).as("re-sent: no longer waiting for supervisors")
                .isEqualTo(refusedBefore);
        assertThat(given.timeline(taken.disputeId())).contains("CHANNEL_ANSWER_RESENT");
        assertThat(given.timelineMessages(taken.disputeId())).anySatisfy(m -> assertThat(m).contains("complaints1")
                .contains("重新提交").contains("更正"));
        assertThat(get("complaints1", "/api/v1/channel-complaints?answerStatus=REFUSED").getBody().path("answers")
                .findValuesAsText("answerKey")).as("no longer refused").doesNotContain(answerKey);

        var again = post("complaints1", "/api/v1/channel-complaints/" + taken.id() + "/answers/" + answerKey
                + "/resend", null);
        assertThat(again.getStatusCode().value()).as("a SENT answer is not sent again").isEqualTo(409);
        assertProblem(again, "SENT");
        assertThat(alipay.calls(REPLY)).hasSize(1);
    }

    @Test
    void theComplaintAsTakenShowsItsDeadlinesHistoryPicturesAndAnswers() {
        alipay.servesSigned(picture, EvidenceFiles.png(), "image/png", 0);
        detailWithImages(alipay.signed(picture, 1_764_730_000L));
        channelComplaints.take(source(), complaint);
        Taken taken = taken();

        JsonNode view = get("complaints1", "/api/v1/channel-complaints/" + taken.id()).getBody();

        assertThat(view.path("source").asText()).isEqualTo(SOURCE);
        assertThat(view.path("channel").asText()).isEqualTo("ALIPAY");
        assertThat(view.path("externalId").asText()).isEqualTo(complaint);
        assertThat(view.path("orderId").asText()).isEqualTo(orderId);
        assertThat(view.path("disputeId").asText()).isEqualTo(taken.disputeId());
        assertThat(view.path("deadlines").path("completeDue").path("countedOn").asText()).isEqualTo("CALENDAR_TIME");
        assertThat(view.path("history").findValuesAsText("text")).containsExactly("请退款");
        String evidenceId = evidenceOf(taken.disputeId()).get(0);
        assertThat(view.path("images").get(0).path("evidenceId").asText()).isEqualTo(evidenceId);
        assertThat(view.path("images").get(0).path("evidenceLink").asText())
                .isEqualTo("/api/v1/disputes/" + taken.disputeId() + "/evidence/" + evidenceId);
        assertThat(view.path("answers").isArray()).isTrue();
    }

    @Test
    void wrongRequestsAreRefusedWithASentence() {
        detailWithImages();
        channelComplaints.take(source(), complaint);
        Taken taken = taken();
        String answerKey = "wrong-" + complaint;
        pendingReply(taken, answerKey, "您好");

        var customer = get("buyer1", "/api/v1/channel-complaints/" + taken.id());
        assertThat(customer.getStatusCode().value()).isEqualTo(403);
        assertThat(post("buyer1", "/api/v1/channel-complaints/" + taken.id() + "/answers/" + answerKey + "/resend",
                null).getStatusCode().value()).isEqualTo(403);
        assertThat(get("merchant1", "/api/v1/channel-complaints?answerStatus=REFUSED").getStatusCode().value())
                .isEqualTo(403);

        assertProblem(get("complaints1", "/api/v1/channel-complaints/CHC-nothing"), "no channel complaint CHC-nothing");
        var unknownAnswer = post("complaints1", "/api/v1/channel-complaints/" + taken.id() + "/answers/nothing/resend",
                null);
        assertThat(unknownAnswer.getStatusCode().value()).isEqualTo(404);
        var pending = post("complaints1", "/api/v1/channel-complaints/" + taken.id() + "/answers/" + answerKey
                + "/resend", Map.of("text", "新的内容"));
        assertThat(pending.getStatusCode().value()).as("still in the outbox").isEqualTo(409);
        assertProblem(pending, "PENDING");
        var blank = post("complaints1", "/api/v1/channel-complaints/" + taken.id() + "/answers/" + answerKey
                + "/resend", Map.of("text", " "));
        assertThat(blank.getStatusCode().value()).isEqualTo(400);
        var status = get("admin", "/api/v1/channel-complaints?answerStatus=LOST");
        assertThat(status.getStatusCode().value()).isEqualTo(400);
        assertProblem(status, "answerStatus");
        assertThat(get("admin", "/api/v1/channel-complaints").getStatusCode().value()).isEqualTo(400);
        jdbc.sql("delete from channel_answer where answer_key = ?").param(answerKey).update();
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private ComplaintSource source() {
        return sources.find(SOURCE).orElseThrow();
    }

    private Taken taken() {
        return records.find(SOURCE, complaint).orElseThrow();
    }

    private Taken takeAfter(CountDownLatch start) {
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return channelComplaints.take(source(), complaint);
    }

    /** Alipay's detail of the complaint about our order, with the buyer's pictures at these addresses. */
    private void detailWithImages(String... imageUrls) {
        alipay.answers(QUERY, success("complain_event_id", complaint, "status", "MERCHANT_PROCESSING",
                "merchant_order_no", orderId, "trade_no", "2026120322001400077",
                "gmt_create", AlipayComplaintCalls.stamp(ClockUtil.getCurrentTime().toInstant()),
                "complain_reason", "卡密无法使用", "leaf_category_name", "退款", "content", "买到的卡密无法使用",
                "trade_amount", "68.00", "images", List.of(imageUrls), "reply_detail_infos",
                List.of(Map.of("replier_role", "USER", "content", "请退款", "gmt_create", "2026-12-03 10:30:00"))));
    }

    private List<String> evidenceOf(String disputeId) {
        return jdbc.sql("select id from evidence where dispute_id = ? and party = 'PLATFORM' order by id")
                .param(disputeId).query(String.class).list();
    }

    /** A reply in the outbox, as the complaint's answer writes it. */
    private void pendingReply(Taken taken, String answerKey, String text) {
        Instant now = ClockUtil.getCurrentTime().toInstant();
        jdbc.sql("""
                insert into channel_answer (answer_key, channel_complaint_id, sequence_no, kind, answer_text, status,
                  attempts, next_attempt_at, created_at) values (?, ?, (select coalesce(max(sequence_no), 0) + 1
                  from channel_answer where channel_complaint_id = ?), 'REPLY', ?, 'PENDING', 0, ?, ?)""")
                .params(answerKey, taken.id(), taken.id(), text, java.sql.Timestamp.from(now),
                        java.sql.Timestamp.from(now)).update();
    }

    private JsonNode answer(String channelComplaintId, String answerKey) {
        JsonNode view = get("complaints1", "/api/v1/channel-complaints/" + channelComplaintId).getBody();
        return stream(view.path("answers")).filter(a -> a.path("answerKey").asText().equals(answerKey)).findFirst()
                .orElseThrow();
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }

    private RestClient http() {
        return RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> { }).build();
    }

    private ResponseEntity<JsonNode> get(String user, String path) {
        return http().get().uri(path).headers(h -> h.setBasicAuth(user, "demo")).retrieve().toEntity(JsonNode.class);
    }

    private ResponseEntity<String> post(String user, String path, Object body) {
        var request = http().post().uri(path).headers(h -> h.setBasicAuth(user, "demo"));
        if (body != null) {
            request = request.contentType(MediaType.APPLICATION_JSON).body(body);
        }
        return request.retrieve().toEntity(String.class);
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    private static void assertProblem(ResponseEntity<?> answer, String detail) {
        assertThat(String.valueOf(answer.getHeaders().getContentType())).startsWith("application/problem+json");
        assertThat(String.valueOf(answer.getBody())).contains(detail);
    }
}
