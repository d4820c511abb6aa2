package cn.kameng.refunddesk.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import cn.kameng.refunddesk.dispute.DomainException;
import cn.kameng.refunddesk.evidence.CardKeySupplier;
import cn.kameng.refunddesk.evidence.PlatformChatLog;
import cn.kameng.refunddesk.order.Order;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;
import cn.kameng.refunddesk.platform.PlatformStub.Endpoint;
import cn.kameng.refunddesk.refund.GatewayUnavailableException;
import cn.kameng.refunddesk.refund.PaymentGateway.RefundAnswer;
import cn.kameng.refunddesk.refund.PaymentGateway.RefundRequest;
import cn.kameng.refunddesk.refund.RefundState;

/**
 * The four adapters against a platform that follows docs/platform-api.yaml (WireMock, {@link PlatformStub}):
 * what each reads from a good answer, and what each does when the platform is slow, down, refuses our
 * signature or keeps failing. No Spring: the adapters are built as the configuration builds them.
 */
class PlatformAdaptersTest {

    private final PlatformStub platform = new PlatformStub();
    private final PlatformClient client = platform.client();
    private final HttpOrderDirectory orders = new HttpOrderDirectory(client, Duration.ofSeconds(30));
    private final HttpCardKeySupplier supplier = new HttpCardKeySupplier(client);
    private final HttpChatLog chat = new HttpChatLog(client);
    private final PlatformBalanceGateway balance = new PlatformBalanceGateway(client);

    @AfterEach
    void stop() {
        platform.close();
    }

    // the order directory

    @Test
    void anOrderIsReadFromTheAnswerToASignedRequest() {
        platform.answer(Endpoint.ORDER, 200, PlatformStub.order("O-1001", "buyer1", "ALIPAY", "CARD_KEY", "KEY-AAAA-1234"),
                "O-1001");

        Order order = orders.find("O-1001").orElseThrow();

        assertThat(order).isEqualTo(new Order("O-1001", "buyer1", "merchant1", 2500, PaymentChannel.ALIPAY,
                ProductCategory.CARD_KEY, Instant.parse("2026-12-01T08:00:00Z"), "KEY-AAAA-1234", null));
        LoggedRequest sent = platform.requests(Endpoint.ORDER, "O-1001").get(0);
        assertThat(sent.getHeader(RequestSigner.KEY_ID)).isEqualTo(PlatformStub.KEY_ID);
        assertThat(sent.getHeader(RequestSigner.SIGNATURE)).matches("[0-9a-f]{64}");
    }

    @Test
    void aMerchantsOrdersAndWhatABuyerPaidAreReadFromSignedStatisticsRequestsOverTheWindowAsked() {
        platform.answerStatistics("merchantId", "merchant1", 200, PlatformStub.statistics(1_250, 3_125_000));
        platform.answerStatistics("buyerId", "buyer1", 200, PlatformStub.statistics(3, 7_500));
        Instant from = Instant.parse("2026-11-03T00:00:00Z");
        Instant to = Instant.parse("2026-12-03T00:00:00Z");

        assertThat(orders.ordersOf("merchant1", from, to)).hasValue(1_250);
        assertThat(orders.boughtBy("buyer1", from, to)).hasValue(7_500);
        LoggedRequest sent = platform.statisticsRequests().get(0);
        assertThat(sent.queryParameter("from").firstValue()).isEqualTo("2026-11-03T00:00:00Z");
        assertThat(sent.queryParameter("to").firstValue()).isEqualTo("2026-12-03T00:00:00Z");
    }

