package cn.kameng.refunddesk.workflow;

import static cn.kameng.refunddesk.support.TestDisputes.BUYER1;
import static cn.kameng.refunddesk.support.TestDisputes.MERCHANT1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Date;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.AbstractAssertions;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import cn.kameng.refunddesk.calendar.CalendarProperties;
import cn.kameng.refunddesk.calendar.Deadlines;
import cn.kameng.refunddesk.calendar.WorkingDays;
import cn.kameng.refunddesk.complaint.Complaint;
import cn.kameng.refunddesk.complaint.ComplaintRecords;
import cn.kameng.refunddesk.complaint.ComplaintService;
import cn.kameng.refunddesk.dispute.ComplaintChannel;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.process.ProcessIds.Element;
import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;

/** Working-day deadlines of the dispute process on the official calendar: golden week, a year not yet published. */
@DisputeServiceTest
class WorkingDayDeadlinesTest {

    @Autowired ProcessEngine engine;
    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired TaskService tasks;
    @Autowired ManagementService management;
    @Autowired RuntimeService runtime;
    @Autowired RepositoryService repository;
    @Autowired WorkingDays workingDays;
    @Autowired CalendarProperties calendar;
    @Autowired Deadlines deadlines;
    @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc;
    @Autowired ComplaintService complaints;
    @Autowired ComplaintRecords complaintRecords;

    @BeforeEach
    void setUp() {
        AbstractAssertions.init(engine);
    }

    @AfterEach
    void tearDown() throws IOException {
        ClockUtil.reset();
        Files.deleteIfExists(calendar.directory().resolve("cn-official-calendar-2027.csv"));
        workingDays.reload();
    }

    private static Instant beijing(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(WorkingDays.BEIJING).toInstant();
    }

    private Dispute formalRequestAt(String localDateTime) {
        ClockUtil.setCurrentTime(Date.from(beijing(localDateTime)));
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        disputes.merchantResponse(MERCHANT1, d.id(), new MerchantAnswer(MerchantDecision.REFUSE, null, "卡密已被使用", null));
        given.bringRequiredEvidence(d.id());
        disputes.formalRequest(BUYER1, d.id(), "卡密无效");
        return d;
    }

    private ProcessInstance process(Dispute d) {
        return given.instance(d.id());
    }

    @Test
    void aReviewFiledBeforeTheGoldenWeekEscalatesOnTheMakeUpSaturdayAfterIt() {
        Dispute d = formalRequestAt("2026-09-30T10:00"); // Wednesday; 1 to 7 October are off, Saturday 10 October worked

        // Tasklist's due date and the API's deadline: 1 working day = Thursday 8 October, 3 = Saturday 10 October
        assertThat(given.task(d.id(), ProcessIds.Task.REVIEW_REFUND_REQUEST).getDueDate().toInstant())
                .isEqualTo(beijing("2026-10-08T10:00"));
        assertThat(given.deadlines(d.id())).containsEntry("REVIEW", beijing("2026-10-08T10:00"))
                .containsEntry("REVIEW_ESCALATION", beijing("2026-10-10T10:00"));
        assertThat(deadlines.detailsOf(d.id()).get("REVIEW_ESCALATION"))
                .isEqualTo(new Deadlines.Detail(beijing("2026-10-10T10:00"), "3WD", Deadlines.CountedOn.OFFICIAL_CALENDAR, null));
        assertThat(deadlines.detailsOf(d.id()).get("MERCHANT_REPLY")).as("answered, so over").isNull();

        // Monday 5 October (Monday-to-Friday counting would escalate here) and Friday 9 October: nothing moves
        ClockUtil.setCurrentTime(Date.from(beijing("2026-10-05T10:01")));
        given.runDueJobs(d.id());
        ClockUtil.setCurrentTime(Date.from(beijing("2026-10-10T09:59")));
        given.runDueJobs(d.id());
        assertThat(process(d)).hasNotPassed(Element.TIMER_REVIEW_ESCALATION);
        assertThat(given.get(d.id()).escalationAllowed()).isFalse();

        ClockUtil.setCurrentTime(Date.from(beijing("2026-10-10T10:01")));
        given.runDueJobs(d.id());
        assertThat(process(d)).hasPassed(Element.TIMER_REVIEW_ESCALATION, Element.SERVICE_TASK_ESCALATE_REVIEW);
        assertThat(given.get(d.id()).escalationAllowed()).isTrue();
    }

