package cn.kameng.refunddesk.support;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.imageio.ImageIO;

/** Evidence files as real clients (and attackers) send them, made in memory. */
public final class EvidenceFiles {

    private EvidenceFiles() {
    }

    /** A small real PNG screenshot. */
    public static byte[] png() {
        return image("png");
    }

    /** A real JPEG photo without EXIF. */
    public static byte[] jpeg() {
        return image("jpg");
    }

    /** A real JPEG photo whose camera wrote the capture time {@code taken} (EXIF DateTimeOriginal). */
    public static byte[] jpegTakenAt(LocalDateTime taken) {
        byte[] plain = jpeg();
        byte[] time = (taken.format(DateTimeFormatter.ofPattern("yyyy:MM:dd HH:mm:ss")) + "\0")
                .getBytes(StandardCharsets.US_ASCII); // 20 bytes
        // TIFF (little endian): IFD0 with one entry, the Exif IFD pointer; Exif IFD with DateTimeOriginal.
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4 + 2 + 12 + 4 + time.length).order(ByteOrder.LITTLE_ENDIAN);
        tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        tiff.putShort((short) 1).putShort((short) 0x8769).putShort((short) 4).putInt(1).putInt(26).putInt(0);
        tiff.putShort((short) 1).putShort((short) 0x9003).putShort((short) 2).putInt(time.length).putInt(44).putInt(0);
        tiff.put(time);
        byte[] exif = new byte[6 + tiff.capacity()];
        System.arraycopy("Exif\0\0".getBytes(StandardCharsets.US_ASCII), 0, exif, 0, 6);
        System.arraycopy(tiff.array(), 0, exif, 6, tiff.capacity());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(plain, 0, 2); // SOI
        int length = exif.length + 2;
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.write(exif, 0, exif.length);
        out.write(plain, 2, plain.length - 2);
        return out.toByteArray();
    }

    /** A Windows executable (MZ header, DOS stub), as it would arrive renamed to invoice.pdf. */
    public static byte[] windowsExecutable() {
        byte[] exe = new byte[512];
        exe[0] = 'M';
        exe[1] = 'Z';
        byte[] stub = "This program cannot be run in DOS mode.\r\r\n$".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(stub, 0, exe, 0x4E, stub.length);
        exe[0x3C] = (byte) 0x80;
        exe[0x80] = 'P';
        exe[0x81] = 'E';
        return exe;
    }

    /** A ZIP whose one entry inflates to {@code inflatedMegabytes} MB of zeros (a zip bomb, in small). */
    public static byte[] zipBomb(int inflatedMegabytes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("screenshot.png"));
            byte[] zeros = new byte[1024 * 1024];
            for (int i = 0; i < inflatedMegabytes; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A real PNG with a ZIP (say a JAR) appended: opens as an image and as an archive (a GIFAR-style polyglot). */
    public static byte[] pngWithArchiveAppended() {
        return concat(png(), zipBomb(1));
    }

    /** A real JPEG whose comment carries a script, for a browser that sniffs it as HTML. */
    public static byte[] jpegWithScript() {
        byte[] plain = jpeg();
        byte[] comment = "<script>fetch('/api/v1/disputes').then(r=>r.text()).then(alert)</script>"
                .getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(plain, 0, 2);
        out.write(0xFF);
        out.write(0xFE); // COM segment
        out.write((comment.length + 2) >> 8);
        out.write((comment.length + 2) & 0xFF);
        out.write(comment, 0, comment.length);
        out.write(plain, 2, plain.length - 2);
        return out.toByteArray();
    }

    /** A PDF that runs JavaScript when opened. */
    public static byte[] pdfWithJavaScript() {
        return ("%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction 2 0 R >> endobj\n"
                + "2 0 obj << /S /JavaScript /JS (app.alert('x')) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** A PDF whose catalog carries {@code action} (e.g. {@code /AA << /O << /S /URI /URI (https://x) >> >>}). */
    public static byte[] pdfWith(String action) {
        return ("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R " + action + " >> endobj\n"
                + "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A PDF 1.5 whose catalog sits compressed in an object stream ({@code /Type /ObjStm}) encoded with
     * {@code filter} (e.g. {@code /FlateDecode}), the catalog carrying {@code action}: invisible in the file's bytes.
     */
    public static byte[] pdfWithObjectStream(String filter, String action) {
        return pdfWithObjectStream(filter, ("<< /Type /Catalog /Pages 2 0 R " + action + " >>")
                .getBytes(StandardCharsets.US_ASCII));
    }

    /** A PDF 1.5 whose object stream holds {@code objects} (after the offset table), deflated. */
    public static byte[] pdfWithObjectStream(String filter, byte[] objects) {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.writeBytes("3 0 ".getBytes(StandardCharsets.US_ASCII));
        raw.writeBytes(objects);
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new java.util.zip.DeflaterOutputStream(deflated)) {
            out.write(raw.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        pdf.writeBytes(("%PDF-1.5\n1 0 obj << /Type /ObjStm /N 1 /First 4 /Filter " + filter + " /Length "
                + deflated.size() + " >>\nstream\n").getBytes(StandardCharsets.US_ASCII));
        pdf.writeBytes(deflated.toByteArray());
        pdf.writeBytes(("\nendstream\nendobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
                + "trailer << /Root 3 0 R >>\n%%EOF\n").getBytes(StandardCharsets.US_ASCII));
        return pdf.toByteArray();
    }

    /** A lossless WebP header (RIFF, VP8L) declaring {@code width} × {@code height} pixels, with no image data. */
    public static byte[] webpDeclaring(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(32).put("WEBPVP8L".getBytes(StandardCharsets.US_ASCII))
                .putInt(20).put((byte) 0x2F).putInt((width - 1) | (height - 1) << 14);
        return b.array();
    }

    /** A GIF whose screen is 8 × 8 but whose one frame declares {@code width} × {@code height} pixels. */
    public static byte[] gifWithFrame(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        b.put("GIF89a".getBytes(StandardCharsets.US_ASCII)).putShort((short) 8).putShort((short) 8).put((byte) 0)
                .put((byte) 0).put((byte) 0);
        b.put((byte) 0x21).put((byte) 0xF9).put((byte) 4).putInt(0).put((byte) 0); // graphic control extension
        b.put((byte) 0x2C).putShort((short) 0).putShort((short) 0).putShort((short) width).putShort((short) height)
                .put((byte) 0).put((byte) 2).put((byte) 1).put((byte) 0x44).put((byte) 0).put((byte) 0x3B);
        return Arrays.copyOf(b.array(), b.position());
    }

    /** A real 8 × 8 PNG whose IHDR then claims {@code width} × {@code height} pixels (a pixel bomb, undecoded). */
    public static byte[] pngDeclaring(int width, int height) {
        byte[] png = png();
        ByteBuffer.wrap(png, 16, 8).putInt(width).putInt(height);
        return png;
    }

    /** A real 8 × 8 JPEG whose frame header (SOF) then claims {@code width} × {@code height} pixels. */
    public static byte[] jpegDeclaring(int width, int height) {
        byte[] jpeg = jpeg();
        for (int i = 2; i + 8 < jpeg.length; ) {
            int marker = jpeg[i + 1] & 0xFF;
            if (marker == 0xC0 || marker == 0xC2) {
                ByteBuffer.wrap(jpeg, i + 5, 4).putShort((short) height).putShort((short) width);
                return jpeg;
            }
            i += 2 + (((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF));
        }
        throw new IllegalStateException("no SOF segment in the JPEG");
    }

    /** A real GIF whose logical screen then claims {@code width} × {@code height} pixels. */
    public static byte[] gifDeclaring(int width, int height) {
        byte[] gif = image("gif");
        ByteBuffer.wrap(gif, 6, 4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) width).putShort((short) height);
        return gif;
    }

    /** A plain PDF document. */
    public static byte[] pdf() {
        return ("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
                + "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] image(String format) {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 3, 0xFF0000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
