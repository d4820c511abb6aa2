package cn.kameng.refunddesk.platform;

import static cn.kameng.refunddesk.support.TestDisputes.BUYER1;
import static cn.kameng.refunddesk.support.TestDisputes.MERCHANT1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.web.client.RestClient;

import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.evidence.EvidenceChecks;
import cn.kameng.refunddesk.evidence.PlatformChatLog;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;
import cn.kameng.refunddesk.order.OrderDirectory;
import cn.kameng.refunddesk.platform.PlatformStub.Endpoint;
import cn.kameng.refunddesk.support.DisputeServiceTest;

/**
 * A buyer opens a dispute while the platform's order system answers 503: the API says 503 with Retry-After
 * in problem+json, and nothing of a dispute is written. Checks whose systems cannot be reached over HTTP say
 * CANNOT_RUN, and the dispute goes on. The service's order directory is, for this test, the
 * real HTTP adapter against a WireMock platform (the same spies as ChecksWithSourcesDownTest, so the context
 * is shared).
 */
@DisputeServiceTest
class OrderSystemDownAtTheApiTest {

    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired EvidenceChecks checks;
    @MockitoSpyBean OrderDirectory orders;
    @MockitoSpyBean PlatformChatLog chat;

    private final PlatformStub platform = new PlatformStub();

    @AfterEach
    void stop() {
        platform.close();
    }

    @Test
    void openingADisputeWhileTheOrderSystemIsDownIs503WithRetryAfterAndWritesNothing() {
        HttpOrderDirectory overHttp = new HttpOrderDirectory(platform.client(), Duration.ofSeconds(30));
        doAnswer(call -> overHttp.find(call.getArgument(0))).when(orders).find(anyString());
        platform.answer(Endpoint.ORDER, 503, PlatformStub.problem(503, "maintenance"), "O-DOWN-1");

        ResponseEntity<String> answer = RestClient.builder().baseUrl("http://localhost:" + port)
                .requestFactory(new JdkClientHttpRequestFactory())
                .defaultStatusHandler(status -> true, (request, response) -> { }).build()
                .post().uri("/api/v1/disputes").headers(h -> {
                    h.setBasicAuth("buyer1", "demo", StandardCharsets.UTF_8);
                    h.set("Idempotency-Key", "open-O-DOWN-1");
                })
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"orderId\":\"O-DOWN-1\",\"reason\":\"INVALID_CARD_KEY\",\"description\":\"卡密无效\"}")
                .retrieve().toEntity(String.class);

        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("30");
        assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(answer.getBody()).contains("\"status\":503", "order system cannot be reached",
                "try again in 30 seconds");
        assertThat(platform.requests(Endpoint.ORDER, "O-DOWN-1")).hasSize(3);
        assertThat(count("select count(*) from dispute where order_id = ?")).isZero();
        assertThat(count("select count(*) from deposit_hold h join dispute d on d.id = h.dispute_id"
                + " where d.order_id = ?")).isZero();
        assertThat(jdbc.sql("select count(*) from dispute where customer_idempotency_key = ?").param("open-O-DOWN-1")
                .query(Long.class).single()).isZero();
    }

    @Test
    void checksWhoseSystemsCannotBeReachedOverHttpSayCannotRunAndTheReviewStillStarts() {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        disputes.merchantResponse(MERCHANT1, d.id(), new MerchantAnswer(MerchantDecision.REFUSE, null, "卡密已被使用", null));
        given.bringRequiredEvidence(d.id());
        PlatformClient client = platform.client();
        HttpOrderDirectory ordersOverHttp = new HttpOrderDirectory(client, Duration.ofSeconds(30));
        HttpChatLog chatOverHttp = new HttpChatLog(client);
        doAnswer(call -> ordersOverHttp.find(call.getArgument(0))).when(orders).find(anyString());
        doAnswer(call -> chatOverHttp.of(call.getArgument(0))).when(chat).of(anyString());
        platform.answer(Endpoint.ORDER, 502, PlatformStub.problem(502, "bad gateway"), d.orderId());
        platform.answerAfter(Endpoint.CHAT, Duration.ofMillis(2500), 200, PlatformStub.chat(d.orderId()), d.orderId());

        disputes.formalRequest(BUYER1, d.id(), "卡密无效", "KEY-whatever");

        assertThat(given.get(d.id()).status()).isEqualTo(DisputeStatus.UNDER_REVIEW);
        assertThat(checks.of(d.id())).extracting(c -> c.name() + " " + c.result()).containsExactly(
                "ORDER_OF_CUSTOMER CANNOT_RUN", "PAYMENT_MATCHES CANNOT_RUN", "CARD_KEY_MATCHES CANNOT_RUN",
                "CARD_KEY_REDEMPTION CANNOT_RUN", "CHAT_LOG_ATTACHED CANNOT_RUN", "CUSTOMER_REQUIRED_EVIDENCE PASSED");
        assertThat(platform.requests(Endpoint.CHAT, d.orderId())).hasSize(3);
    }

    @Test
    void whereThePlatformApiIsNotConfiguredNoDepositEventIsTakenEvenSignedCorrectly() {
        String body = "{\"eventId\":\"E-NOAPI\",\"type\":\"DEPOSIT_PAID\",\"merchantId\":\"merchant1\","
                + "\"amountFen\":100,\"occurredAt\":\"2026-12-03T08:00:00Z\"}";
        long deposit = jdbc.sql("select coalesce(sum(balance_fen), 0) from ledger_account where id = 'DEPOSIT:merchant1'")
                .query(Long.class).single();

        ResponseEntity<String> answer = RestClient.builder().baseUrl("http://localhost:" + port)
                .requestFactory(new JdkClientHttpRequestFactory())
                .defaultStatusHandler(status -> true, (request, response) -> { }).build()
                .post().uri(DepositEventController.PATH)
                .headers(h -> platform.signedHeaders("POST", DepositEventController.PATH,
                        body.getBytes(StandardCharsets.UTF_8), java.time.Instant.now(), "nonce-no-api").forEach(h::set))
                .contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(String.class);

        assertThat(answer.getStatusCode().value()).isEqualTo(404);
        assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(answer.getBody()).contains("only where platform.api is configured");
        assertThat(jdbc.sql("select coalesce(sum(balance_fen), 0) from ledger_account where id = 'DEPOSIT:merchant1'")
                .query(Long.class).single()).isEqualTo(deposit);
        assertThat(jdbc.sql("select count(*) from platform_inbound_nonce where nonce = 'nonce-no-api'")
                .query(Long.class).single()).isZero();
    }

    private long count(String sql) {
        return jdbc.sql(sql).param("O-DOWN-1").query(Long.class).single();
    }
}
