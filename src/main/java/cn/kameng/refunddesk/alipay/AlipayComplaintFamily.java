package cn.kameng.refunddesk.alipay;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import cn.kameng.refunddesk.complaint.ComplaintSource;
import cn.kameng.refunddesk.dispute.ComplaintChannel;

/**
 * What Alipay's two complaint families have in common as complaint sources, so that each says only what is its
 * own: both are the ALIPAY channel, both are pushed to the application's one gateway address and told apart by
 * {@code msg_method}, both want {@code success} as the acknowledgement, both page by number, and both give the
 * buyer's images as signed, expiring URLs whose stable part is the image's key (ADR 0073).
 */
abstract class AlipayComplaintFamily implements ComplaintSource {

    /**
     * Query parameters that sign an address or limit it in time (Alipay's file store is OSS-style: {@code Expires},
     * {@code OSSAccessKeyId}, {@code Signature}; its newer V4 signatures are {@code x-oss-*}; some stores add a
     * token or timestamp). They change from read to read of the same picture, so they are not part of its key.
     * {@code x-oss-process} is kept: it changes the picture served.
     */
    private static final List<String> SIGNING = List.of("expires", "signature", "ossaccesskeyid", "security-token",
            "token", "sign", "sign_type", "t", "timestamp", "auth_key");

    protected final AlipayComplaintCalls alipay;
    private final String source;
    private final String messageMethod;
    private final Duration longestWindow;

    AlipayComplaintFamily(String source, String messageMethod, Duration longestWindow, AlipayComplaintCalls alipay) {
        this.alipay = alipay;
        this.source = source;
        this.messageMethod = messageMethod;
        this.longestWindow = longestWindow;
    }

    @Override
    public final String source() {
        return source;
    }

    @Override
    public final ComplaintChannel channel() {
        return ComplaintChannel.ALIPAY;
    }

    /** Alipay sends the message again until the body is exactly {@code success}. */
    @Override
    public final String acknowledgement() {
        return "success";
    }

    @Override
    public final Duration longestWindow() {
        return longestWindow;
    }

    @Override
    public final boolean recognizes(Map<String, String> headers, String body) {
        return messageMethod.equals(AlipayComplaintCalls.msgMethodOf(body));
    }

    /** The message verified as Alipay's (RSA2) and of this family's {@code msg_method}; its biz_content read. */
    @Override
    public final Notice parseNotification(Map<String, String> headers, String body) {
        Map<String, String> params = alipay.verifiedMessage(body, messageMethod,
                "/api/v1/channels/" + source + "/complaint-notifications");
        return notice(alipay.bizContentOf(params));
    }

    /** What a verified message of this family says. */
    abstract Notice notice(JsonNode bizContent);

    /** The page number a page token stands for (the first page without one). */
    final long pageNumber(String token) {
        if (token == null) {
            return 1;
        }
        try {
            long page = Long.parseLong(token);
            if (page < 1) {
                throw new NumberFormatException();
            }
            return page;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + token + "' is not a page token of " + source);
        }
    }

    /** The first of {@code fields} that the node holds as non-blank text, or null. */
    static String first(JsonNode node, String... fields) {
        for (String field : fields) {
            JsonNode value = node.get(field);
            if (value != null && !value.isNull() && !value.asText().isBlank()) {
                return value.asText();
            }
        }
        return null;
    }

    /** The images at Alipay's URLs, each keyed by its URL without the signature and expiry. */
    static List<ImageRef> images(List<String> urls, Party from) {
        return urls == null ? List.of() : urls.stream().filter(u -> u != null && !u.isBlank())
                .map(u -> new ImageRef(imageKey(u), u, null, from)).toList();
    }

    /**
     * The part of an image URL that names the picture: scheme, host and path, and any query parameter that is
     * not a signature, an expiry or a token. An address that does not parse is its own key.
     */
    static String imageKey(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            return url;
        }
        if (uri.getScheme() == null || uri.getRawAuthority() == null) {
            return url;
        }
        StringBuilder key = new StringBuilder(uri.getScheme().toLowerCase(Locale.ROOT)).append("://")
                .append(uri.getRawAuthority().toLowerCase(Locale.ROOT))
                .append(uri.getRawPath() == null ? "" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            List<String> kept = new ArrayList<>();
            for (String pair : uri.getRawQuery().split("&")) {
                String name = (pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair).toLowerCase(Locale.ROOT);
                boolean signing = SIGNING.contains(name) || name.startsWith("x-oss-") && !name.equals("x-oss-process")
                        || name.startsWith("x-amz-");
                if (!pair.isEmpty() && !signing) {
                    kept.add(pair);
                }
            }
            if (!kept.isEmpty()) {
                key.append('?').append(String.join("&", kept));
            }
        }
        return key.toString();
    }
}
