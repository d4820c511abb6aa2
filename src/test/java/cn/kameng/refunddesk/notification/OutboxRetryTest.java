package cn.kameng.refunddesk.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import cn.kameng.refunddesk.dispute.NotificationOutbox;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;

/**
 * A recipient whose transport refuses is tried again after 30 s, then 1 min, then 2 min, not every
 * round; the others go out at once; the outbox shows the attempts and the last error.
 */
@DisputeServiceTest
class OutboxRetryTest {

    @Autowired NotificationOutbox outbox;
    @Autowired TestDisputes given;
    @Autowired JdbcClient jdbc;

    private final List<String> delivered = new ArrayList<>();
    private final Set<String> refused = new HashSet<>(Set.of("mailbox-down"));
    private OutboxRelay relay;
    private String dispute;

    @BeforeEach
    void relayWithATransportThatRefusesOneRecipient() {
        dispute = given.open(2500, Reason.INVALID_CARD_KEY).id();
        ClockUtil.setCurrentTime(java.util.Date.from(java.time.Instant.parse("2026-12-01T02:00:00Z")));
        // only this test's notifications are waiting
        jdbc.sql("update notification_outbox set delivered_at = created_at where delivered_at is null").update();
        relay = new OutboxRelay(outbox, n -> {
            if (refused.contains(n.recipient())) {
                throw new IllegalStateException("mailbox unavailable");
            }
            delivered.add(n.recipient());
        }, Duration.ofSeconds(30), Duration.ofHours(1));
    }

    @AfterEach
    void resetClock() {
        ClockUtil.reset();
    }

    @Test
    void aRefusedNotificationWaitsLongerAfterEachFailureAndGoesOutOnceTheTransportTakesIt() {
        outbox.add(dispute, "mailbox-down", "TEST", "一");
        outbox.add(dispute, "buyer-ok", "TEST", "二");

        relay.relay();
        assertThat(delivered).containsExactly("buyer-ok");
        assertThat(attempts("mailbox-down")).isEqualTo(1);
        assertThat(lastError("mailbox-down")).isEqualTo("mailbox unavailable");

        relay.relay(); // the next round, 5 s later: not yet due
        given.moveClock(Duration.ofSeconds(29));
        relay.relay();
        assertThat(attempts("mailbox-down")).as("not retried before its 30 s").isEqualTo(1);

        given.moveClock(Duration.ofSeconds(1));
        relay.relay();
        assertThat(attempts("mailbox-down")).isEqualTo(2);
        given.moveClock(Duration.ofSeconds(59));
        relay.relay();
        assertThat(attempts("mailbox-down")).as("the second pause is a minute").isEqualTo(2);

        refused.clear();
        given.moveClock(Duration.ofSeconds(1));
        relay.relay();
        assertThat(delivered).containsExactly("buyer-ok", "mailbox-down");
        relay.relay();
        assertThat(delivered).as("delivered once").hasSize(2);
    }

    private int attempts(String recipient) {
        return jdbc.sql("select attempts from notification_outbox where recipient = ?").param(recipient)
                .query(Integer.class).single();
    }

    private String lastError(String recipient) {
        return jdbc.sql("select last_error from notification_outbox where recipient = ?").param(recipient)
                .query(String.class).single();
    }
}
