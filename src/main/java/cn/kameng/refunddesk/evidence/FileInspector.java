package cn.kameng.refunddesk.evidence;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

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
 * script in an image or PDF, a Windows executable embedded anywhere), PDFs with actions (scripts, links,
 * launches, form submission, also inside compressed object streams), and images that declare more pixels than
 * allowed. Nothing else is unpacked or decoded (an image's size is read from its header; a PDF's object streams are
 * inflated within a bound), so neither a compression bomb nor a pixel bomb is expanded.
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
    /**
     * PDF names that make a reader act on its own (run a script, open an address or a file, send or fetch data) or
     * carry another file, with what they do; compared as a reader reads them (#xx escapes decoded), case ignored.
     */
    private static final Map<String, String> PDF_ACTIONS = pdfActions();
    private static final String PDF_DELIMITERS = "()<>[]{}/%";
    /** The PDF stream filters, by their names and abbreviations. */
    private static final Set<String> PDF_FILTERS = Set.of("asciihexdecode", "ahx", "ascii85decode", "a85", "lzwdecode",
            "lzw", "flatedecode", "fl", "runlengthdecode", "rl", "ccittfaxdecode", "ccf", "jbig2decode", "dctdecode",
            "dct", "jpxdecode", "crypt");
    /** Object streams are inflated to at most this many bytes in all, unless the inspector says otherwise. */
    private static final long DEFAULT_MAX_INFLATED = 64L * 1024 * 1024;
    private static final String DOS_STUB = "this program cannot be run in dos mode";
    private static final DateTimeFormatter EXIF_TIME = DateTimeFormatter.ofPattern("yyyy:MM:dd HH:mm:ss");

    private final Tika tika = new Tika();
    private final Set<String> allowed;
    private final long maxImagePixels;
    /** A PDF's object streams may inflate to eight times the largest file, no more (a compression bomb is refused). */
    private final long maxInflated;

    FileInspector(EvidenceProperties properties) {
        this.allowed = properties.allowedTypes();
        this.maxImagePixels = properties.maxImagePixels();
        this.maxInflated = 8 * properties.maxFileSize().toBytes();
    }

    Inspection inspect(byte[] content) {
        String type = tika.detect(content);
        if (!allowed.contains(type)) {
            throw unsupported("the file's bytes are " + type + ", which is not accepted as evidence; accepted: "
                    + String.join(", ", allowed.stream().sorted().toList()));
        }
        if (type.equals("application/pdf")) {
            String action = pdfAction(content, maxInflated);
            if (action != null) {
                throw unsupported("the PDF carries " + action + "; a PDF with actions, scripts, links or embedded files"
                        + " is not accepted as evidence (print it to a plain PDF first)");
            }
        }
        long[] size = declaredSize(type, content);
        if (size != null && size[0] * size[1] > maxImagePixels) {
            throw unsupported("the " + type + " declares " + size[0] + " × " + size[1] + " = " + size[0] * size[1]
                    + " pixels; an evidence image may have at most " + maxImagePixels);
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
        return null;
    }

    private static Map<String, String> pdfActions() {
        Map<String, String> actions = new LinkedHashMap<>();
        actions.put("AA", "/AA (actions run when a page opens or a field is touched)");
        actions.put("OpenAction+JS", "/OpenAction with /JavaScript (a script run when the file opens)");
        actions.put("JavaScript", "/JavaScript (a script)");
        actions.put("JS", "/JS (a script)");
        actions.put("URI", "/URI (a link that opens a web address)");
        actions.put("Launch", "/Launch (an action that starts a program)");
        actions.put("SubmitForm", "/SubmitForm (an action that sends form data to a server)");
        actions.put("GoToR", "/GoToR (an action that opens another file)");
        actions.put("ImportData", "/ImportData (an action that reads data from another file)");
        actions.put("EmbeddedFile", "/EmbeddedFile (a file inside the PDF)");
        actions.put("RichMedia", "/RichMedia (embedded media or Flash)");
        actions.put("XFA", "/XFA (a scripted form)");
        return actions;
    }

    /**
     * The first action (or embedded file) a PDF's names declare, said in words, or null. Every name in the bytes is
     * read (up to a delimiter, #xx decoded, so {@code /J#61vaScript} is /JavaScript), and so is every name inside the
     * PDF's object streams (PDF 1.5's compressed dictionaries), inflated to at most {@code maxInflated} bytes in all.
     * An object stream this cannot read (another filter than /FlateDecode, a predictor, encryption, more bytes than
     * allowed) is itself the answer: what cannot be checked is not accepted.
     */
    static String pdfAction(byte[] content, long maxInflated) {
        Set<String> names = new HashSet<>();
        names(content, 0, content.length, names);
        String unreadable = objectStreamNames(content, maxInflated, names);
        if (unreadable != null) {
            return unreadable;
        }
        if (names.contains("openaction") && (names.contains("javascript") || names.contains("js"))) {
            names.add("openaction+js");
        }
        for (Map.Entry<String, String> action : PDF_ACTIONS.entrySet()) {
            if (names.contains(action.getKey().toLowerCase(Locale.ROOT))) {
                return action.getValue();
            }
        }
        return null;
    }

    static String pdfAction(byte[] content) {
        return pdfAction(content, DEFAULT_MAX_INFLATED);
    }

    /** Adds the names of {@code b[from, to)}, lower-cased and #xx decoded, to {@code names}. */
    private static void names(byte[] b, int from, int to, Set<String> names) {
        for (int i = from; i < to; i++) {
            if (b[i] != '/') {
                continue;
            }
            StringBuilder name = new StringBuilder();
            int j = i + 1;
            while (j < to && name.length() <= 32) {
                int c = b[j] & 0xFF;
                if (c <= ' ' || c == 0x7F || PDF_DELIMITERS.indexOf(c) >= 0) {
                    break;
                }
                if (c == '#' && j + 2 < to && hex(b[j + 1]) >= 0 && hex(b[j + 2]) >= 0) {
                    c = hex(b[j + 1]) * 16 + hex(b[j + 2]);
                    j += 2;
                }
                name.append((char) c);
                j++;
            }
            names.add(name.toString().toLowerCase(Locale.ROOT));
            i = j - 1;
        }
    }

    /**
     * Inflates every object stream ({@code /Type /ObjStm}) and adds its names; returns why one cannot be read, or
     * null. A stream's dictionary is what lies between its object's {@code obj} and its {@code stream} keyword.
     */
    private static String objectStreamNames(byte[] b, long maxInflated, Set<String> names) {
        if (names.contains("encrypt")) {
            return "encryption (an encrypted PDF cannot be checked for actions)";
        }
        String ascii = new String(b, StandardCharsets.ISO_8859_1);
        long budget = maxInflated;
        for (int at = ascii.indexOf("stream"); at >= 0; at = ascii.indexOf("stream", at + 6)) {
            if (at >= 3 && ascii.startsWith("end", at - 3)) {
                continue;
            }
            int obj = ascii.lastIndexOf("obj", at);
            if (obj < 0) {
                continue;
            }
            Set<String> dictionary = new HashSet<>();
            names(b, obj, at, dictionary);
            if (!dictionary.contains("objstm")) {
                continue;
            }
            Set<String> filters = new HashSet<>(dictionary);
            filters.retainAll(PDF_FILTERS);
            if (filters.isEmpty()) {
                continue; // not compressed: its names were read with the file's
            }
            if (!filters.equals(Set.of("flatedecode")) || dictionary.contains("predictor")) {
                return "an object stream encoded with " + String.join(" ", filters.stream().sorted().map(f -> "/" + f)
                        .toList()) + (dictionary.contains("predictor") ? " and a predictor" : "")
                        + ", which cannot be checked for actions";
            }
            int data = at + 6;
            if (data < b.length && b[data] == '\r') {
                data++;
            }
            if (data < b.length && b[data] == '\n') {
                data++;
            }
            byte[] inflated;
            try {
                inflated = inflate(b, data, budget);
            } catch (DataFormatException e) {
                return "an object stream that cannot be inflated (damaged), which cannot be checked for actions";
            }
            if (inflated == null) {
                return "object streams that inflate to more than " + maxInflated + " bytes";
            }
            budget -= inflated.length;
            names(inflated, 0, inflated.length, names);
        }
        return null;
    }

    /** {@code b} inflated from {@code from} until its deflate stream ends, or null if that is more than {@code limit}. */
    private static byte[] inflate(byte[] b, int from, long limit) throws DataFormatException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(b, from, b.length - from);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            while (!inflater.finished() && !inflater.needsInput()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && inflater.needsDictionary()) {
                    throw new DataFormatException("a preset dictionary");
                }
                if (out.size() + (long) n > limit) {
                    return null;
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } finally {
            inflater.end();
        }
    }

    private static int hex(byte b) {
        return Character.digit(b, 16);
    }

    /**
     * A GIF's size: its logical screen (width, height at 6, little endian) or, when a frame reaches beyond it, the
     * extent of its largest frame (each image descriptor declares its own), as a viewer allocates them.
     */
    private static long[] gifSize(byte[] b) {
        if (b.length < 13) {
            return null;
        }
        long width = u16le(b, 6);
        long height = u16le(b, 8);
        int at = 13 + ((b[10] & 0x80) != 0 ? 3 << ((b[10] & 7) + 1) : 0);
        while (at < b.length && b[at] != 0x3B) {
            if (b[at] == 0x2C && at + 10 <= b.length) {
                width = Math.max(width, u16le(b, at + 1) + u16le(b, at + 5));
                height = Math.max(height, u16le(b, at + 3) + u16le(b, at + 7));
                int packed = b[at + 9];
                at += 10 + ((packed & 0x80) != 0 ? 3 << ((packed & 7) + 1) : 0) + 1; // + LZW minimum code size
            } else if (b[at] == 0x21) {
                at += 2; // introducer and label
            } else {
                break;
            }
            while (at < b.length && b[at] != 0) { // data sub-blocks, each led by its length
                at += 1 + u8(b, at);
            }
            at++;
        }
        return new long[] {width, height};
    }

    /** A WebP's canvas size from its first chunk: VP8 (lossy), VP8L (lossless) or VP8X (extended). */
    private static long[] webpSize(byte[] b) {
        if (b.length < 30 || b[8] != 'W' || b[9] != 'E' || b[10] != 'B' || b[11] != 'P') {
            return null;
        }
        String chunk = new String(b, 12, 4, StandardCharsets.US_ASCII);
        switch (chunk) {
            case "VP8 ":
                if (u8(b, 23) != 0x9D || u8(b, 24) != 0x01 || u8(b, 25) != 0x2A) {
                    return null; // not a key frame's start code
                }
                return new long[] {u16le(b, 26) & 0x3FFF, u16le(b, 28) & 0x3FFF};
            case "VP8L": {
                long bits = u8(b, 21) | (long) u8(b, 22) << 8 | (long) u8(b, 23) << 16 | (long) u8(b, 24) << 24;
                return new long[] {(bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1};
            }
            case "VP8X":
                return new long[] {(u8(b, 24) | u8(b, 25) << 8 | u8(b, 26) << 16) + 1L,
                        (u8(b, 27) | u8(b, 28) << 8 | u8(b, 29) << 16) + 1L};
            default:
                return null;
        }
    }

    private static long u16le(byte[] b, int at) {
        return at + 1 < b.length ? u8(b, at) | u8(b, at + 1) << 8 : 0;
    }

    /**
     * The width and height an image's header declares (PNG IHDR, JPEG SOF, GIF screen and frames, WebP), or null when the
     * type has none here or the header cannot be read. Only the header is read; the pixels are never decoded.
     */
    static long[] declaredSize(String type, byte[] b) {
        switch (type) {
            case "image/png":
                // signature (8), IHDR length (4), "IHDR" (4), width (4, big endian), height (4)
                if (b.length >= 24 && b[12] == 'I' && b[13] == 'H' && b[14] == 'D' && b[15] == 'R') {
                    return new long[] {u32(b, 16), u32(b, 20)};
                }
                return null;
            case "image/gif":
                return gifSize(b);
            case "image/jpeg":
                return jpegSize(b);
            case "image/webp":
                return webpSize(b);
            default:
                return null;
        }
    }

    /** The frame size of the first SOF segment, walking the segments from SOI to SOS by their lengths. */
    private static long[] jpegSize(byte[] b) {
        int i = 2;
        while (i + 3 < b.length) {
            if (u8(b, i) != 0xFF) {
                return null;
            }
            int marker = u8(b, i + 1);
            if (marker == 0xFF) { // fill byte
                i++;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // no length
                i += 2;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) { // scan data or end: no frame header before it
                return null;
            }
            int length = u8(b, i + 2) << 8 | u8(b, i + 3);
            boolean frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (frame) {
                // length (2), precision (1), height (2), width (2)
                return i + 8 < b.length ? new long[] {u8(b, i + 7) << 8 | u8(b, i + 8), u8(b, i + 5) << 8 | u8(b, i + 6)}
                        : null;
            }
            if (length < 2) {
                return null;
            }
            i += 2 + length;
        }
        return null;
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static long u32(byte[] b, int i) {
        return (long) u8(b, i) << 24 | (long) u8(b, i + 1) << 16 | (long) u8(b, i + 2) << 8 | u8(b, i + 3);
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
