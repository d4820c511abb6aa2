package cn.kameng.refunddesk.evidence;

import static cn.kameng.refunddesk.support.TestDisputes.BUYER1;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.LinkedMultiValueMap;

import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.dispute.Timeline;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.EvidenceFiles;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService;

/**
 * Evidence is kept at least 3 years (电子商务法 art. 31) although the process history goes after 180 days
 * (historyTimeToLive): Camunda's history cleanup removes only its own ACT_HI_* rows.
 */
@DisputeServiceTest
class EvidenceRetentionTest {

    @Autowired TestRestTemplate http;
    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired HistoryService history;
    @Autowired ManagementService management;
    @Autowired EvidenceRecords records;
    @Autowired Timeline timeline;

    @AfterEach
    void realTime() {
        ClockUtil.reset();
    }

    @Test
    void historyCleanupLeavesTheEvidenceRowsFilesAndTimeline() {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        byte[] photo = EvidenceFiles.jpeg();
        LinkedMultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("kind", "PROBLEM_SCREENSHOT");
        parts.add("file", new ByteArrayResource(photo) {
            @Override
            public String getFilename() {
                return "error.jpg";
            }
        });
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.MULTIPART_FORM_DATA);
        ResponseEntity<Map> added = http.withBasicAuth("buyer1", "demo").postForEntity(
                "/api/v1/disputes/" + d.id() + "/evidence", new HttpEntity<>(parts, headers), Map.class);
        assertThat(added.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        disputes.withdrawal(BUYER1, d.id(), "不需要了");
        assertThat(history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(d.id()).finished().count())
                .isEqualTo(1);

        // 181 days later the history cleanup removes the finished process instance
        given.moveClock(Duration.ofDays(181));
        Job cleanup = history.cleanUpHistoryAsync(true);
        management.executeJob(cleanup.getId());

        assertThat(history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(d.id()).count()).isZero();
        assertThat(records.of(d.id())).singleElement().satisfies(e -> assertThat(e.sha256())
                .isEqualTo(EvidenceStore.sha256(photo)));
        assertThat(timeline.of(d.id())).isNotEmpty();
        ResponseEntity<byte[]> file = http.withBasicAuth("arbiter1", "demo").getForEntity(
                added.getHeaders().getLocation(), byte[].class);
        assertThat(file.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(file.getBody()).isEqualTo(photo);
    }
}
