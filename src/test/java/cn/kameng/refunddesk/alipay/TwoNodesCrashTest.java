package cn.kameng.refunddesk.alipay;

import static cn.kameng.refunddesk.alipay.AlipayGatewayStub.QUERY;
import static cn.kameng.refunddesk.alipay.AlipayGatewayStub.REFUND;
import static cn.kameng.refunddesk.alipay.AlipayGatewayStub.success;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import cn.kameng.refunddesk.support.ClusterNode;
import cn.kameng.refunddesk.support.EmbeddedPostgresServer;

/**
 * Two nodes on one PostgreSQL, each its own JVM, as in production. Node A takes a dispute's refund
 * request job and is killed (SIGKILL) while Alipay still holds its refund call, the job locked by A.
 * Node B, started after the kill, takes the job over once A's lock runs out (the shipped
 * {@code lock-time-in-millis}, not a test value), asks Alipay under the same out_request_no, learns the
 * refund went through and records it: within a minute of the kill, one refund at Alipay, one in the
 * database. Runs in {@code mvn test}/{@code verify} (tag "cluster"), about 90 s.
 */
@Tag("cluster")
class TwoNodesCrashTest {

    private static final long ORDER_FEN = 6800;
    private static final List<Process> NODES = new CopyOnWriteArrayList<>();

    static {
        // A failed or interrupted run leaves no node behind.
        Runtime.getRuntime().addShutdownHook(new Thread(TwoNodesCrashTest::killNodes));
    }

    private final AlipayGatewayStub alipay = new AlipayGatewayStub();
    private final Path directory = Path.of("target", "two-nodes", UUID.randomUUID().toString()).toAbsolutePath();

    @AfterEach
    void stop() {
        killNodes();
        alipay.close();
    }

    @AfterAll
    static void noNodeSurvives() {
        killNodes();
    }

    @Test
    void aSecondNodeTakesOverTheRefundOfANodeKilledMidCallWithinAMinuteAndRefundsOnce() throws Exception {
        String database = EmbeddedPostgresServer.newDatabaseUrl();
        Files.createDirectories(directory);
        // Alipay takes node A's refund request and holds the answer: A is mid-call, holding the job's lock.
        alipay.answersTooLate(REFUND, success("trade_no", "T-TWO-NODES", "fund_change", "Y", "refund_fee", "68.00"),
                Duration.ofMinutes(3));
        Path seeded = directory.resolve("dispute-id");
        Process nodeA = start("node-a", database, "-Dnode.seed=" + seeded, "-Dnode.seed-fen=" + ORDER_FEN);

        String disputeId = await(Duration.ofSeconds(150), "node A started and opened a dispute the merchant accepted",
                () -> Files.exists(seeded) ? read(seeded) : null, nodeA);
        String key = await(Duration.ofSeconds(60), "node A sent the refund to Alipay",
                () -> alipay.calls(REFUND).isEmpty() ? null : (String) alipay.calls(REFUND).get(0).get("out_request_no"),
                nodeA);
        JobLock lock = jobLock(database, disputeId);
        assertThat(lock.owner()).as("node A holds the refund request job's lock").isNotNull();

        // Alipay went on with the refund; asked under its key it says so, and would answer a new request at once.
        alipay.answers(QUERY, success("trade_no", "T-TWO-NODES", "out_request_no", key, "refund_status", "REFUND_SUCCESS",
                "refund_amount", "68.00"));
        alipay.answers(REFUND, success("trade_no", "T-TWO-NODES", "fund_change", "Y", "refund_fee", "68.00"));

        Instant killed = Instant.now();
        nodeA.destroyForcibly();
        assertThat(nodeA.waitFor(30, TimeUnit.SECONDS)).as("node A is dead").isTrue();
        Process nodeB = start("node-b", database);

        String status = await(Duration.ofSeconds(90), "node B recorded the refund",
                () -> "SUCCEEDED".equals(refundStatus(database, disputeId)) ? "SUCCEEDED" : null, nodeB);
        Duration takeover = Duration.between(killed, Instant.now());
        LoggedRequest query = alipay.server.findAll(postRequestedFor(urlPathEqualTo("/gateway.do"))
                .withQueryParam("method", equalTo(QUERY))).get(0);
        System.out.printf("two nodes: A's lock until %s; A killed at %s; B asked Alipay at %s; refund recorded %s"
                + " after the kill%n", lock.expires(), killed, query.getLoggedDate().toInstant(), takeover);

        assertThat(status).isEqualTo("SUCCEEDED");
        assertThat(takeover).as("a dead node's refund moves on within a minute").isLessThan(Duration.ofSeconds(60));
        assertThat(alipay.count(REFUND)).as("Alipay saw one refund request, node A's").isEqualTo(1);
        assertThat(alipay.calls(QUERY)).as("node B asked under the same key").isNotEmpty()
                .allSatisfy(q -> assertThat(q.get("out_request_no")).isEqualTo(key));
        try (Connection c = DriverManager.getConnection(database, "postgres", "")) {
            assertThat(rows(c, "select idempotency_key, status, settled_amount_fen from refund where dispute_id = ?",
                    disputeId)).as("one refund of the dispute, settled in full")
                    .containsExactly(List.of(key, "SUCCEEDED", ORDER_FEN));
            assertThat(rows(c, "select status from dispute where id = ?", disputeId))
                    .containsExactly(List.of("AWAITING_ARRIVAL_CONFIRMATION"));
            assertThat(rows(c, "select count(*) from refund_request_attempt where idempotency_key = ?", key))
                    .as("sent once (by A); B asked instead of sending again").containsExactly(List.of(1L));
        }
    }

