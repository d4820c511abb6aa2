package cn.kameng.refunddesk.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FileNameTest {

    @Test
    void uploadedFileNamesLoseTheirPathsAndUnsafeCharacters() {
        assertThat(EvidenceService.sanitise("../../etc/passwd")).isEqualTo("passwd");
        assertThat(EvidenceService.sanitise("C:\\Users\\me\\截图 1.png")).isEqualTo("截图_1.png");
        assertThat(EvidenceService.sanitise("..hidden")).isEqualTo("hidden");
        assertThat(EvidenceService.sanitise("a<b>|c.pdf")).isEqualTo("a_b__c.pdf");
        assertThat(EvidenceService.sanitise(null)).isEqualTo("evidence");
        assertThat(EvidenceService.sanitise("/")).isEqualTo("evidence");
        assertThat(EvidenceService.sanitise("x".repeat(300) + ".png")).hasSize(120).endsWith(".png");
    }
}