    @Test
    void aPlatformWithoutStatisticsOrOneThatFailsGivesNoNumberAndOrderLookupsCarryOn() {
        platform.answerStatistics("merchantId", "merchant1", 404, PlatformStub.problem(404, "no such operation"));
        platform.answerStatistics("buyerId", "buyer1", 503, PlatformStub.problem(503, "busy"));
        platform.answerStatistics("buyerId", "buyer2", 200, "{\"orderCount\":-1,\"paidFen\":-5}");
        platform.answer(Endpoint.ORDER, 200, PlatformStub.order("O-1", "buyer1", "ALIPAY", "CARD_KEY", "K"), "O-1");
        Instant from = Instant.parse("2026-11-03T00:00:00Z");
        Instant to = Instant.parse("2026-12-03T00:00:00Z");

        assertThat(orders.ordersOf("merchant1", from, to)).isEmpty();
        assertThat(orders.boughtBy("buyer1", from, to)).isEmpty();
        assertThat(platform.statisticsRequests().stream().filter(r -> r.queryParameter("buyerId").isPresent()))
                .as("asked once: read while a dispute opens, never retried").hasSize(1);
        for (int i = 0; i < 20; i++) { // enough failures to open the statistics' breaker
            assertThat(orders.boughtBy("buyer1", from, to)).isEmpty();
        }
        assertThat(orders.boughtBy("buyer2", from, to)).isEmpty();
        assertThat(client.breaker(PlatformSystem.ORDER_STATISTICS).getState().name()).isEqualTo("OPEN");
        assertThat(orders.find("O-1")).isPresent();
    }

    @Test
    void anOrderIdThatNeedsEncodingIsSignedAsSent() {
        platform.answer(Endpoint.ORDER, 200, PlatformStub.order("O 1/é", "buyer1", "ALIPAY", "RECHARGE", null), "O 1/é");

        assertThat(orders.find("O 1/é")).map(Order::orderId).contains("O 1/é");
    }

    @Test
    void anOrderThePlatformDoesNotKnowIsNotFound() {
        platform.answer(Endpoint.ORDER, 404, PlatformStub.problem(404, "no order O-404"), "O-404");

        assertThat(orders.find("O-404")).isEmpty();
        assertThat(platform.requests(Endpoint.ORDER, "O-404")).hasSize(1);
    }

    @Test
    void aSlowAnswerWithinTheReadTimeoutIsStillAnAnswer() {
        platform.answerAfter(Endpoint.ORDER, Duration.ofMillis(300), 200,
                PlatformStub.order("O-SLOW", "buyer1", "WECHAT_PAY", "GAME_ACCOUNT", null), "O-SLOW");

        assertThat(orders.find("O-SLOW")).map(Order::paymentChannel).contains(PaymentChannel.WECHAT_PAY);
        assertThat(platform.requests(Endpoint.ORDER, "O-SLOW")).hasSize(1);
    }

    @Test
    void anOrderSystemThatDoesNotAnswerInTimeIsTriedThreeTimesThenUnavailableWithRetryAfter() {
        platform.answerAfter(Endpoint.ORDER, Duration.ofMillis(2500), 200,
                PlatformStub.order("O-LATE", "buyer1", "ALIPAY", "CARD_KEY", "K"), "O-LATE");

        assertThatThrownBy(() -> orders.find("O-LATE")).isInstanceOfSatisfying(DomainException.Unavailable.class, e -> {
            assertThat(e.retryAfterSeconds()).isEqualTo(30);
            assertThat(e.getMessage()).contains("order system cannot be reached", "try again in 30 seconds");
        });
        assertThat(platform.requests(Endpoint.ORDER, "O-LATE")).hasSize(3);
    }

    @Test
    void aServerErrorIsRetriedEachTimeFreshlySignedThenUnavailable() {
        platform.answer(Endpoint.ORDER, 503, PlatformStub.problem(503, "maintenance"), "O-5XX");

        assertThatThrownBy(() -> orders.find("O-5XX")).isInstanceOf(DomainException.Unavailable.class)
                .hasMessageContaining("503");
        // every attempt verified by the stub (else it would have been a 401), each with its own nonce
        assertThat(platform.requests(Endpoint.ORDER, "O-5XX")).hasSize(3)
                .extracting(r -> r.getHeader(RequestSigner.NONCE)).doesNotHaveDuplicates();
    }

    @Test
    void aDroppedConnectionIsUnavailableNotAMissingOrder() {
        platform.dropConnection(Endpoint.ORDER, "O-RESET");

        assertThatThrownBy(() -> orders.find("O-RESET")).isInstanceOf(DomainException.Unavailable.class);
    }

