package cn.kameng.refunddesk.refund;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;

/**
 * A gateway's key or certificate from configuration: given inline ({@code payment.<gateway>.<name>}, e.g. from
 * an environment variable) or as a file ({@code payment.<gateway>.<name>-file}); never from the repository.
 * A missing or unreadable one stops the start with a message naming the setting.
 */
public final class ConfiguredKey {

    private ConfiguredKey() {
    }

    /** The configured text, PEM or base64 as given. */
    public static String text(String gateway, String value, Path file, String name) {
        String text = value;
        if ((text == null || text.isBlank()) && file != null) {
            try {
                text = Files.readString(file, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new IllegalStateException("payment." + gateway + "." + name + "-file " + file + " cannot be read: "
                        + e, e);
            }
        }
        if (text == null || text.isBlank()) {
            throw new IllegalStateException("payment." + gateway + ".enabled is true but no key is configured for payment."
                    + gateway + "." + name + ": set payment." + gateway + "." + name + "-file to the file's path, or payment."
                    + gateway + "." + name + " (e.g. the environment variable PAYMENT_" + gateway.toUpperCase(Locale.ROOT)
                    + "_" + name.replace('-', '_').toUpperCase(Locale.ROOT) + ")");
        }
        return text;
    }

    /** The base64 body of the configured PEM or base64 text, checked to decode. */
    public static String base64(String gateway, String value, Path file, String name) {
        return base64Body(gateway, text(gateway, value, file, name), name);
    }

    /** The base64 body of PEM or base64 {@code text}, checked to decode. */
    public static String base64Body(String gateway, String text, String name) {
        String stripped = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            Base64.getDecoder().decode(stripped);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("payment." + gateway + "." + name + " is neither PEM nor base64: "
                    + e.getMessage());
        }
        return stripped;
    }
}
