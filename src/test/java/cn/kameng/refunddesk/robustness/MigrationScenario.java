package cn.kameng.refunddesk.robustness;

import static cn.kameng.refunddesk.support.TestDisputes.BUYER1;
import static cn.kameng.refunddesk.support.TestDisputes.MERCHANT1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.simple.JdbcClient;

import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeStatus;
import cn.kameng.refunddesk.dispute.Outcome;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.dispute.Timeline;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.order.ProductCategory;
import cn.kameng.refunddesk.refund.RefundRecords;
import cn.kameng.refunddesk.refund.RefundState;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;
import cn.kameng.refunddesk.workflow.DisputeService;

/**
 * What must hold on every database the service supports: Flyway created the service's tables before
 * the engine created Camunda's, and a dispute goes from open to refunded. Subclasses choose the database.
 */
abstract class MigrationScenario {

    /** Tables of V1__dispute_tables.sql. */
    static final Set<String> OUR_TABLES = Set.of("sandbox_order", "dispute", "dispute_deadline", "timeline_entry",
            "notification_outbox", "evidence", "refund", "external_complaint", "account_restriction",
            "sandbox_gateway_refund");

    /** A few of the engine's tables: runtime, history, repository, identity, schema log. */
    static final Set<String> ENGINE_TABLES = Set.of("act_ru_execution", "act_ru_job", "act_ru_task", "act_hi_procinst",
            "act_re_procdef", "act_id_group", "act_ge_schema_log");

    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired RuntimeService runtime;
    @Autowired ManagementService management;
    @Autowired RefundRecords refunds;
    @Autowired Timeline timeline;
    @Autowired JdbcClient jdbc;

    /** The product name the JDBC driver reports, e.g. "PostgreSQL" or "H2". */
    abstract String expectedDatabase();

    @BeforeEach
    void setClock() {
        ClockUtil.setCurrentTime(new Date());
    }

    @AfterEach
    void resetClock() {
        ClockUtil.reset();
    }

    @Test
    void runsOnTheExpectedDatabase() {
        String product = jdbc.sql("select 1").query((rs, i) -> {
            try {
                return rs.getStatement().getConnection().getMetaData().getDatabaseProductName();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }).single();
        assertThat(product).isEqualTo(expectedDatabase());
        assertThat(management.getProperties()).isNotEmpty();
    }

    @Test
    void flywayMigratedOurTablesBeforeTheEngineCreatedItsOwn() throws IOException {
        record Migration(String version, String type, String script, boolean success, Timestamp installedOn) {
        }
        // Versioned migrations only: on H2 Flyway also logs a SCHEMA marker row of its own (no version).
        List<Migration> history = jdbc.sql("""
                select "version", "type", "script", "success", "installed_on" from "flyway_schema_history"
                where "version" is not null order by "installed_rank"
                """)
                .query((rs, i) -> new Migration(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        rs.getTimestamp(5)))
                .list();
        assertThat(history).as("flyway_schema_history: every migration of db/migration, in order, as SQL")
                .extracting(Migration::script).containsExactlyElementsOf(migrationScripts());
        assertThat(history).allSatisfy(m -> {
            assertThat(m.type()).isEqualTo("SQL");
            assertThat(m.success()).isTrue();
        });
        assertThat(jdbc.sql("select count(*) from \"flyway_schema_history\" where not \"success\"")
                .query(Integer.class).single()).as("failed migrations").isZero();

        Set<String> tables = tables();
        assertThat(tables).containsAll(OUR_TABLES).containsAll(ENGINE_TABLES);

        // The engine logs when it created its schema; Flyway's migration must be older.
        Timestamp engineSchemaCreated = jdbc.sql("select timestamp_ from act_ge_schema_log where id_ = '0'")
                .query(Timestamp.class).single();
        assertThat(history.get(history.size() - 1).installedOn())
                .as("every Flyway migration installed before the engine created its schema")
                .isBeforeOrEqualTo(engineSchemaCreated);
        assertThat(jdbc.sql("select count(*) from act_re_procdef where key_ = 'refundDispute'").query(Integer.class)
                .single()).isEqualTo(1);
    }

    /** The scripts under src/main/resources/db/migration, ordered by their version number (V3 < V3_1 < V4 < V10). */
    private static List<String> migrationScripts() throws IOException {
        return Arrays.stream(new PathMatchingResourcePatternResolver().getResources("classpath:db/migration/V*__*.sql"))
                .map(Resource::getFilename)
                .sorted(Comparator.comparing(MigrationScenario::version, MigrationScenario::compareVersions))
                .toList();
    }

    private static int[] version(String script) {
        return Arrays.stream(script.substring(1, script.indexOf("__")).split("[._]")).mapToInt(Integer::parseInt)
                .toArray();
    }

    private static int compareVersions(int[] a, int[] b) {
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int difference = Integer.compare(i < a.length ? a[i] : 0, i < b.length ? b[i] : 0);
            if (difference != 0) {
                return difference;
            }
        }
        return 0;
    }