    @Test
    void aRefusedSignatureIsNotRetriedAndTheOrderIsUnavailable() {
        platform.answer(Endpoint.ORDER, 200, PlatformStub.order("O-1", "buyer1", "ALIPAY", "CARD_KEY", "K"), "O-1");
        PlatformClient wrongKey = new PlatformClient(platform.properties(PlatformStub.newKey(), 3,
                new PlatformApiProperties.Breaker(10, 5, 50, Duration.ofMinutes(1))), Clock.systemUTC());

        assertThatThrownBy(() -> new HttpOrderDirectory(wrongKey, Duration.ofSeconds(30)).find("O-1"))
                .isInstanceOf(DomainException.Unavailable.class).hasMessageContaining("refused our signed request with 401");
        assertThat(platform.requests(Endpoint.ORDER, "O-1")).hasSize(1);
    }

    @Test
    void aRequestSignedTenMinutesAgoIsRefusedByThePlatform() {
        platform.answer(Endpoint.ORDER, 200, PlatformStub.order("O-1", "buyer1", "ALIPAY", "CARD_KEY", "K"), "O-1");
        PlatformClient skewed = new PlatformClient(platform.properties(),
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)));

        assertThatThrownBy(() -> new HttpOrderDirectory(skewed, Duration.ofSeconds(30)).find("O-1"))
                .isInstanceOf(DomainException.Unavailable.class);
    }

    @Test
    void anAnswerWithoutTheFieldsAnOrderNeedsIsUnavailableNotAGuess() {
        platform.answer(Endpoint.ORDER, 200, "{\"orderId\":\"O-THIN\",\"amountFen\":100}", "O-THIN");

        assertThatThrownBy(() -> orders.find("O-THIN")).isInstanceOf(DomainException.Unavailable.class)
                .hasMessageContaining("no buyerId, merchantId, paymentChannel, productCategory");
    }

    @Test
    void afterEnoughFailuresTheBreakerOpensTheHealthSaysDownAndThePlatformIsLeftAlone() {
        PlatformClient once = new PlatformClient(platform.properties(platform.key, 1,
                new PlatformApiProperties.Breaker(4, 4, 50, Duration.ofMinutes(1))), Clock.systemUTC());
        HttpOrderDirectory directory = new HttpOrderDirectory(once, Duration.ofSeconds(30));
        PlatformHealth health = new PlatformHealth(PlatformSystem.ORDERS, once.breaker(PlatformSystem.ORDERS),
                platform.baseUrl());
        platform.answer(Endpoint.ORDER, 500, PlatformStub.problem(500, "boom"), "O-DOWN");
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);

        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> directory.find("O-DOWN")).isInstanceOf(DomainException.Unavailable.class);
        }
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.health().getDetails()).containsEntry("circuitBreaker", "OPEN");

        assertThatThrownBy(() -> directory.find("O-DOWN")).isInstanceOf(DomainException.Unavailable.class)
                .hasMessageContaining("circuit breaker open");
        assertThat(platform.requests(Endpoint.ORDER, "O-DOWN")).hasSize(4);
        // each system has its own breaker: the chat log is still called
        assertThat(new PlatformHealth(PlatformSystem.CHAT, once.breaker(PlatformSystem.CHAT), platform.baseUrl())
                .health().getStatus()).isEqualTo(Status.UP);
        platform.answer(Endpoint.CHAT, 200, PlatformStub.chat("O-DOWN"), "O-DOWN");
        assertThat(new HttpChatLog(once).of("O-DOWN")).isEmpty();
    }

    @Test
    void whenTheOpenTimeIsOverOneTrialCallThatSucceedsClosesTheBreakerAndTheHealthIsUpAgain() throws Exception {
        PlatformClient once = new PlatformClient(platform.properties(platform.key, 1,
                new PlatformApiProperties.Breaker(2, 2, 50, Duration.ofMillis(300))), Clock.systemUTC());
        HttpOrderDirectory directory = new HttpOrderDirectory(once, Duration.ofSeconds(30));
        PlatformHealth health = new PlatformHealth(PlatformSystem.ORDERS, once.breaker(PlatformSystem.ORDERS),
                platform.baseUrl());
        platform.answer(Endpoint.ORDER, 503, PlatformStub.problem(503, "restarting"), "O-BACK");
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> directory.find("O-BACK")).isInstanceOf(DomainException.Unavailable.class);
        }
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);

        platform.answer(Endpoint.ORDER, 200, PlatformStub.order("O-BACK", "buyer1", "ALIPAY", "CARD_KEY", "K"),
                "O-BACK");
        Thread.sleep(400);

        assertThat(directory.find("O-BACK")).isPresent();
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(health.health().getDetails()).containsEntry("circuitBreaker", "CLOSED");
    }

    // the supplier's card-key records

    @Test
    void aRedeemedKeyIsReadWithWhenAndByWhom() {
        platform.answer(Endpoint.CARD_KEY, 200, PlatformStub.redemption("KEY-AAAA-1234", "REDEEMED",
                "2026-11-30T10:00:00Z", "someone-else"), "KEY-AAAA-1234");

        assertThat(supplier.redemption("KEY-AAAA-1234")).contains(new CardKeySupplier.Redemption(
                CardKeySupplier.Status.REDEEMED, Instant.parse("2026-11-30T10:00:00Z"), "someone-else"));
    }

    @Test
    void aKeyTheSupplierDoesNotKnowIsEmpty() {
        platform.answer(Endpoint.CARD_KEY, 404, PlatformStub.problem(404, "never issued"), "KEY-FAKE");

        assertThat(supplier.redemption("KEY-FAKE")).isEmpty();
    }

    @Test
    void aSupplierThatCannotBeReachedThrowsSoTheCheckCannotRunRatherThanFail() {
        platform.answer(Endpoint.CARD_KEY, 502, PlatformStub.problem(502, "bad gateway"), "KEY-X");

        // an empty answer would read "the supplier never issued it" and fail the merchant's side
        assertThatThrownBy(() -> supplier.redemption("KEY-X")).isInstanceOf(RuntimeException.class)
                .hasMessageContaining("card-key records answered 502");
        assertThat(platform.requests(Endpoint.CARD_KEY, "KEY-X")).hasSize(3);
    }

    @Test
    void aCardKeyLookupThatTimesOutDoesNotPutTheKeyInTheErrorThatIsLogged() {
        platform.answerAfter(Endpoint.CARD_KEY, Duration.ofMillis(2500), 200,
                PlatformStub.redemption("KEY-SECRET-9876", "UNUSED", null, null), "KEY-SECRET-9876");

        assertThatThrownBy(() -> supplier.redemption("KEY-SECRET-9876")).isInstanceOf(RuntimeException.class)
                .hasMessageContaining("did not answer").hasMessageContaining("timed out")
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain("KEY-SECRET-9876");
                    }
                });
    }

    // the platform chat

    @Test
    void theChatMessagesOfAnOrderAreReadOldestFirst() {
        platform.answer(Endpoint.CHAT, 200, PlatformStub.chat("O-1001", "buyer1", "卡密无效", "merchant1", "请截图"),
                "O-1001");

        assertThat(chat.of("O-1001")).containsExactly(
                new PlatformChatLog.Message(Instant.parse("2026-12-01T08:00:00Z"), "buyer1", "卡密无效"),
                new PlatformChatLog.Message(Instant.parse("2026-12-01T08:01:00Z"), "merchant1", "请截图"));
    }

    @Test
    void noChatAboutTheOrderIsNoMessages() {
        platform.answer(Endpoint.CHAT, 404, PlatformStub.problem(404, "no chat"), "O-QUIET");

        assertThat(chat.of("O-QUIET")).isEmpty();
    }

    @Test
    void aChatThatTimesOutThrowsSoTheCheckCannotRunRatherThanSayNothingWasSaid() {
        platform.answerAfter(Endpoint.CHAT, Duration.ofMillis(2500), 200, PlatformStub.chat("O-1"), "O-1");

        assertThatThrownBy(() -> chat.of("O-1")).isInstanceOf(RuntimeException.class)
                .hasMessageContaining("chat log did not answer");
    }

    // refunds to the platform balance

    @Test
    void aBalanceRefundIsSentUnderItsIdempotencyKeyAndAnsweredAtOnce() {
        platform.answer(Endpoint.REFUND, 201, PlatformStub.refund("RF-1", "SUCCEEDED", 2500L, null));

        RefundAnswer answer = balance.requestRefund(new RefundRequest("RF-1", "O-1001", 2500,
                PaymentChannel.PLATFORM_BALANCE, "退款争议 D-1"));

        assertThat(answer.state()).isEqualTo(RefundState.SUCCEEDED);
        assertThat(answer.settledAmountFen()).isEqualTo(2500L);
        assertThat(answer.gatewayReference()).isEqualTo("BAL-RF-1");
        LoggedRequest sent = platform.requests(Endpoint.REFUND).get(0);
        assertThat(sent.getHeader("Idempotency-Key")).isEqualTo("RF-1");
        assertThat(sent.getBodyAsString()).isEqualTo(
                "{\"idempotencyKey\":\"RF-1\",\"orderId\":\"O-1001\",\"amountFen\":2500,\"reason\":\"退款争议 D-1\"}");
        assertThat(balance.serves(PaymentChannel.PLATFORM_BALANCE)).isTrue();
        assertThat(balance.serves(PaymentChannel.ALIPAY)).isFalse();
    }

    @Test
    void aBalanceRefundWithoutAnAnswerIsRetriedUnderTheSameKeyThenUnknownForTheJobToRetry() {
        platform.answer(Endpoint.REFUND, 503, PlatformStub.problem(503, "overloaded"));

        assertThatThrownBy(() -> balance.requestRefund(new RefundRequest("RF-2", "O-1", 100,
                PaymentChannel.PLATFORM_BALANCE, "r"))).isInstanceOf(GatewayUnavailableException.class)
                .hasMessageContaining("outcome unknown");
        assertThat(platform.requests(Endpoint.REFUND)).hasSize(3)
                .allSatisfy(r -> assertThat(r.getHeader("Idempotency-Key")).isEqualTo("RF-2"));
    }

    @Test
    void aBalanceRefundThatTimesOutIsAnUnknownOutcome() {
        platform.answerAfter(Endpoint.REFUND, Duration.ofMillis(2500), 201,
                PlatformStub.refund("RF-3", "SUCCEEDED", 100L, null));

        assertThatThrownBy(() -> balance.requestRefund(new RefundRequest("RF-3", "O-1", 100,
                PaymentChannel.PLATFORM_BALANCE, "r"))).isInstanceOf(GatewayUnavailableException.class);
    }

    @Test
    void aBalanceRefundThePlatformRefusesMovedNoMoney() {
        platform.answer(Endpoint.REFUND, 422, PlatformStub.problem(422, "amount exceeds the order"));

        RefundAnswer answer = balance.requestRefund(new RefundRequest("RF-4", "O-1", 999999,
                PaymentChannel.PLATFORM_BALANCE, "r"));

        assertThat(answer.state()).isEqualTo(RefundState.FAILED);
        assertThat(answer.failureReason()).contains("422", "amount exceeds the order");
        assertThat(platform.requests(Endpoint.REFUND)).hasSize(1);
    }

    @Test
    void aPostWithoutAnIdempotencyKeyIsNeverRetried() {
        platform.answer(Endpoint.REFUND, 503, PlatformStub.problem(503, "overloaded"));

        assertThatThrownBy(() -> client.post(PlatformSystem.BALANCE, null, new PlatformBalanceGateway.RefundBody(
                "RF-5", "O-1", 100, "r"), PlatformBalanceGateway.AnswerBody.class, "/balance-refunds"))
                .isInstanceOf(PlatformClient.Unreachable.class);
        assertThat(platform.requests(Endpoint.REFUND)).hasSize(1);
    }

    @Test
    void aRefundsStateIsQueriedAndAnUnknownKeyIsUnknown() {
        platform.answer(Endpoint.REFUND_STATE, 200, PlatformStub.refund("RF-6", "PROCESSING", null, null), "RF-6");
        platform.answer(Endpoint.REFUND_STATE, 404, PlatformStub.problem(404, "no such refund"), "RF-NEVER");

        assertThat(balance.queryRefund("RF-6", "O-1").state()).isEqualTo(RefundState.PROCESSING);
        assertThat(balance.queryRefund("RF-NEVER", "O-1").state()).isEqualTo(RefundState.UNKNOWN);
    }

    @Test
    void aQueryThatCannotReachThePlatformIsUnavailableNotUnknown() {
        platform.answer(Endpoint.REFUND_STATE, 500, PlatformStub.problem(500, "boom"), "RF-7");

        // UNKNOWN would let the job send the refund again as if never received
        assertThatThrownBy(() -> balance.queryRefund("RF-7", "O-1")).isInstanceOf(GatewayUnavailableException.class);
    }
}
