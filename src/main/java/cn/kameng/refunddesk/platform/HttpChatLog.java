package cn.kameng.refunddesk.platform;

import java.time.Instant;
import java.util.List;

import cn.kameng.refunddesk.evidence.PlatformChatLog;

/**
 * The platform chat: {@code GET /orders/{orderId}/chat-messages}. 404 or no messages: nothing was said (the
 * check is not applicable); no answer throws, and the check says CANNOT_RUN.
 */
final class HttpChatLog implements PlatformChatLog {

    /** The contract's ChatMessages schema. */
    record ChatBody(String orderId, List<MessageBody> messages) {
    }

    record MessageBody(Instant sentAt, String sender, String text) {
    }

    private final PlatformClient client;

    HttpChatLog(PlatformClient client) {
        this.client = client;
    }

    @Override
    public List<Message> of(String orderId) {
        return client.get(PlatformSystem.CHAT, ChatBody.class, "/orders/{orderId}/chat-messages", orderId)
                .map(b -> b.messages() == null ? List.<Message>of() : b.messages().stream().map(m -> {
                    if (m == null || m.sentAt() == null || m.sender() == null || m.text() == null) {
                        throw new PlatformClient.Unreachable(PlatformSystem.CHAT, PlatformClient.Failure.BAD_ANSWER,
                                200, "a chat message of order " + orderId + " lacks sentAt, sender or text", null);
                    }
                    return new Message(m.sentAt(), m.sender(), m.text());
                }).toList())
                .orElse(List.of());
    }
}
