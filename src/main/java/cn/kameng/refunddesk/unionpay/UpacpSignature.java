package cn.kameng.refunddesk.unionpay;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * UPACP 5.1.0 messages, signMethod=01: every field but {@code signature}, sorted by name, joined as
 * {@code k1=v1&k2=v2}; its SHA-256 in lower-case hex is signed SHA256withRSA, base64 in {@code signature}.
 */
final class UpacpSignature {

    static final String SIGNATURE = "signature";

    private UpacpSignature() {
    }

    /** The text UnionPay signs: the fields except the signature, sorted, as k=v joined by &amp;. */
    static String signedText(Map<String, String> fields) {
        return new TreeMap<>(fields).entrySet().stream().filter(e -> !SIGNATURE.equals(e.getKey()))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
    }

    /** {@code fields} with the signature added. */
    static Map<String, String> sign(Map<String, String> fields, PrivateKey key) {
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(digest(fields));
            Map<String, String> signed = new LinkedHashMap<>(fields);
            signed.put(SIGNATURE, Base64.getEncoder().encodeToString(s.sign()));
            return signed;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a UnionPay message: " + e.getMessage(), e);
        }
    }

    static boolean verifies(Map<String, String> fields, PublicKey key) {
        String signature = fields.get(SIGNATURE);
        if (signature == null || signature.isBlank()) {
            return false;
        }
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(key);
            s.update(digest(fields));
            return s.verify(Base64.getDecoder().decode(signature.replaceAll("\\s", "")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] digest(Map<String, String> fields) throws GeneralSecurityException {
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(signedText(fields).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha).getBytes(StandardCharsets.UTF_8);
    }

    /** As the form body of a POST (application/x-www-form-urlencoded, UTF-8). */
    static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    /** A form body (a notification to backUrl): URL-decoded. */
    static Map<String, String> parseForm(String body) {
        return parse(body, true);
    }

    /** A synchronous answer of backTransReq.do / queryTrans.do: k=v&amp;..., values as they are. */
    static Map<String, String> parseAnswer(String body) {
        return parse(body, false);
    }

    private static Map<String, String> parse(String body, boolean decode) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.trim().split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            fields.put(decode ? URLDecoder.decode(key, StandardCharsets.UTF_8) : key,
                    decode ? URLDecoder.decode(value, StandardCharsets.UTF_8) : value);
        }
        return fields;
    }
}
