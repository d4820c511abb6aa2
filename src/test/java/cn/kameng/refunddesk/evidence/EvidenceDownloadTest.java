package cn.kameng.refunddesk.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;

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
import cn.kameng.refunddesk.dispute.Journal;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.dispute.Timeline;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;

/** The evidence link the parties and staff open: the stored bytes, never a tampered file. */
@DisputeServiceTest
class EvidenceDownloadTest {

    @Autowired TestRestTemplate http;
    @Autowired TestDisputes given;
    @Autowired DiskEvidenceStore store;
    @Autowired EvidenceRecords records;
    @Autowired cn.kameng.refunddesk.dispute.Timeline timeline;
    @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc;

    private String upload(String disputeId, byte[] content) {
        LinkedMultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("kind", "PROBLEM_SCREENSHOT");
        parts.add("file", new ByteArrayResource(content) {
            @Override
            public String getFilename() {
                return "卡密 截图.png";
            }
        });
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.MULTIPART_FORM_DATA);
        ResponseEntity<Map> added = http.withBasicAuth("buyer1", "demo").postForEntity(
                "/api/v1/disputes/" + disputeId + "/evidence", new HttpEntity<>(parts, headers), Map.class);
        assertThat(added.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        return added.getHeaders().getLocation().toString();
    }

    @Test
    void aPhotoTheBytesProvedOpensInlineInASandbox() {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        byte[] png = cn.kameng.refunddesk.support.EvidenceFiles.png();
        String location = upload(d.id(), png);
        ResponseEntity<byte[]> file = http.withBasicAuth("arbiter1", "demo").getForEntity(location, byte[].class);
        assertThat(file.getBody()).isEqualTo(png);
        assertThat(file.getHeaders().getContentType()).isEqualTo(MediaType.IMAGE_PNG);
        assertThat(file.getHeaders().getFirst("Content-Disposition")).startsWith("inline");
        assertThat(file.getHeaders().getFirst("Content-Security-Policy")).startsWith("sandbox");
        assertThat(file.getHeaders().getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void thePartiesAndStaffOpenTheFileTheLocationPointsTo() {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        byte[] content = "PNG? no: 卡密已被使用的截图".getBytes(StandardCharsets.UTF_8);
        String location = upload(d.id(), content);

        for (String user : new String[] {"buyer1", "merchant1", "arbiter1"}) {
            ResponseEntity<byte[]> file = http.withBasicAuth(user, "demo").getForEntity(location, byte[].class);
            assertThat(file.getStatusCode()).as(user).isEqualTo(HttpStatus.OK);
            assertThat(file.getBody()).isEqualTo(content);
            assertThat(file.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_OCTET_STREAM);
            assertThat(file.getHeaders().getFirst("Content-Disposition")).startsWith("attachment");
            assertThat(file.getHeaders().getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(file.getHeaders().getFirst("Content-Security-Policy")).startsWith("sandbox");
        }
        assertThat(http.withBasicAuth("buyer2", "demo").getForEntity(location, String.class).getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(http.getForEntity(location, String.class).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(http.withBasicAuth("buyer1", "demo").getForEntity("/api/v1/disputes/" + d.id() + "/evidence/EVD-none",
                String.class).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void aFileChangedOnDiskIsReportedAndNotServed() throws Exception {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        byte[] content = ("原始证据 " + d.id()).getBytes(StandardCharsets.UTF_8);
        String location = upload(d.id(), content);
        String sha = EvidenceStore.sha256(content);

        Files.write(store.pathOf(sha), "tampered".getBytes(StandardCharsets.UTF_8));

        ResponseEntity<String> answer = http.withBasicAuth("buyer1", "demo").getForEntity(location, String.class);
        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(answer.getBody()).contains("no longer matches the fingerprint").doesNotContain("tampered");

        // reported: the row is marked, and the supervisors find it on the timeline and in their notifications
        assertThat(records.of(d.id())).singleElement().satisfies(e -> assertThat(e.tamperedAt()).isNotNull());
        assertThat(timeline.of(d.id())).filteredOn(e -> e.event().equals("EVIDENCE_TAMPERED")).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("卡密_截图.png"));
        assertThat(jdbc.sql("select count(*) from notification_outbox where dispute_id = ? and recipient = ?"
                + " and event = 'EVIDENCE_TAMPERED'").params(d.id(), cn.kameng.refunddesk.dispute.Journal.SUPERVISOR)
                .query(Integer.class).single()).isOne();
        // reading it again reports nothing new
        http.withBasicAuth("arbiter1", "demo").getForEntity(location, String.class);
        assertThat(timeline.of(d.id())).filteredOn(e -> e.event().equals("EVIDENCE_TAMPERED")).hasSize(1);
    }

    @Test
    void aFileGoneFromTheStoreIs410() throws Exception {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        byte[] content = ("会丢失的证据 " + d.id()).getBytes(StandardCharsets.UTF_8);
        String location = upload(d.id(), content);

        Files.delete(store.pathOf(EvidenceStore.sha256(content)));

        ResponseEntity<String> answer = http.withBasicAuth("merchant1", "demo").getForEntity(location, String.class);
        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.GONE);
        assertThat(answer.getBody()).contains("missing from the evidence store");
    }
}
