package cn.kameng.refunddesk.monitoring;

import static cn.kameng.refunddesk.support.TestDisputes.BUYER1;
import static cn.kameng.refunddesk.support.TestDisputes.MERCHANT1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;

/**
 * What operations read off {@code /actuator/prometheus} (issue 16, item 7): the dispute's and the engine's numbers
 * move as disputes do, only operations may scrape, every metric the Grafana dashboard and the alert rules use is
 * there, and each log line about a dispute carries its id.
 */
@DisputeServiceTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsMetricsTest {

    @LocalServerPort int port;
    @Autowired TestDisputes given;
    @Autowired org.springframework.context.ApplicationContext context;
    @Autowired DisputeService disputes;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @AfterEach
    void clockBack() {
        ClockUtil.reset();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    @Test
    @Order(1)
    void aRefundedDisputeAndASilentMerchantMoveTheNumbersOperationsWatch() throws Exception {
        String before = scrape("ops1").body();
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);

        Dispute refunded = given.open(2500, Reason.INVALID_CARD_KEY);
        disputes.merchantResponse(MERCHANT1, refunded.id(), new MerchantAnswer(MerchantDecision.ACCEPT, null, "同意退款",
                null));
        given.runDueJobs(refunded.id());
        assertThat(given.settleRefunds()).isEqualTo(1);
        assertThat(given.get(refunded.id()).status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);
        disputes.arrivalConfirmation(BUYER1, refunded.id(), true, null);

        Dispute silent = given.open(1800, Reason.NOT_AS_DESCRIBED);
        given.moveClock(Duration.ofHours(49));
        given.runDueJobs(silent.id());

        String after = scrape("ops1").body();
        Map<String, String> api = Map.of("reason", "INVALID_CARD_KEY", "channel", "ALIPAY", "via", "API");
        assertThat(increase(before, after, "kameng_disputes_opened_total", api)).isEqualTo(1);
        assertThat(increase(before, after, "kameng_disputes_opened_total", Map.of("reason", "NOT_AS_DESCRIBED")))
                .isEqualTo(1);
        assertThat(increase(before, after, "kameng_sla_total", Map.of("kind", "MERCHANT_REPLY", "result", "MET")))
                .isEqualTo(1);
        assertThat(increase(before, after, "kameng_sla_total", Map.of("kind", "MERCHANT_REPLY", "result", "MISSED")))
                .isEqualTo(1);
        assertThat(increase(before, after, "kameng_merchant_answer_seconds_count", Map.of("reply", "ACCEPT")))
                .isEqualTo(1);
        assertThat(increase(before, after, "kameng_refund_settled_seconds_count", Map.of("channel", "ALIPAY")))
                .isEqualTo(1);
        assertThat(increase(before, after, "kameng_gateway_call_seconds_count",
                Map.of("gateway", "sandbox", "operation", "REQUEST", "outcome", "ANSWERED"))).isEqualTo(1);
        assertThat(increase(before, after, "camunda_root_process_instance_start_total", Map.of()))
                .as("two disputes' processes (and finance's recovery of the refund)").isGreaterThanOrEqualTo(2);
        assertThat(increase(before, after, "camunda_job_successful_total", Map.of())).isPositive();
        assertThat(value(after, "camunda_tasks_open", Map.of("queue", "reviewers"))).isNotNull();
        assertThat(value(after, "kameng_outbox_waiting", Map.of())).isPositive();
        assertThat(value(after, "kameng_calendar_days_left", Map.of())).isNotNull();

        assertThat(logs.list).filteredOn(e -> refunded.id().equals(e.getMDCPropertyMap().get("disputeId")))
                .as("log lines written while the engine worked on the refunded dispute carry its id").isNotEmpty();
    }

    @Test
    void aLoadBalancerReadsLivenessAndReadinessWithoutSigningIn() throws Exception {
        for (String probe : new String[] {"liveness", "readiness"}) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/actuator/health/" + probe)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(probe).isEqualTo(200);
            assertThat(answer.body()).as(probe).contains("\"status\":\"UP\"");
        }
    }

    @Test
    void aNodeThatRefusesTrafficIsTakenOutOfRotationAndABrokenOneRestarted() throws Exception {
        try {
            AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC); // starting, or stopping
            assertThat(probe("readiness").statusCode()).as("readiness while refusing traffic").isEqualTo(503);
            assertThat(probe("liveness").statusCode()).as("still alive").isEqualTo(200);
            AvailabilityChangeEvent.publish(context, LivenessState.BROKEN);
            assertThat(probe("liveness").statusCode()).as("liveness when broken").isEqualTo(503);
        } finally {
            AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
        }
        assertThat(probe("readiness").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> probe(String probe) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/" + probe))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onlyOperationsMayScrape() throws Exception {
        assertThat(scrape("ops1").statusCode()).isEqualTo(200);
        assertThat(scrape("admin").statusCode()).isEqualTo(200);
        HttpResponse<String> buyer = scrape("buyer1");
        assertThat(buyer.statusCode()).isEqualTo(403);
        assertThat(buyer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/problem+json"));
        assertThat(scrape("reviewer1").statusCode()).isEqualTo(403);
        assertThat(http.send(HttpRequest.newBuilder(uri()).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(401);
    }

    /** After the first test: a dispute was opened and a gateway called, so their series exist. */
    @Test
    @Order(2)
    void everyMetricTheDashboardAndTheAlertsReadIsExposed() throws Exception {
        Set<String> used = new TreeSet<>();
        used.addAll(metricNames(Files.readString(Path.of("docs/monitoring/grafana-dashboard.json"))));
        used.addAll(metricNames(Files.readString(Path.of("docs/monitoring/alert-rules.yaml"))));
        assertThat(used).hasSizeGreaterThan(10);

        String scrape = scrape("ops1").body();
        Set<String> exposed = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)").matcher(scrape);
        while (m.find()) {
            exposed.add(m.group(1));
            if (m.group(2).equals("histogram")) {
                exposed.addAll(Set.of(m.group(1) + "_bucket", m.group(1) + "_count", m.group(1) + "_sum"));
            }
            if (m.group(2).equals("counter") && !m.group(1).endsWith("_total")) {
                exposed.add(m.group(1) + "_total");
            }
        }
        assertThat(exposed).as("metrics the dashboard or an alert reads").containsAll(used);
    }

    /** kameng_* and camunda_* names in a dashboard or rules file. */
    static Set<String> metricNames(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\b((?:kameng|camunda)_[a-z0-9_]*[a-z0-9])\\b").matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private HttpResponse<String> scrape(String user) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(uri()).header("Authorization", "Basic " + basic).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri() {
        return URI.create("http://localhost:" + port + "/actuator/prometheus");
    }

    private static double increase(String before, String after, String name, Map<String, String> labels) {
        Double was = value(before, name, labels);
        Double is = value(after, name, labels);
        assertThat(is).as(name + labels + " after").isNotNull();
        return is - (was == null ? 0 : was);
    }

    /** The sum of the samples of {@code name} whose labels include {@code labels}; null when there is none. */
    static Double value(String scrape, String name, Map<String, String> labels) {
        Double sum = null;
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{([^}]*)\\})? (\\S+)$").matcher(scrape);
        while (line.find()) {
            Map<String, String> has = new LinkedHashMap<>();
            if (line.group(2) != null) {
                Matcher label = Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(line.group(2));
                while (label.find()) {
                    has.put(label.group(1), label.group(2));
                }
            }
            if (has.entrySet().containsAll(labels.entrySet())) {
                sum = (sum == null ? 0 : sum) + Double.parseDouble(line.group(3));
            }
        }
        return sum;
    }
}