    @Test
    void aDeadlineInAYearNotYetPublishedIsMarkedAndRecountedWhenTheCalendarArrives() throws IOException {
        Dispute d = formalRequestAt("2026-12-29T10:00"); // Tuesday; no 2027 calendar yet

        // 30 and 31 December, then Friday 1 January 2027 counted as a working day for want of the calendar
        Deadlines.Detail escalation = deadlines.detailsOf(d.id()).get("REVIEW_ESCALATION");
        assertThat(escalation.dueAt()).isEqualTo(beijing("2027-01-01T10:00"));
        assertThat(escalation.countedOn()).isEqualTo(Deadlines.CountedOn.MONDAY_TO_FRIDAY);
        assertThat(escalation.note()).contains("2027").contains("Monday to Friday");
        assertThat(deadlines.detailsOf(d.id()).get("REVIEW").countedOn()).isEqualTo(Deadlines.CountedOn.OFFICIAL_CALENDAR);

        // Operations drop the State Council's 2027 calendar in: 1 to 3 January are off
        Files.createDirectories(calendar.directory());
        Files.writeString(calendar.directory().resolve("cn-official-calendar-2027.csv"), """
                date,kind,festival_zh,festival_en
                2027-01-01,HOLIDAY,元旦,New Year's Day
                2027-01-02,HOLIDAY,元旦,New Year's Day
                2027-01-03,HOLIDAY,元旦,New Year's Day
                """);
        workingDays.rescan();

        Deadlines.Detail recounted = deadlines.detailsOf(d.id()).get("REVIEW_ESCALATION");
        assertThat(recounted).isEqualTo(new Deadlines.Detail(beijing("2027-01-04T10:00"), "3WD",
                Deadlines.CountedOn.OFFICIAL_CALENDAR, null));
        assertThat(escalationTimer(d).getDuedate().toInstant()).as("the timer moved with the deadline").isEqualTo(beijing("2027-01-04T10:00"));

        ClockUtil.setCurrentTime(Date.from(beijing("2027-01-01T10:01")));
        given.runDueJobs(d.id());
        assertThat(process(d)).hasNotPassed(Element.TIMER_REVIEW_ESCALATION);
        ClockUtil.setCurrentTime(Date.from(beijing("2027-01-04T10:01")));
        given.runDueJobs(d.id());
        assertThat(process(d)).hasPassed(Element.TIMER_REVIEW_ESCALATION);
    }

