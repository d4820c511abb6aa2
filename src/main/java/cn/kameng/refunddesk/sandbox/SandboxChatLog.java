package cn.kameng.refunddesk.sandbox;

import java.util.List;

import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.evidence.PlatformChatLog;

/** The sandbox's platform chat: messages in sandbox_chat_message. Default profile only. */
@Component
@Profile("default")
class SandboxChatLog implements PlatformChatLog {

    private final JdbcClient jdbc;

    SandboxChatLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void add(String orderId, Message message) {
        jdbc.sql("insert into sandbox_chat_message (order_id, sent_at, sender, text) values (?, ?, ?, ?)")
                .params(orderId, java.sql.Timestamp.from(message.sentAt()), message.sender(), message.text()).update();
    }

    @Override
    public List<Message> of(String orderId) {
        return jdbc.sql("select sent_at, sender, text from sandbox_chat_message where order_id = ? order by sent_at, id")
                .param(orderId)
                .query((rs, i) -> new Message(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3)))
                .list();
    }
}
