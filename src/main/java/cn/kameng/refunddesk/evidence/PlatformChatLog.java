package cn.kameng.refunddesk.evidence;

import java.time.Instant;
import java.util.List;

/** Port: the messages buyer and merchant exchanged about an order in the platform's own chat. */
public interface PlatformChatLog {

    record Message(Instant sentAt, String sender, String text) {
    }

    List<Message> of(String orderId);
}
