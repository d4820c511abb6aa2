package cn.kameng.refunddesk.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class OutboxRelayTest {

    private static Notification to(long id, String recipient) {
        return new Notification(id, "DSP-1", recipient, "EVENT", "消息", Instant.EPOCH);
    }

    @Test
    void aRecipientTheTransportRefusesDoesNotHoldBackTheOthers() {
        NotificationOutbox outbox = mock(NotificationOutbox.class);
        when(outbox.undelivered(100)).thenReturn(List.of(to(1, "buyer1"), to(2, "dispute-supervisors"),
                to(3, "merchant1")));
        List<String> delivered = new ArrayList<>();
        Notifier notifier = n -> {
            if (n.recipient().equals("dispute-supervisors")) {
                throw new IllegalStateException("no such mailbox");
            }
            delivered.add(n.recipient());
        };

        new OutboxRelay(outbox, notifier).relay();

        assertThat(delivered).containsExactly("buyer1", "merchant1");
        verify(outbox).markDelivered(1);
        verify(outbox).markDelivered(3);
        verify(outbox, never()).markDelivered(2);
    }
}
