package cn.kameng.refunddesk.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import cn.kameng.refunddesk.dispute.DomainException.UnacceptedType;
import cn.kameng.refunddesk.support.EvidenceFiles;

/** PDF actions (also in compressed object streams) and pixel bombs, judged without rendering or decoding (issue 13, finding 9). */
class FileInspectorTest {

    private final FileInspector inspector = new FileInspector(new EvidenceProperties(DataSize.ofMegabytes(10),
            Set.of("image/jpeg", "image/png", "image/gif", "application/pdf"), 100_000_000L));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/AA << /O << /S /GoTo /D [0] >> >>                         | /AA",
        "/OpenAction << /S /JavaScript /JS (app.alert(1)) >>         | /OpenAction with /JavaScript",
        "/Names << /JavaScript 3 0 R >>                              | /JavaScript",
        "/Annots [<< /A << /S /JS /JS<61> >> >>]                     | /JS",
        "/Annots [<< /A << /S /URI /URI (https://evil.example/) >> >>] | /URI",
        "/Annots [<< /A << /S /Launch /F (calc.exe) >> >>]           | /Launch",
        "/AcroForm << /Fields [<< /A << /S /SubmitForm /F (https://x/) >> >>] >> | /SubmitForm",
        "/Annots [<< /A << /S /GoToR /F (other.pdf) >> >>]           | /GoToR",
        "/Annots [<< /A << /S /ImportData /F (data.fdf) >> >>]       | /ImportData",
        "/Annots [<< /A << /S /J#61vaScript >> >>]                   | /JavaScript",
        "/Annots [<< /A << /S /U#52I >> >>]                          | /URI",
    })
    void aPdfWithAnActionIsRefusedNamingIt(String action, String named) {
        assertThatThrownBy(() -> inspector.inspect(EvidenceFiles.pdfWith(action)))
                .isInstanceOf(UnacceptedType.class)
                .hasMessageContaining("the PDF carries " + named);
    }

    @Test
    void namesThatOnlyBeginLikeAnActionAndABenignOpenActionPass() {
        byte[] pdf = EvidenceFiles.pdfWith("/OpenAction [3 0 R /Fit] /Font << /AAAAAA+SimSun 4 0 R /URIs 5 0 R >>");
        assertThat(inspector.inspect(pdf).mediaType()).isEqualTo("application/pdf");
        assertThat(FileInspector.pdfAction(EvidenceFiles.pdf())).isNull();
    }

    @Test
    void anActionHiddenInACompressedObjectStreamIsFoundAndABenignOneKeptOut() {
        assertThatThrownBy(() -> inspector.inspect(EvidenceFiles.pdfWithObjectStream("/FlateDecode",
                "/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")))
                .isInstanceOf(UnacceptedType.class)
                .hasMessageContaining("the PDF carries /OpenAction with /JavaScript");
        assertThatThrownBy(() -> inspector.inspect(EvidenceFiles.pdfWithObjectStream("[/FlateDecode]",
                "/Annots [<< /A << /S /U#52I /URI (https://evil.example/) >> >>]")))
                .isInstanceOf(UnacceptedType.class).hasMessageContaining("/URI");
        assertThat(inspector.inspect(EvidenceFiles.pdfWithObjectStream("/FlateDecode", "/PageMode /UseNone"))
                .mediaType()).isEqualTo("application/pdf");
    }

    @Test
    void anObjectStreamThatCannotBeCheckedIsRefusedNotTrusted() {
        assertThatThrownBy(() -> inspector.inspect(EvidenceFiles.pdfWithObjectStream("[/ASCIIHexDecode /FlateDecode]",
                "/PageMode /UseNone")))
                .isInstanceOf(UnacceptedType.class)
                .hasMessageContaining("an object stream encoded with /asciihexdecode /flatedecode")
                .hasMessageContaining("cannot be checked for actions");
        assertThatThrownBy(() -> inspector.inspect(EvidenceFiles.pdfWith("/Encrypt 9 0 R")))
                .isInstanceOf(UnacceptedType.class).hasMessageContaining("encrypted PDF");
    }

    @Test
    void anObjectStreamBombIsRefusedWithoutBeingExpanded() {
        FileInspector oneMegabyte = new FileInspector(new EvidenceProperties(DataSize.ofMegabytes(1),
                Set.of("application/pdf"), 100_000_000L));
        byte[] bomb = EvidenceFiles.pdfWithObjectStream("/FlateDecode", new byte[9 * 1024 * 1024]);
        assertThat(bomb.length).isLessThan(64 * 1024);

        assertThatThrownBy(() -> oneMegabyte.inspect(bomb))
                .isInstanceOf(UnacceptedType.class)
                .hasMessageContaining("object streams that inflate to more than 8388608 bytes");
    }

    @Test
    void anImageDeclaringMorePixelsThanAllowedIsRefusedUndecoded() {
        assertThatThrownBy(() -> inspector.inspect(EvidenceFiles.pngDeclaring(100_000, 100_000)))
                .isInstanceOf(UnacceptedType.class)
                .hasMessageContaining("100000 × 100000 = 10000000000 pixels")
                .hasMessageContaining("at most 100000000");
        assertThatThrownBy(() -> inspector.inspect(EvidenceFiles.jpegDeclaring(20_000, 20_000)))
                .isInstanceOf(UnacceptedType.class).hasMessageContaining("image/jpeg declares 20000 × 20000");
        assertThatThrownBy(() -> inspector.inspect(EvidenceFiles.gifDeclaring(65_535, 65_535)))
                .isInstanceOf(UnacceptedType.class).hasMessageContaining("image/gif declares 65535 × 65535");
    }

    @Test
    void aWebpOrAGifFrameDeclaringMorePixelsThanAllowedIsRefused() {
        FileInspector withWebp = new FileInspector(new EvidenceProperties(DataSize.ofMegabytes(10),
                Set.of("image/webp", "image/gif"), 100_000_000L));
        assertThat(FileInspector.declaredSize("image/webp", EvidenceFiles.webpDeclaring(16_383, 16_383)))
                .containsExactly(16_383, 16_383);
        assertThatThrownBy(() -> withWebp.inspect(EvidenceFiles.webpDeclaring(16_383, 16_383)))
                .isInstanceOf(UnacceptedType.class).hasMessageContaining("image/webp declares 16383 × 16383");
        assertThat(withWebp.inspect(EvidenceFiles.webpDeclaring(4_000, 3_000)).mediaType()).isEqualTo("image/webp");

        assertThat(FileInspector.declaredSize("image/gif", EvidenceFiles.gifWithFrame(4, 4))).containsExactly(8, 8);
        assertThatThrownBy(() -> withWebp.inspect(EvidenceFiles.gifWithFrame(60_000, 60_000)))
                .isInstanceOf(UnacceptedType.class).hasMessageContaining("image/gif declares 60000 × 60000");
    }

    @Test
    void realImagesAndImagesAtTheLimitPass() {
        assertThat(FileInspector.declaredSize("image/png", EvidenceFiles.png())).containsExactly(8, 8);
        assertThat(FileInspector.declaredSize("image/jpeg", EvidenceFiles.jpeg())).containsExactly(8, 8);
        assertThat(FileInspector.declaredSize("image/jpeg", EvidenceFiles.jpegTakenAt(java.time.LocalDateTime.now())))
                .containsExactly(8, 8);
        assertThat(FileInspector.declaredSize("image/gif", EvidenceFiles.gifDeclaring(8, 8))).containsExactly(8, 8);
        assertThat(inspector.inspect(EvidenceFiles.pngDeclaring(10_000, 10_000)).mediaType()).isEqualTo("image/png");
        assertThat(FileInspector.declaredSize("image/png", "not a png".getBytes(StandardCharsets.US_ASCII))).isNull();
    }
}
