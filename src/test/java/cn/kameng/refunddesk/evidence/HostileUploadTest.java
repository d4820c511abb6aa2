package cn.kameng.refunddesk.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.util.LinkedMultiValueMap;

import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.EvidenceFiles;
import cn.kameng.refunddesk.support.TestDisputes;

/**
 * What an attacker (or a careless client) uploads as evidence: the type is decided by the bytes, the
 * name is only a label, and nothing refused leaves a trace in the store, the rows or the timeline.
 */
@DisputeServiceTest
@TestPropertySource(properties = {"dispute.evidence.max-file-size=64KB", "spring.servlet.multipart.max-file-size=192KB",
        "spring.servlet.multipart.max-request-size=256KB"})
class HostileUploadTest {

    @Autowired TestRestTemplate http;
    @Autowired TestDisputes given;
    @Autowired JdbcClient jdbc;
    @Autowired DiskEvidenceStore store;

    private ResponseEntity<Map> upload(String user, String disputeId, String kind, byte[] content, String fileName,
            String declaredType) {
        HttpHeaders partHeaders = new HttpHeaders();
        partHeaders.setContentType(MediaType.parseMediaType(declaredType));
        LinkedMultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("kind", kind);
        parts.add("file", new HttpEntity<>(new ByteArrayResource(content) {
            @Override
            public String getFilename() {
                return fileName;
            }
        }, partHeaders));
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.MULTIPART_FORM_DATA);
        return http.withBasicAuth(user, "demo").postForEntity("/api/v1/disputes/" + disputeId + "/evidence",
                new HttpEntity<>(parts, headers), Map.class);
    }

    private static HttpEntity<ByteArrayResource> filePart(byte[] content, String fileName, String declaredType) {
        HttpHeaders partHeaders = new HttpHeaders();
        partHeaders.setContentType(MediaType.parseMediaType(declaredType));
        return new HttpEntity<>(new ByteArrayResource(content) {
            @Override
            public String getFilename() {
                return fileName;
            }
        }, partHeaders);
    }

    private List<Path> storedFiles() throws Exception {
        Path storeRoot = store.root();
        if (!Files.exists(storeRoot)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(storeRoot)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private int rows(String disputeId) {
        return jdbc.sql("select count(*) from evidence where dispute_id = ?").param(disputeId).query(Integer.class)
                .single();
    }

    private void assertRefused(ResponseEntity<Map> answer, HttpStatus status, String disputeId, String detailPart)
            throws Exception {
        assertThat(answer.getStatusCode()).isEqualTo(status);
        assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat((String) answer.getBody().get("detail")).contains(detailPart);
        assertThat(jdbc.sql("select count(*) from evidence where dispute_id = ? and file_name <> 'evil__.png'")
                .param(disputeId).query(Integer.class).single()).isZero();
    }

    @Test
    void aPhotoIsKeptAsWhatItsBytesAreWithTheTimeItsCameraTookIt() {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        byte[] photo = EvidenceFiles.jpegTakenAt(LocalDateTime.of(2026, 11, 20, 21, 5, 33));

        ResponseEntity<Map> added = upload("buyer1", d.id(), "PROBLEM_SCREENSHOT", photo, "卡密报错.pdf",
                "application/pdf");

        assertThat(added.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        assertThat(added.getBody()).containsEntry("contentType", "image/jpeg")
                .containsEntry("capturedAt", "2026-11-20T21:05:33")
                .containsEntry("sha256", EvidenceStore.sha256(photo));

        ResponseEntity<Map> screenshot = upload("buyer1", d.id(), "ORDER_SCREENSHOT", EvidenceFiles.png(), "order.png",
                "image/png");
        assertThat(screenshot.getBody()).containsEntry("contentType", "image/png").containsEntry("capturedAt", null);
        ResponseEntity<Map> pdf = upload("merchant1", d.id(), "DELIVERY_RECORD", EvidenceFiles.pdf(), "发货记录",
                "application/octet-stream");
        assertThat(pdf.getBody()).containsEntry("contentType", "application/pdf");
    }

    @Test
    void anExecutableNamedPdfIsRefused() throws Exception {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        List<Path> before = storedFiles();

        ResponseEntity<Map> answer = upload("buyer1", d.id(), "PAYMENT_RECORD", EvidenceFiles.windowsExecutable(),
                "支付凭证.pdf", "application/pdf");

        assertRefused(answer, HttpStatus.UNSUPPORTED_MEDIA_TYPE, d.id(), "application/x-msdownload");
        assertThat(storedFiles()).isEqualTo(before);
    }

    @Test
    void aZipBombIsRefusedUnopened() throws Exception {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        List<Path> before = storedFiles();
        byte[] bomb = EvidenceFiles.zipBomb(50); // 50 MB of zeros inflated, about 50 KB as sent
        assertThat(bomb.length).isLessThan(64 * 1024);

        ResponseEntity<Map> answer = upload("buyer1", d.id(), "PROBLEM_SCREENSHOT", bomb, "screenshot.png", "image/png");

        assertRefused(answer, HttpStatus.UNSUPPORTED_MEDIA_TYPE, d.id(), "application/zip");
        assertThat(storedFiles()).isEqualTo(before);
    }

    @Test
    void aFileThatIsTwoThingsAtOnceIsRefused() throws Exception {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        List<Path> before = storedFiles();

        assertRefused(upload("buyer1", d.id(), "PROBLEM_SCREENSHOT", EvidenceFiles.pngWithArchiveAppended(), "a.png",
                "image/png"), HttpStatus.UNSUPPORTED_MEDIA_TYPE, d.id(), "a ZIP archive");
        assertRefused(upload("buyer1", d.id(), "PROBLEM_SCREENSHOT", EvidenceFiles.jpegWithScript(), "b.jpg",
                "image/jpeg"), HttpStatus.UNSUPPORTED_MEDIA_TYPE, d.id(), "<script");
        assertRefused(upload("merchant1", d.id(), "USAGE_LOG", EvidenceFiles.pdfWithJavaScript(), "log.pdf",
                "application/pdf"), HttpStatus.UNSUPPORTED_MEDIA_TYPE, d.id(), "/OpenAction with /JavaScript");
        assertThat(storedFiles()).isEqualTo(before);
    }

    @Test
    void aPathInTheNameIsDroppedAndTheFileLandsOnlyUnderItsFingerprint() throws Exception {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        List<Path> before = storedFiles();
        byte[] png = EvidenceFiles.png();

        ResponseEntity<Map> added = upload("buyer1", d.id(), "ORDER_SCREENSHOT", png,
                "../../../../../tmp/..\\..\\evil<>.png", "image/png");
        assertThat(added.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        assertThat((String) added.getBody().get("fileName")).isEqualTo("evil__.png");

        assertRefused(upload("buyer1", d.id(), "ORDER_SCREENSHOT", png, "evil\u0000.png.exe", "image/png"),
                HttpStatus.BAD_REQUEST, d.id(), "file name");
        String sha = EvidenceStore.sha256(png);
        assertThat(storedFiles()).containsExactlyInAnyOrderElementsOf(Stream.concat(before.stream(),
                Stream.of(store.root().resolve(sha.substring(0, 2)).resolve(sha))).distinct().toList());
    }

    @Test
    void aFileOverTheLimitIs413() throws Exception {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        List<Path> before = storedFiles();
        byte[] log = "2026-11-20 21:05 卡密兑换记录\n".repeat(4000).getBytes(StandardCharsets.UTF_8);
        assertThat(log.length).isGreaterThan(64 * 1024);

        assertRefused(upload("merchant1", d.id(), "USAGE_LOG", log, "usage.txt", "text/plain"),
                HttpStatus.PAYLOAD_TOO_LARGE, d.id(), "at most 65536");
        assertThat(storedFiles()).isEqualTo(before);
    }

    @Test
    void onlyThePartiesOfTheDisputeMayAddEvidence() throws Exception {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        List<Path> before = storedFiles();
        byte[] png = EvidenceFiles.png();

        assertRefused(upload("buyer2", d.id(), "ORDER_SCREENSHOT", png, "a.png", "image/png"), HttpStatus.NOT_FOUND,
                d.id(), "no dispute");
        assertRefused(upload("merchant2", d.id(), "USAGE_LOG", png, "a.png", "image/png"), HttpStatus.NOT_FOUND,
                d.id(), "no dispute");
        assertRefused(upload("arbiter1", d.id(), "OTHER", png, "a.png", "image/png"), HttpStatus.FORBIDDEN, d.id(),
                "only the customer or the merchant");
        assertThat(storedFiles()).isEqualTo(before);
    }

    @Test
    void aPdfWithAnActionIsRefusedNamingTheAction() throws Exception {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        List<Path> before = storedFiles();

        assertRefused(upload("merchant1", d.id(), "DELIVERY_RECORD",
                EvidenceFiles.pdfWith("/Annots [<< /A << /S /URI /URI (https://evil.example/) >> >>]"), "发货记录.pdf",
                "application/pdf"), HttpStatus.UNSUPPORTED_MEDIA_TYPE, d.id(), "the PDF carries /URI");
        assertRefused(upload("merchant1", d.id(), "DELIVERY_RECORD",
                EvidenceFiles.pdfWith("/AA << /WC << /S /SubmitForm /F (https://evil.example/) >> >>"), "a.pdf",
                "application/pdf"), HttpStatus.UNSUPPORTED_MEDIA_TYPE, d.id(), "the PDF carries /AA");
        assertThat(storedFiles()).isEqualTo(before);
    }

    @Test
    void aPixelBombIsRefusedUndecoded() throws Exception {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        List<Path> before = storedFiles();

        assertRefused(upload("buyer1", d.id(), "ORDER_SCREENSHOT", EvidenceFiles.pngDeclaring(100_000, 100_000),
                "order.png", "image/png"), HttpStatus.UNSUPPORTED_MEDIA_TYPE, d.id(),
                "declares 100000 × 100000 = 10000000000 pixels; an evidence image may have at most 100000000");
        assertThat(storedFiles()).isEqualTo(before);
    }

    @Test
    void aSecondFilePartIsRefusedNotIgnored() throws Exception {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        LinkedMultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("kind", "ORDER_SCREENSHOT");
        parts.add("file", filePart(EvidenceFiles.png(), "a.png", "image/png"));
        parts.add("file", filePart(EvidenceFiles.jpeg(), "b.jpg", "image/jpeg"));
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.MULTIPART_FORM_DATA);

        ResponseEntity<Map> answer = http.withBasicAuth("buyer1", "demo").postForEntity(
                "/api/v1/disputes/" + d.id() + "/evidence", new HttpEntity<>(parts, headers), Map.class);

        assertRefused(answer, HttpStatus.BAD_REQUEST, d.id(), "file: was sent 2 times");
        assertThat((Map<String, String>) answer.getBody().get("errors")).containsKey("file");
    }

    @Test
    void aFileNameOver255CharactersIs400OnFileWhateverItsLength() throws Exception {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        byte[] png = EvidenceFiles.png();
        assertThat(upload("buyer1", d.id(), "ORDER_SCREENSHOT", png, "截".repeat(251) + ".png", "image/png")
                .getStatusCode()).isEqualTo(HttpStatus.CREATED);
        int before = rows(d.id());

        for (String name : List.of("a".repeat(252) + ".png", "截".repeat(300) + ".png", "a".repeat(5000) + ".png")) {
            ResponseEntity<Map> answer = upload("buyer1", d.id(), "ORDER_SCREENSHOT", png, name, "image/png");
            assertThat(answer.getStatusCode()).as(name.length() + " characters").isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat((Map<String, String>) answer.getBody().get("errors")).containsKey("file");
            assertThat((String) answer.getBody().get("detail")).startsWith("file").doesNotContain("-1")
                    .contains(name.length() > 4096 ? "longer than the 4096 bytes" : "at most 255");
        }
        assertThat(rows(d.id())).isEqualTo(before);
    }

    @Test
    void a413OfTheMultipartParserSaysItsRealLimit() throws Exception {
        Dispute d = given.open(2500, Reason.INVALID_CARD_KEY);
        List<Path> before = storedFiles();

        ResponseEntity<Map> file = upload("merchant1", d.id(), "USAGE_LOG", new byte[220 * 1024], "usage.txt",
                "text/plain");
        assertRefused(file, HttpStatus.PAYLOAD_TOO_LARGE, d.id(), "larger than the 196608 bytes");
        assertThat(storedFiles()).isEqualTo(before);
    }
}
