package cn.kameng.refunddesk.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import cn.kameng.refunddesk.dispute.Notification;
import cn.kameng.refunddesk.dispute.NotificationOutbox;

class OutboxRelayTest {

    private static Notification to(long id, String recipient) {
        return new Notification(id, "DSP-1", recipient, "EVENT", "消息", Instant.EPOCH, 0);
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

        new OutboxRelay(outbox, notifier, Duration.ofSeconds(30), Duration.ofHours(1)).relay();

        assertThat(delivered).containsExactly("buyer1", "merchant1");
        verify(outbox).markDelivered(1);
        verify(outbox).markDelivered(3);
        verify(outbox, never()).markDelivered(2);
        verify(outbox).markFailed(eq(2L), eq("no such mailbox"), any());
    }

    @Test
    void eachFailureDoublesThePauseBeforeTheNextTryUpToTheLimit() {
        OutboxRelay relay = new OutboxRelay(mock(NotificationOutbox.class), n -> { }, Duration.ofSeconds(30),
                Duration.ofMinutes(10));

        assertThat(List.of(1, 2, 3, 4, 5, 6, 50, Integer.MAX_VALUE).stream().map(relay::pauseAfter))
                .containsExactly(Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
                        Duration.ofMinutes(4), Duration.ofMinutes(8), Duration.ofMinutes(10), Duration.ofMinutes(10),
                        Duration.ofMinutes(10));
    }

    @Test
    void aPauseLongerThanItsLimitIsAConfigurationErrorThatSaysSo() {
        assertThatThrownBy(() -> new OutboxRelay(mock(NotificationOutbox.class), n -> { }, Duration.ofHours(2),
                Duration.ofHours(1)))
                .hasMessageContaining("dispute.notifications.retry-after").hasMessageContaining("PT2H");
    }
}
