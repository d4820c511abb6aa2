package cn.kameng.refunddesk.complaint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

/** The configured complaint sources by id; two with one id, or an id not of the allowed shape, stop the start. */
@Component
public class ChannelSources {

    private static final Pattern ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private final Map<String, ComplaintSource> byId = new LinkedHashMap<>();

    ChannelSources(List<ComplaintSource> sources) {
        for (ComplaintSource s : sources) {
            if (s.source() == null || !ID.matcher(s.source()).matches() || s.source().length() > 40) {
                throw new IllegalStateException("complaint source " + s.getClass().getName() + " has the id '"
                        + s.source() + "'; an id is lower-case letters, digits and dashes, at most 40 characters");
            }
            ComplaintSource before = byId.put(s.source(), s);
            if (before != null) {
                throw new IllegalStateException("two complaint sources have the id '" + s.source() + "': "
                        + before.getClass().getName() + " and " + s.getClass().getName());
            }
        }
    }

    public Optional<ComplaintSource> find(String source) {
        return Optional.ofNullable(byId.get(source));
    }

    /** The sources of one channel, in configuration order. */
    public List<ComplaintSource> ofChannel(cn.kameng.refunddesk.dispute.ComplaintChannel channel) {
        return byId.values().stream().filter(s -> s.channel() == channel).toList();
    }

    /** A channel as it names a push URL: ALIPAY is {@code alipay}, WECHAT_PAY {@code wechat-pay}. */
    public static String alias(cn.kameng.refunddesk.dispute.ComplaintChannel channel) {
        return channel.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public List<ComplaintSource> all() {
        return List.copyOf(byId.values());
    }

    public String ids() {
        return byId.isEmpty() ? "none" : String.join(", ", byId.keySet());
    }
}
