package cn.kameng.refunddesk.evidence;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifSubIFDDirectory;

import org.apache.tika.Tika;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.DomainException.UnacceptedType;

/**
 * Decides what an uploaded file is from its bytes alone (Apache Tika's magic numbers: the name and the
 * declared Content-Type are not asked) and refuses what must not reach an arbiter's screen: any type
 * not allowed (executables, archives and so zip bombs, HTML, scripts), and files that are one allowed
 * type on the outside and something else inside (polyglots: an archive appended to an image, markup or
 * script in an image or PDF, active content in a PDF, a Windows executable embedded anywhere). Nothing
 * is unpacked or decoded, so a compression bomb is never expanded.
 */
@Component
class FileInspector {

    private static final Logger log = LoggerFactory.getLogger(FileInspector.class);

    /** What the bytes are, and for a photo the capture time its camera wrote (EXIF DateTimeOriginal). */
    record Inspection(String mediaType, LocalDateTime capturedAt) {
    }

    /** An archive's end-of-central-directory record: what makes a file open as a ZIP/JAR/Office document. */
    private static final byte[] ZIP_END = {'P', 'K', 5, 6};
    /** Archive readers look for that record in the last 64 KiB + 22 bytes of a file. */
    private static final int ZIP_END_WINDOW = 65_535 + 22;
    private static final List<String> MARKUP = List.of("<script", "<html", "<?php", "<svg", "<iframe", "<!doctype html",
            "javascript:");
    private static final List<String> PDF_ACTIVE = List.of("/javascript", "/js ", "/js(", "/js<", "/js/", "/launch",
            "/embeddedfile", "/richmedia", "/xfa");
    private static final String DOS_STUB = "this program cannot be run in dos mode";
    private static final DateTimeFormatter EXIF_TIME = DateTimeFormatter.ofPattern("yyyy:MM:dd HH:mm:ss");

    private final Tika tika = new Tika();
    private final Set<String> allowed;

    FileInspector(EvidenceProperties properties) {
        this.allowed = properties.allowedTypes();
    }

    Inspection inspect(byte[] content) {
        String type = tika.detect(content);
        if (!allowed.contains(type)) {
            throw unsupported("the file's bytes are " + type + ", which is not accepted as evidence; accepted: "
                    + String.join(", ", allowed.stream().sorted().toList()));
        }
        String hidden = hiddenContent(type, content);
        if (hidden != null) {
            throw unsupported("the file's bytes are " + type + " but it also carries " + hidden
                    + "; a file that is two things at once is not accepted as evidence");
        }
        return new Inspection(type, type.startsWith("image/") ? captureTime(content) : null);
    }

    /** What a file of an allowed type carries besides that type, or null. */
    static String hiddenContent(String type, byte[] content) {
        if (indexOf(content, ZIP_END, Math.max(0, content.length - ZIP_END_WINDOW)) >= 0) {
            return "a ZIP archive";
        }
        // Lower-cased ASCII view of the bytes; non-ASCII bytes cannot be part of the signatures looked for.
        String ascii = new String(content, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        if (ascii.contains(DOS_STUB)) {
            return "a Windows executable";
        }
        if (!type.startsWith("text/")) {
            for (String tag : MARKUP) {
                if (ascii.contains(tag)) {
                    return "markup or script (" + tag + ")";
                }
            }
        }
        if (type.equals("application/pdf")) {
            for (String action : PDF_ACTIVE) {
                if (ascii.contains(action)) {
                    return "active PDF content (" + action.trim() + ")";
                }
            }
        }
        return null;
    }

    /** The camera's capture time as written, in the camera's local time (EXIF has no zone); null if none. */
    static LocalDateTime captureTime(byte[] content) {
        try {
            Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(content), content.length);
            for (ExifSubIFDDirectory exif : metadata.getDirectoriesOfType(ExifSubIFDDirectory.class)) {
                String text = exif.getString(ExifSubIFDDirectory.TAG_DATETIME_ORIGINAL);
                if (text != null) {
                    return LocalDateTime.parse(text.trim(), EXIF_TIME);
                }
            }
            return null;
        } catch (IOException | com.drew.imaging.ImageProcessingException
                | RuntimeException | StackOverflowError e) {
            log.info("No readable EXIF capture time: {}", e.toString());
            return null;
        }
    }

    private static UnacceptedType unsupported(String detail) {
        return new UnacceptedType(detail);
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
