package cn.kameng.refunddesk.evidence;

import static cn.kameng.refunddesk.support.TestDisputes.BUYER1;
import static cn.kameng.refunddesk.support.TestDisputes.MERCHANT1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.LinkedMultiValueMap;

import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.Party;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.dispute.Timeline;
import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.EvidenceFiles;
import cn.kameng.refunddesk.support.TestDisputes;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantAnswer;
import cn.kameng.refunddesk.workflow.DisputeService.MerchantDecision;
import cn.kameng.refunddesk.workflow.DisputeService;

/**
 * The evidence chain from the customer's screenshot to the dossier: what each side must bring, the
 * checks against the platform's records, and the ZIP handed to the authorities.
 */
@DisputeServiceTest
class EvidenceChainTest {

    @Autowired TestRestTemplate http;
    @Autowired TestDisputes given;
    @Autowired DisputeService disputes;
    @Autowired RequiredEvidence required;
    @Autowired Timeline timeline;
    @Autowired JdbcClient jdbc;
    @Autowired DiskEvidenceStore store;
    @Autowired ObjectMapper json;
    @Autowired org.camunda.bpm.engine.TaskService tasks;

    private String upload(String user, String disputeId, String kind, byte[] content, String fileName) {
        LinkedMultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("kind", kind);
        parts.add("file", new ByteArrayResource(content) {
            @Override
            public String getFilename() {
                return fileName;
            }
        });
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.MULTIPART_FORM_DATA);
        ResponseEntity<Map> added = http.withBasicAuth(user, "demo").postForEntity(
                "/api/v1/disputes/" + disputeId + "/evidence", new HttpEntity<>(parts, headers), Map.class);
        assertThat(added.getStatusCode()).as("%s", added.getBody()).isEqualTo(HttpStatus.CREATED);
        return (String) added.getBody().get("sha256");
    }

    private ResponseEntity<String> formalRequest(String disputeId, Map<String, Object> body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return http.withBasicAuth("buyer1", "demo").postForEntity("/api/v1/disputes/" + disputeId + "/formal-request",
                new HttpEntity<>(body, headers), String.class);
    }

    private Map<String, JsonNode> checks(String disputeId) throws Exception {
        JsonNode view = json.readTree(http.withBasicAuth("arbiter1", "demo")
                .getForEntity("/api/v1/disputes/" + disputeId + "/evidence-checks", String.class).getBody());
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        view.get("checks").forEach(c -> byName.put(c.get("name").asText(), c));
        return byName;
    }

    private ResponseEntity<String> sandbox(String path, HttpMethod method, Map<String, Object> body) {
        return sandbox("ops1", path, method, body);
    }

    private ResponseEntity<String> sandbox(String user, String path, HttpMethod method, Map<String, Object> body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return http.withBasicAuth(user, "demo").exchange("/api/v1/sandbox" + path, method,
                new HttpEntity<>(body, headers), String.class);
    }

    private void chat(String orderId, String sender, String text) {
        jdbc.sql("insert into sandbox_chat_message (order_id, sent_at, sender, text) values (?, ?, ?, ?)")
                .params(orderId, Timestamp.from(Instant.now().minus(20, ChronoUnit.HOURS)), sender, text).update();
    }

    private Dispute refusedDispute(String orderId, Reason reason) {
        Dispute d = given.open(orderId, reason);
        disputes.merchantResponse(MERCHANT1, d.id(), new MerchantAnswer(MerchantDecision.REFUSE, null, "卡密已被使用", null));
        return d;
    }

    @Test
    void eachSideMustBringWhatTheTableAsksForItsReason() {
        assertThat(required.of(Reason.INVALID_CARD_KEY, Party.CUSTOMER))
                .extracting(RequiredEvidence.Requirement::kind).containsExactly(EvidenceKind.PROBLEM_SCREENSHOT);
        assertThat(required.of(Reason.INVALID_CARD_KEY, Party.MERCHANT))
                .extracting(RequiredEvidence.Requirement::kind).containsExactly(EvidenceKind.USAGE_LOG);
        assertThat(required.of(Reason.NOT_DELIVERED, Party.MERCHANT))
                .extracting(RequiredEvidence.Requirement::kind).containsExactly(EvidenceKind.DELIVERY_RECORD);
        assertThat(required.of(Reason.NOT_AS_DESCRIBED, Party.CUSTOMER))
                .extracting(RequiredEvidence.Requirement::kind)
                .containsExactlyInAnyOrder(EvidenceKind.ORDER_SCREENSHOT, EvidenceKind.PROBLEM_SCREENSHOT);
        assertThat(required.of(Reason.OTHER, Party.CUSTOMER)).isEmpty();
    }

    @Test
    void theFormalRequestWaitsForTheScreenshotOfTheError() {
        Dispute d = refusedDispute(given.order(2500), Reason.INVALID_CARD_KEY);
        upload("buyer1", d.id(), "ORDER_SCREENSHOT", EvidenceFiles.png(), "order.png");

        ResponseEntity<String> early = formalRequest(d.id(), Map.of("statement", "卡密无效"));
        assertThat(early.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(early.getBody()).contains("PROBLEM_SCREENSHOT").contains("报错截图");
        assertThat(given.get(d.id()).status().name()).isEqualTo("MERCHANT_REFUSED");

        upload("buyer1", d.id(), "PROBLEM_SCREENSHOT", EvidenceFiles.jpeg(), "error.jpg");
        assertThat(formalRequest(d.id(), Map.of("statement", "卡密无效")).getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(given.get(d.id()).status().name()).isEqualTo("UNDER_REVIEW");
    }

    @Test
    void aMerchantWithoutTheProofTheTableAsksForLosesTheBurdenOfProof() {
        Dispute wrongProof = refusedDispute(given.order(2500), Reason.NOT_DELIVERED);
        disputes.intervention(BUYER1, wrongProof.id(), "未发货");
        given.addEvidence(wrongProof.id(), "merchant1", "MERCHANT", "USAGE_LOG");
        disputes.merchantProof(MERCHANT1, wrongProof.id(), "已上传");
        assertThat(given.get(wrongProof.id()).merchantProofMissing()).isTrue();
        assertThat(timeline.of(wrongProof.id())).anySatisfy(e -> assertThat(e.message())
                .contains("商家举证不能").contains("DELIVERY_RECORD"));
        // the arbiter's task shows what is missing and how the checks against the platform's records came out
        var task = tasks.createTaskQuery().processInstanceBusinessKey(wrongProof.id())
                .taskDefinitionKey(cn.kameng.refunddesk.process.ProcessIds.Task.ARBITRATE_DISPUTE).singleResult();
        Map<String, Object> facts = given.formFacts("arbiter1", task.getId());
        assertThat((String) facts.get("missingEvidence")).contains("商家缺少").contains("发货记录");
        assertThat((String) facts.get("evidenceChecks")).contains("订单归属：相符");
        assertThat((String) facts.get("evidenceLinks")).as("a Markdown link the form renders")
                .containsPattern("- \\[[^]]+\\]\\(/api/v1/disputes/" + wrongProof.id() + "/evidence/EVD-[^)]+\\) · 商家 merchant1 · 使用记录");

        Dispute delivered = refusedDispute(given.order(2500), Reason.NOT_DELIVERED);
        disputes.intervention(BUYER1, delivered.id(), "未发货");
        given.addEvidence(delivered.id(), "merchant1", "MERCHANT", "DELIVERY_RECORD");
        disputes.merchantProof(MERCHANT1, delivered.id(), "发货记录已上传");
        assertThat(given.get(delivered.id()).merchantProofMissing()).isFalse();
    }

    @Test
    void theFormalRequestIsCheckedAgainstThePlatformsRecordsAndTheChatLogIsAttached() throws Exception {
        String orderId = given.order(2500);
        String key = "KEY-" + orderId;
        // through the sandbox API: two chat messages, and the supplier's record that the key was redeemed
        // two days ago, a day before the order delivered it
        assertThat(sandbox("buyer1", "/orders/" + orderId + "/chat", HttpMethod.POST,
                Map.of("text", "卡密提示已被使用")).getStatusCode()).isEqualTo(HttpStatus.CREATED);
        sandbox("merchant1", "/orders/" + orderId + "/chat", HttpMethod.POST, Map.of("text", "发货时是好的"));
        assertThat(sandbox("buyer1", "/orders/ORD-NONE/chat", HttpMethod.POST, Map.of("text", "y"))
                .getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(sandbox("/card-keys/" + key, HttpMethod.PUT, Map.of("status", "REDEEMED", "redeemedAt",
                Instant.now().minus(2, ChronoUnit.DAYS).toString(), "redeemedBy", "someone-else")).getStatusCode())
                .isEqualTo(HttpStatus.OK);
        assertThat(sandbox("/card-keys/" + key, HttpMethod.PUT, Map.of("status", "STOLEN")).getStatusCode())
                .isEqualTo(HttpStatus.BAD_REQUEST);
        Dispute d = refusedDispute(orderId, Reason.INVALID_CARD_KEY);
        upload("buyer1", d.id(), "PROBLEM_SCREENSHOT", EvidenceFiles.png(), "error.png");

        assertThat(formalRequest(d.id(), Map.of("statement", "卡密无效", "reportedCardKey", key)).getStatusCode())
                .isEqualTo(HttpStatus.OK);

        Map<String, JsonNode> checks = checks(d.id());
        assertThat(checks.get("ORDER_OF_CUSTOMER").get("result").asText()).isEqualTo("PASSED");
        assertThat(checks.get("PAYMENT_MATCHES").get("result").asText()).isEqualTo("PASSED");
        assertThat(checks.get("CARD_KEY_MATCHES").get("result").asText()).isEqualTo("PASSED");
        assertThat(checks.get("CARD_KEY_REDEMPTION").get("result").asText()).isEqualTo("FAILED");
        assertThat(checks.get("CARD_KEY_REDEMPTION").get("detail").asText()).contains("早于发货").contains("someone-else")
                .doesNotContain(key);
        assertThat(checks.get("CHAT_LOG_ATTACHED").get("result").asText()).isEqualTo("PASSED");
        assertThat(checks.get("CUSTOMER_REQUIRED_EVIDENCE").get("result").asText()).isEqualTo("PASSED");

        JsonNode view = json.readTree(http.withBasicAuth("buyer1", "demo")
                .getForEntity("/api/v1/disputes/" + d.id(), String.class).getBody());
        JsonNode chatLog = null;
        for (JsonNode e : view.get("evidence")) {
            if (e.get("party").asText().equals("PLATFORM")) {
                chatLog = e;
            }
        }
        assertThat(chatLog).isNotNull();
        assertThat(chatLog.get("kind").asText()).isEqualTo("CHAT_RECORD");
        String file = http.withBasicAuth("arbiter1", "demo").getForEntity("/api/v1/disputes/" + d.id() + "/evidence/"
                + chatLog.get("id").asText(), String.class).getBody();
        assertThat(file).contains("buyer1：卡密提示已被使用").contains("merchant1：发货时是好的");
    }

    @Test
    void aCheckThatCannotRunSaysSoInsteadOfPassing() throws Exception {
        Dispute d = refusedDispute(given.order(2500), Reason.INVALID_CARD_KEY);
        upload("buyer1", d.id(), "PROBLEM_SCREENSHOT", EvidenceFiles.png(), "error.png");
        assertThat(formalRequest(d.id(), Map.of("statement", "卡密无效")).getStatusCode()).isEqualTo(HttpStatus.OK);

        Map<String, JsonNode> checks = checks(d.id());
        assertThat(checks.get("CARD_KEY_MATCHES").get("result").asText()).isEqualTo("CANNOT_RUN");
        assertThat(checks.get("CARD_KEY_MATCHES").get("detail").asText()).contains("未报告");
        assertThat(checks.get("CHAT_LOG_ATTACHED").get("result").asText()).isEqualTo("NOT_APPLICABLE");
        assertThat(checks.get("CARD_KEY_REDEMPTION").get("result").asText()).isEqualTo("PASSED");

        Dispute wrongKey = refusedDispute(given.order(2500), Reason.INVALID_CARD_KEY);
        upload("buyer1", wrongKey.id(), "PROBLEM_SCREENSHOT", EvidenceFiles.png(), "error.png");
        formalRequest(wrongKey.id(), Map.of("statement", "卡密无效", "reportedCardKey", "SOME-OTHER-KEY"));
        assertThat(checks(wrongKey.id()).get("CARD_KEY_MATCHES").get("result").asText()).isEqualTo("FAILED");
    }

    @Test
    void theDossierHoldsTheSummaryEveryFileAndAManifestOfTheirHashes() throws Exception {
        String orderId = given.order(2500);
        chat(orderId, "buyer1", "请退款");
        Dispute d = refusedDispute(orderId, Reason.INVALID_CARD_KEY);
        byte[] photo = EvidenceFiles.jpegTakenAt(java.time.LocalDateTime.of(2026, 11, 20, 21, 5, 33));
        String photoSha = upload("buyer1", d.id(), "PROBLEM_SCREENSHOT", photo, "error.jpg");
        byte[] log = "2026-11-20 21:00 发货 KEY".getBytes(StandardCharsets.UTF_8);
        String logSha = upload("merchant1", d.id(), "USAGE_LOG", log, "usage.txt");
        formalRequest(d.id(), Map.of("statement", "卡密无效，附截图"));

        ResponseEntity<byte[]> answer = http.withBasicAuth("arbiter1", "demo")
                .getForEntity("/api/v1/disputes/" + d.id() + "/dossier", byte[].class);

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.parseMediaType("application/zip"));
        Map<String, byte[]> entries = unzip(answer.getBody());
        String summary = new String(entries.get("summary.txt"), StandardCharsets.UTF_8);
        assertThat(summary).contains(d.id()).contains("buyer1").contains("merchant1").contains("25.00")
                .contains("REFUSE · 卡密已被使用").contains("UNDER_REVIEW").contains("FORMAL_REQUEST").contains("CHAT_LOG_ATTACHED")
                .contains("EXIF 拍摄时间 2026-11-20T21:05:33").contains(photoSha).contains(logSha);
        assertThat(summary).as("who pays: the claim held on merchant1's deposit, as far as it goes (it has none)")
                .contains("== 保证金与先行赔付 Who pays")
                .contains("主张 Claimed ¥25.00 · 冻结 Held ¥0.00 · 保证金不足 Shortfall ¥25.00 · HELD")
                .contains("（无分录 no ledger entries yet）");

        List<String> manifest = new String(entries.get("manifest-sha256.txt"), StandardCharsets.UTF_8).lines().toList();
        assertThat(manifest).hasSize(entries.size() - 1); // every entry but the manifest itself
        for (String line : manifest) {
            String sha = line.substring(0, 64);
            String path = line.substring(66);
            assertThat(entries).containsKey(path);
            assertThat(EvidenceStore.sha256(entries.get(path))).as(path).isEqualTo(sha);
        }
        assertThat(manifest).anyMatch(l -> l.startsWith(photoSha + "  evidence/"))
                .anyMatch(l -> l.startsWith(logSha + "  evidence/"));
        assertThat(entries.keySet()).anyMatch(p -> p.startsWith("evidence/") && p.endsWith("platform-chat-" + orderId
                + ".txt"));

        // a file changed on disk is left out, and the summary says so
        Files.write(store.pathOf(logSha), "forged".getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> again = unzip(http.withBasicAuth("complaints1", "demo")
                .getForEntity("/api/v1/disputes/" + d.id() + "/dossier", byte[].class).getBody());
        assertThat(new String(again.get("manifest-sha256.txt"), StandardCharsets.UTF_8)).doesNotContain(logSha);
        assertThat(new String(again.get("summary.txt"), StandardCharsets.UTF_8)).contains("NOT INCLUDED");
        assertThat(again.values()).noneMatch(b -> new String(b, StandardCharsets.UTF_8).equals("forged"));

        assertThat(http.withBasicAuth("buyer2", "demo").getForEntity("/api/v1/disputes/" + d.id() + "/dossier",
                String.class).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        return entries;
    }
}
