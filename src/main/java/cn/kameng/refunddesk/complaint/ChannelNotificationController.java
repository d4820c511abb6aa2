package cn.kameng.refunddesk.complaint;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import cn.kameng.refunddesk.dispute.ComplaintChannel;
import cn.kameng.refunddesk.dispute.DomainException.BadInput;
import cn.kameng.refunddesk.dispute.DomainException.NotFound;
import cn.kameng.refunddesk.dispute.DomainException.Unavailable;

/**
 * Where the channels push complaint notifications, one path per source. Not behind HTTP Basic (channels cannot
 * sign in): the source's adapter verifies the signature (and decrypts), a forged or undecryptable one is 401.
 * The complaint is read from the channel and recorded before the answer; a channel that cannot be read now is
 * answered 503, so the channel pushes again (and the poll catches it anyway); so is one the channel refuses to let us
 * read (no access to the API: an operator puts it right, and the error log says so).
 */
@RestController
class ChannelNotificationController {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ChannelNotificationController.class);

    record Ack(String code, String message) {
    }

    private final ChannelSources sources;
    private final ChannelComplaints complaints;

    ChannelNotificationController(ChannelSources sources, ChannelComplaints complaints) {
        this.sources = sources;
        this.complaints = complaints;
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "A complaint channel reports a new or changed complaint",
            description = "For the channels only (WeChat Pay 消费者投诉2.0, Alipay): no sign-in, the body is checked "
                    + "against the channel's signature; answered in the channel's own format.")
    @PostMapping(path = "/api/v1/channels/{source}/complaint-notifications")
    ResponseEntity<?> receive(@PathVariable String source, @RequestHeader Map<String, String> headers,
            @RequestBody(required = false) String body) {
        if (body == null || body.isBlank()) {
            throw BadInput.field("body", "the notification is empty");
        }
        Map<String, String> lower = new TreeMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        ComplaintSource from = sourceOf(source, lower, body);
        ComplaintSource.Notice notice = from.parseNotification(lower, body);
        for (String externalId : notice.externalIds()) {
            try {
                complaints.take(from, externalId);
            } catch (ChannelUnavailableException e) {
                throw new Unavailable(from.channel().label() + " could not be asked for complaint " + externalId
                        + " now; push again later", 60);
            } catch (ChannelRefusedException e) {
                log.error("{} complaint {} was pushed but may not be read: {}", source, externalId, e.getMessage());
                throw new Unavailable(from.channel().label() + " complaint " + externalId + " cannot be read until the"
                        + " service's access is put right (" + e.getMessage() + "); push again later", 600);
            }
        }
        String ack = from.acknowledgement();
        return ack != null ? ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(ack)
                : ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(new Ack("SUCCESS", "成功"));
    }

    /**
     * The source a push is for: the one its URL names, or, when the channel sends all its messages to one address
     * (Alipay's 应用网关), the source of that channel that recognizes the message; the URL may also name the channel
     * itself ({@code /channels/alipay/...}).
     */
    private ComplaintSource sourceOf(String named, Map<String, String> headers, String body) {
        Optional<ComplaintSource> exact = sources.find(named);
        List<ComplaintSource> siblings = exact.map(s -> sources.ofChannel(s.channel()))
                .orElseGet(() -> Arrays.stream(ComplaintChannel.values())
                        .filter(c -> ChannelSources.alias(c).equals(named)).findFirst()
                        .map(sources::ofChannel).orElse(List.of()));
        if (exact.isEmpty() && siblings.isEmpty()) {
            throw new NotFound("there is no complaint source or channel '" + named + "' (configured: " + sources.ids()
                    + ")");
        }
        if (exact.isPresent() && exact.get().recognizes(headers, body)) {
            return exact.get();
        }
        return siblings.stream().filter(s -> s.recognizes(headers, body)).findFirst()
                .orElseGet(() -> exact.orElseThrow(() -> BadInput.field("body", "no configured source of "
                        + named + " (" + siblings.stream().map(ComplaintSource::source).toList()
                        + ") takes this message")));
    }
}
