package cn.kameng.refunddesk.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.support.EmbeddedPostgresServer;

/**
 * The webhook outbox's SQL on both databases the service runs on (V10, the sequence under a row lock,
 * the chain-head query, the claim), without a Spring context: two changes of one dispute at once take
 * consecutive numbers, a relay sends the chain in order, and a claimed delivery is nobody else's.
 */
class WebhookOutboxOnDatabasesTest {

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void concurrentChangesOfOneDisputeTakeConsecutiveNumbersAndAreSentInThatOrder(String database) throws Exception {
        DataSource db = "H2".equals(database)
                ? new DriverManagerDataSource("jdbc:h2:mem:wh-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "")
                : new DriverManagerDataSource(EmbeddedPostgresServer.newDatabaseUrl(), "postgres", "");
        Flyway.configure().dataSource(db).load().migrate();
        JdbcClient jdbc = JdbcClient.create(db);
        jdbc.sql("""
                insert into dispute (id, order_id, customer_id, merchant_id, reason, description, payment_channel,
                  product_category, paid_amount_fen, claimed_amount_fen, status, opened_at)
                values ('DSP-1', 'ORD-1', 'buyer1', 'merchant1', 'INVALID_CARD_KEY', '卡密无效', 'ALIPAY', 'CARD_KEY', 100, 100,
                  'UNDER_REVIEW', current_timestamp)""").update();
        WireMockServer receiver = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        receiver.start();
        try {
            receiver.stubFor(post(urlPathEqualTo("/hooks")).willReturn(aResponse().withStatus(200)));
            Subscribers subscribers = new Subscribers(new WebhookProperties(List.of(new WebhookProperties.Subscriber(
                    "platform", receiver.baseUrl() + "/hooks", UUID.randomUUID() + "-" + UUID.randomUUID(), null)),
                    Duration.ofSeconds(2), Duration.ofSeconds(5)));
            WebhookStore store = new WebhookStore(jdbc);
            WebhookEvents events = new WebhookEvents(store, subscribers, new ObjectMapper());
            TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(db));

            // the first change holds the dispute's lock while the second tries to write its event
            CountDownLatch firstWrote = new CountDownLatch(1);
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(tx -> {
                events.publish("DSP-1", WebhookEventType.DISPUTE_OPENED, ServiceClock.now(), new HashMap<>(), null);
                firstWrote.countDown();
                sleep(300);
            }));
            assertThat(firstWrote.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(tx ->
                    events.publish("DSP-1", WebhookEventType.MERCHANT_ANSWERED, ServiceClock.now(), new HashMap<>(),
                            null)));
            first.get(20, TimeUnit.SECONDS);
            second.get(20, TimeUnit.SECONDS);
            transactions.executeWithoutResult(tx -> events.publish("DSP-1", WebhookEventType.DISPUTE_CLOSED,
                    ServiceClock.now(), new HashMap<>(), null));
            assertThat(jdbc.sql("select type from webhook_event where dispute_id = 'DSP-1' order by sequence_no")
                    .query(String.class).list())
                    .containsExactly("dispute.opened", "dispute.merchant_answered", "dispute.closed");

            Instant now = ServiceClock.now();
            List<WebhookStore.Due> due = store.due(now, 100);
            assertThat(due).as("only the head of the dispute's chain").hasSize(1);
            assertThat(due.get(0).sequence()).isEqualTo(1);
            assertThat(store.claim(due.get(0).id(), now, now.plusSeconds(60))).isTrue();
            assertThat(store.claim(due.get(0).id(), now, now.plusSeconds(60))).as("a second relay").isFalse();
            assertThat(store.due(now, 100)).as("claimed: not due to anybody else").isEmpty();
            store.markFailed(due.get(0).id(), "test", now);

            new WebhookRelay(store, subscribers, new WebhookSender(subscribers), Duration.ofSeconds(30),
                    Duration.ofHours(1)).relay();
            List<ServeEvent> sent = new ArrayList<>(receiver.getAllServeEvents());
            java.util.Collections.reverse(sent);
            assertThat(sent.stream().map(e -> e.getRequest().getHeader("Kameng-Event-Type")))
                    .containsExactly("dispute.opened", "dispute.merchant_answered", "dispute.closed");
            assertThat(store.due(ServiceClock.now().plus(Duration.ofDays(1)), 100)).isEmpty();
        } finally {
            receiver.stop();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
