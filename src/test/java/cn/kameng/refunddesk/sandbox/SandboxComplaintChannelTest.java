package cn.kameng.refunddesk.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import cn.kameng.refunddesk.complaint.ChannelAnswerRelay;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;
import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;

/**
 * The demo's simulated WeChat Pay complaint channel: operations file a buyer's complaint at it, the service takes it
 * in as it takes WeChat Pay's (a dispute opened for it, the complaints group's task due on the channel's 24 hours),
 * the handler's answer in Tasklist goes back through the outbox to the channel, and a complaint the buyer withdraws at
 * the channel leaves Tasklist.
 */
@DisputeServiceTest
class SandboxComplaintChannelTest {

    @Autowired TestDisputes given;
    @Autowired Environment environment;
    @Autowired ChannelAnswerRelay relay;

    @Test
    void aComplaintFiledAtTheSandboxChannelIsTakenInAnsweredInTasklistAndTheChannelHearsTheAnswer() {
        String order = given.order(3_000, PaymentChannel.WECHAT_PAY, ProductCategory.CARD_KEY, 1, "SUCCEED");

        ResponseEntity<JsonNode> filed = post("admin", "/api/v1/sandbox/channel-complaints", Map.of("orderId", order,
                "problemType", "SERVICE_NOT_WORK", "words", "卡密无法使用，要求退款", "amountFen", 3_000));

        assertThat(filed.getStatusCode().value()).as("%s", filed.getBody()).isEqualTo(201);
        JsonNode body = filed.getBody();
        String externalId = body.at("/atChannel/externalId").asText();
        String disputeId = body.at("/disputeId").asText();
        assertThat(disputeId).as("a dispute opened for the complaint").startsWith("D");
        assertThat(given.get(disputeId).reason().name()).as("WeChat's SERVICE_NOT_WORK, as the reason table says")
                .isEqualTo("INVALID_CARD_KEY");
        Task task = given.complaintTask(body.at("/complaintId").asText());
        assertThat(task).as("the complaints group's task").isNotNull();
        Instant complainedAt = Instant.parse(body.at("/atChannel/complainedAt").asText());
        assertThat(task.getDueDate().toInstant()).as("the channel's 24 hours").isEqualTo(complainedAt.plus(Duration.ofHours(24)));

        given.completeAs("complaints1", task, Map.of(ProcessIds.Var.COMPLAINT_OUTCOME, "UPHOLD",
                ProcessIds.Var.COMPLAINT_RESPONSE, "已核实卡密，已联系买家处理"));
        relay.relay();

        JsonNode atChannel = get("admin", "/api/v1/sandbox/channel-complaints/" + externalId).getBody();
        assertThat(atChannel.path("history").findValuesAsText("text")).as("what the channel shows")
                .contains("卡密无法使用，要求退款", "商户回复：已核实卡密，已联系买家处理");
        assertThat(atChannel.path("state").asText()).isEqualTo("IN_PROGRESS");
        relay.relay();
        assertThat(get("admin", "/api/v1/sandbox/channel-complaints/" + externalId).getBody().path("history"))
                .as("sent once").hasSize(2);
    }

    @Test
    void aComplaintTheBuyerWithdrawsAtTheChannelLeavesTasklist() {
        String order = given.order(1_200, PaymentChannel.WECHAT_PAY, ProductCategory.CARD_KEY, 1, "SUCCEED");
        JsonNode filed = post("admin", "/api/v1/sandbox/channel-complaints", Map.of("orderId", order,
                "problemType", "REFUND", "words", "重复扣款，要求退款")).getBody();
        String complaintId = filed.at("/complaintId").asText();
        assertThat(given.complaintTask(complaintId)).isNotNull();

        ResponseEntity<JsonNode> withdrawn = post("admin", "/api/v1/sandbox/channel-complaints/"
                + filed.at("/atChannel/externalId").asText() + "/withdrawal", Map.of());

        assertThat(withdrawn.getStatusCode().value()).as("%s", withdrawn.getBody()).isEqualTo(200);
        assertThat(withdrawn.getBody().at("/atChannel/state").asText()).isEqualTo("CLOSED");
        assertThat(given.complaintTask(complaintId)).as("closed at the channel: our task ends").isNull();
        assertThat(given.complaintStatus(complaintId)).isEqualTo("CLOSED_AT_CHANNEL");
    }

    @Test
    void aWrongFilingIsRefusedByNameAndTheSandboxChannelIsForOperationsOnly() {
        String order = given.order(1_000, PaymentChannel.WECHAT_PAY, ProductCategory.CARD_KEY, 1, "SUCCEED");
        ResponseEntity<JsonNode> unknownOrder = post("admin", "/api/v1/sandbox/channel-complaints", Map.of("orderId",
                "ORD-NOBODY", "problemType", "REFUND", "words", "x"));
        assertThat(unknownOrder.getStatusCode().value()).isEqualTo(400);
        assertThat(unknownOrder.getBody().toString()).contains("there is no sandbox order ORD-NOBODY");
        ResponseEntity<JsonNode> badType = post("admin", "/api/v1/sandbox/channel-complaints", Map.of("orderId", order,
                "problemType", "ANGRY", "words", "x"));
        assertThat(badType.getStatusCode().value()).isEqualTo(400);
        assertThat(post("buyer1", "/api/v1/sandbox/channel-complaints", Map.of("orderId", order,
                "problemType", "REFUND", "words", "x")).getStatusCode().value()).isEqualTo(403);
        assertThat(get("admin", "/api/v1/sandbox/channel-complaints/SBX-NONE").getStatusCode().value()).isEqualTo(404);
    }

    private RestClient http(String user) {
        return RestClient.builder().baseUrl("http://localhost:" + environment.getProperty("local.server.port"))
                .defaultStatusHandler(status -> true, (request, response) -> { })
                .defaultHeaders(h -> h.setBasicAuth(user, "demo")).build();
    }

    private ResponseEntity<JsonNode> post(String user, String path, Map<String, ?> body) {
        return http(user).post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).retrieve()
                .toEntity(JsonNode.class);
    }

    private ResponseEntity<JsonNode> get(String user, String path) {
        return http(user).get().uri(path).retrieve().toEntity(JsonNode.class);
    }
}