    @Test
    void aDisputeGoesFromOpenToRefunded() {
        String orderId = given.order(4200, PaymentChannel.WECHAT_PAY, ProductCategory.CARD_KEY, 1, "SUCCEED");
        Dispute opened = given.open(orderId, Reason.INVALID_CARD_KEY);
        assertThat(opened.status()).isEqualTo(DisputeStatus.AWAITING_MERCHANT);
        assertThat(opened.openedAt()).isNotNull();

        Dispute accepted = disputes.merchantResponse(MERCHANT1, opened.id(),
                new MerchantAnswer(MerchantDecision.ACCEPT, null, "同意全额退款", null));
        assertThat(accepted.status()).isEqualTo(DisputeStatus.REFUNDING);
        assertThat(accepted.approvedAmountFen()).isEqualTo(4200L);

        given.runDueJobs(opened.id());
        assertThat(refunds.of(opened.id())).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(RefundState.PROCESSING));
        assertThat(given.settleRefunds()).isEqualTo(1);
        assertThat(given.get(opened.id()).status()).isEqualTo(DisputeStatus.AWAITING_ARRIVAL_CONFIRMATION);

        Dispute closed = disputes.arrivalConfirmation(BUYER1, opened.id(), true, null);

        assertThat(closed.status()).isEqualTo(DisputeStatus.CLOSED);
        assertThat(closed.outcome()).isEqualTo(Outcome.REFUNDED);
        assertThat(closed.closedAt()).isNotNull();
        assertThat(refunds.of(opened.id())).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(RefundState.SUCCEEDED);
            assertThat(r.settledAmountFen()).isEqualTo(4200L);
            assertThat(r.receivedAmountFen()).isEqualTo(4200L);
            assertThat(r.idempotencyKey()).matches(TestDisputes.refundKeyPattern(opened.id(), 1));
        });
        assertThat(timeline.of(opened.id()).stream().map(Timeline.Entry::event)).containsExactly("OPENED",
                "MERCHANT_NOTIFIED", "MERCHANT_ACCEPT", "REFUND_APPROVED", "REFUND_STARTED", "REFUND_SUCCEEDED",
                "ARRIVAL_CONFIRMED", "RECEIVABLE_RECORDED", "CLOSED_REFUNDED"); // no deposit: the fund paid first
        assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(opened.id())
                .processDefinitionKey(cn.kameng.refunddesk.process.ProcessIds.PROCESS_REFUND_DISPUTE).count()).isZero();
        assertThat(jdbc.sql("select count(*) from dispute_deadline where dispute_id = ? and kind <> 'RECEIVABLE_RECOVERY'")
                .param(opened.id())
                .query(Integer.class).single()).isZero();
        // the order may be disputed again once the dispute is closed
        assertThat(jdbc.sql("select count(*) from dispute where id = ? and open_order_id is null").param(opened.id())
                .query(Integer.class).single()).isEqualTo(1);
    }

    private Set<String> tables() {
        return jdbc.sql("select table_name from information_schema.tables where table_schema = current_schema()")
                .query(String.class).list().stream().map(t -> t.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }
}