    private record JobLock(String owner, Instant expires) {
    }

    private Process start(String name, String database, String... systemProperties) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx640m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(List.of(systemProperties));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ClusterNode.class.getName(),
                "--spring.datasource.url=" + database, "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--server.port=0",
                "--camunda.bpm.job-execution.enabled=true",
                // look for jobs every half second when idle, so the takeover is measured by the lock alone
                "--camunda.bpm.job-execution.wait-time-in-millis=500",
                "--camunda.bpm.job-execution.max-wait=1000",
                "--dispute.sandbox.gateway.auto-settle=false",
                "--dispute.notifications.relay-interval=PT1H",
                "--dispute.webhooks.relay-interval=PT1H",
                "--dispute.evidence.directory=" + directory.resolve("evidence"),
                "--dispute.calendar.directory=" + directory.resolve("calendar"),
                "--payment.alipay.enabled=true",
                "--payment.alipay.app-id=2021000000000001",
                "--payment.channels.ALIPAY=alipay",
                "--payment.alipay.gateway-url=" + alipay.server.baseUrl() + "/gateway.do",
                "--payment.alipay.private-key=" + Base64.getEncoder().encodeToString(alipay.appKeys.getPrivate().getEncoded()),
                "--payment.alipay.alipay-public-key="
                        + Base64.getEncoder().encodeToString(alipay.alipayKeys.getPublic().getEncoded())));
        // Its own working directory: the project's would put processes/ and forms/ on the deployment twice.
        Process node = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(directory.resolve(name + ".log").toFile()).start();
        NODES.add(node);
        return node;
    }

    private static void killNodes() {
        for (Process node : NODES) {
            node.destroyForcibly();
            try {
                node.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        NODES.clear();
    }

    private <T> T await(Duration timeout, String what, Supplier<T> probe, Process node) throws Exception {
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (!node.isAlive()) {
                throw new AssertionError("expected: " + what + ", but the node exited (" + node.exitValue()
                        + "); its log is in " + directory);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("expected within " + timeout + ": " + what + "; the nodes' logs are in " + directory);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JobLock jobLock(String database, String disputeId) throws SQLException {
        try (Connection c = DriverManager.getConnection(database, "postgres", "");
                var s = c.prepareStatement("""
                        select j.lock_owner_, j.lock_exp_time_ from act_ru_job j
                        join act_ru_execution e on e.id_ = j.process_instance_id_
                        where e.business_key_ = ? and e.parent_id_ is null""")) {
            s.setString(1, disputeId);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("the dispute's refund request job").isTrue();
                Timestamp expires = rs.getTimestamp(2);
                return new JobLock(rs.getString(1), expires == null ? null : expires.toInstant());
            }
        }
    }

    private static String refundStatus(String database, String disputeId) {
        try (Connection c = DriverManager.getConnection(database, "postgres", "")) {
            List<List<Object>> rows = rows(c, "select status from refund where dispute_id = ?", disputeId);
            return rows.isEmpty() ? null : (String) rows.get(0).get(0);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<List<Object>> rows(Connection c, String sql, String parameter) throws SQLException {
        try (var s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            List<List<Object>> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.add(rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }
}