    @Test
    void a12315ComplaintAnsweredInANewYearIsRecountedWhenTheCalendarArrives() throws IOException {
        ClockUtil.setCurrentTime(Date.from(beijing("2026-12-24T15:00"))); // Thursday; 12315 allows 7 working days
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        Complaint received = complaints.receive(ComplaintChannel.CONSUMER_12315, "12315-" + d.id(), d.orderId(),
                "卡密无效，商家不退款").complaint();

        // 25, 28, 29, 30, 31 December, then Friday 1 and Monday 4 January 2027 for want of the 2027 calendar
        assertThat(received.dueAt()).isEqualTo(beijing("2027-01-04T15:00"));
        assertThat(received.countedOn()).isEqualTo(Deadlines.CountedOn.MONDAY_TO_FRIDAY);
        ProcessInstance complaintProcess = runtime.createProcessInstanceQuery()
                .processDefinitionKey(ProcessIds.PROCESS_EXTERNAL_COMPLAINT).processInstanceBusinessKey(d.id())
                .singleResult();
        Job overdue = management.createJobQuery().processInstanceId(complaintProcess.getId())
                .activityId(Element.TIMER_COMPLAINT_OVERDUE).singleResult();
        assertThat(overdue.getDuedate().toInstant()).isEqualTo(beijing("2027-01-04T15:00"));

        Files.createDirectories(calendar.directory());
        Files.writeString(calendar.directory().resolve("cn-official-calendar-2027.csv"), """
                date,kind,festival_zh,festival_en
                2027-01-01,HOLIDAY,元旦,New Year's Day
                """);
        workingDays.rescan();

        // 1 January is off: the seventh working day is Tuesday 5 January, and everything waiting on it moves
        Complaint recounted = complaintRecords.find(received.id()).orElseThrow();
        assertThat(recounted.dueAt()).isEqualTo(beijing("2027-01-05T15:00"));
        assertThat(recounted.countedOn()).isEqualTo(Deadlines.CountedOn.OFFICIAL_CALENDAR);
        assertThat(management.createJobQuery().jobId(overdue.getId()).singleResult().getDuedate().toInstant())
                .isEqualTo(beijing("2027-01-05T15:00"));
        assertThat(tasks.createTaskQuery().processInstanceId(complaintProcess.getId()).singleResult().getDueDate()
                .toInstant()).as("the complaint handler's Tasklist due date").isEqualTo(beijing("2027-01-05T15:00"));
        assertThat(((Date) runtime.getVariable(complaintProcess.getId(), ProcessIds.Var.COMPLAINT_DUE_AT)).toInstant())
                .isEqualTo(beijing("2027-01-05T15:00"));

        ClockUtil.setCurrentTime(Date.from(beijing("2027-01-04T15:01")));
        given.runDueJobs(d.id());
        assertThat(complaintProcess).hasNotPassed(Element.TIMER_COMPLAINT_OVERDUE);
    }

    @Test
    void openComplaintsFromBeforeTheUpgradeAreRecountedAtStart() {
        ClockUtil.setCurrentTime(Date.from(beijing("2026-09-30T10:00")));
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        Complaint consumer = complaints.receive(ComplaintChannel.CONSUMER_12315, "12315-" + d.id(), d.orderId(), "投诉")
                .complaint();
        Complaint wechat = complaints.receive(ComplaintChannel.WECHAT_PAY, "WX-" + d.id(), d.orderId(), "投诉").complaint();
        // What V3_1 finds: open complaints counted Monday to Friday (12315: Wednesday + 7 weekdays = Monday 12 October)
        jdbc.sql("update external_complaint set counted_on = 'MONDAY_TO_FRIDAY', due_at = ? where id = ?")
                .params(java.sql.Timestamp.from(beijing("2026-10-09T10:00")), consumer.id()).update();
        jdbc.sql("update external_complaint set counted_on = 'MONDAY_TO_FRIDAY' where id = ?").param(wechat.id()).update();

        workingDays.reload(); // what the start does, too

        // 8, 9, 10 (make-up Saturday), 12, 13, 14, 15 October
        assertThat(complaintRecords.find(consumer.id()).orElseThrow())
                .returns(beijing("2026-10-15T10:00"), Complaint::dueAt)
                .returns(Deadlines.CountedOn.OFFICIAL_CALENDAR, Complaint::countedOn);
        assertThat(complaintRecords.find(wechat.id()).orElseThrow()).as("24 hours stay 24 hours")
                .returns(beijing("2026-10-01T10:00"), Complaint::dueAt)
                .returns(Deadlines.CountedOn.CALENDAR_TIME, Complaint::countedOn);
    }

    @Test
    void aDeadlineCountedMondayToFridayBeforeTheUpgradeIsRecountedAtStart() {
        Dispute d = formalRequestAt("2026-09-30T10:00");
        // What V3 finds on a database of the previous version: Wednesday + 3 weekdays = Monday 5 October (a holiday),
        // the timer set to it, no start recorded
        Instant mondayToFriday = beijing("2026-10-05T10:00");
        jdbc.sql("update dispute_deadline set due_at = ?, started_at = null, counted_on = 'MONDAY_TO_FRIDAY'"
                + " where dispute_id = ? and kind = 'REVIEW_ESCALATION'")
                .params(java.sql.Timestamp.from(mondayToFriday), d.id()).update();
        Job timer = escalationTimer(d);
        management.setJobDuedate(timer.getId(), Date.from(mondayToFriday));

        workingDays.reload(); // what the start does, too

        assertThat(deadlines.detailsOf(d.id()).get("REVIEW_ESCALATION")).isEqualTo(new Deadlines.Detail(
                beijing("2026-10-10T10:00"), "3WD", Deadlines.CountedOn.OFFICIAL_CALENDAR, null));
        assertThat(escalationTimer(d).getDuedate().toInstant()).isEqualTo(beijing("2026-10-10T10:00"));
    }

    private Job escalationTimer(Dispute d) {
        return management.createJobQuery().processInstanceId(process(d).getId())
                .activityId(Element.TIMER_REVIEW_ESCALATION).singleResult();
    }

    @Test
    void healthShowsTheCalendarDegradedThirtyDaysBeforeItsLastYearEnds(
            @org.springframework.beans.factory.annotation.Value("${local.server.port}") int port) {
        var http = org.springframework.web.client.RestClient.create("http://localhost:" + port);

        ClockUtil.setCurrentTime(Date.from(beijing("2026-11-25T10:00")));
        var up = http.get().uri("/actuator/health").retrieve().toEntity(com.fasterxml.jackson.databind.JsonNode.class);
        assertThat(up.getBody().at("/components/officialCalendar/status").asText()).isEqualTo("UP");

        ClockUtil.setCurrentTime(Date.from(beijing("2026-12-02T10:00")));
        var degraded = http.get().uri("/actuator/health").retrieve().toEntity(com.fasterxml.jackson.databind.JsonNode.class);
        assertThat(degraded.getStatusCode().value()).as("the service still serves").isEqualTo(200);
        assertThat(degraded.getBody().at("/components/officialCalendar/status").asText()).isEqualTo("DEGRADED");
        assertThat(degraded.getBody().at("/status").asText()).isEqualTo("DEGRADED");
    }

    @Test
    void theModelerCanWriteWorkingDaysInAnyTimerOrDueDate() {
        // What a process owner types into the Modeler: a due date of 2WD and a boundary timer of 3WD
        Deployment deployment = repository.createDeployment().name("working-day-timer")
                .addModelInstance("working-day-timer.bpmn", Bpmn.createExecutableProcess("workingDayTimer")
                        .startEvent()
                        .userTask("userTask_check").camundaDueDate("2WD").camundaFollowUpDate("1WD")
                        .boundaryEvent("timer_checkDue").timerWithDuration("3WD")
                        .endEvent()
                        .moveToActivity("userTask_check").endEvent()
                        .done())
                .deploy();
        try {
            ClockUtil.setCurrentTime(Date.from(beijing("2026-09-30T10:00")));
            ProcessInstance pi = runtime.startProcessInstanceByKey("workingDayTimer");

            var task = tasks.createTaskQuery().processInstanceId(pi.getId()).singleResult();
            assertThat(task.getDueDate().toInstant()).isEqualTo(beijing("2026-10-09T10:00"));
            assertThat(task.getFollowUpDate().toInstant()).isEqualTo(beijing("2026-10-08T10:00"));
            assertThat(management.createJobQuery().processInstanceId(pi.getId()).timers().singleResult().getDuedate()
                    .toInstant()).isEqualTo(beijing("2026-10-10T10:00"));
        } finally {
            repository.deleteDeployment(deployment.getId(), true);
        }
    }
}
