package cn.kameng.refunddesk.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** What the service refuses to start with, and the sentence that says why. */
class SubscribersTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef"; // 32 bytes, a test value only

    private static Subscribers with(String url, String secret, List<String> events) {
        return new Subscribers(new WebhookProperties(List.of(new WebhookProperties.Subscriber(null, url, secret, events)),
                Duration.ofSeconds(3), Duration.ofSeconds(10)));
    }

    @Test
    void aSubscriberWithAnAbsoluteUrlAndALongEnoughSecretIsTakenWithAllEventsByDefault() {
        Subscribers s = with("https://platform.example/hooks", SECRET, null);
        assertThat(s.all()).hasSize(1);
        assertThat(s.all().get(0).name()).isEqualTo("https://platform.example/hooks");
        assertThat(s.all().get(0).events()).containsExactlyInAnyOrder(WebhookEventType.values());
        assertThat(s.all().get(0).toString()).doesNotContain(SECRET);
    }

    @Test
    void aUrlWithoutASecretOrWithAShortOneStopsTheStart() {
        assertThatThrownBy(() -> with("https://platform.example/hooks", null, null))
                .hasMessageContaining("dispute.webhooks.subscribers[0].secret is not set")
                .hasMessageContaining("DISPUTE_WEBHOOKS_SUBSCRIBERS_0_SECRET");
        assertThatThrownBy(() -> with("https://platform.example/hooks", "short-secret", null))
                .hasMessageContaining("is 12 bytes: at least 32");
    }

    @Test
    void aUrlThatIsNotAbsoluteHttpStopsTheStart() {
        assertThatThrownBy(() -> with("/hooks", SECRET, null)).hasMessageContaining("absolute http:// or https://");
        assertThatThrownBy(() -> with("ftp://platform.example/hooks", SECRET, null))
                .hasMessageContaining("absolute http:// or https://");
        assertThatThrownBy(() -> with("http://exa mple/", SECRET, null)).hasMessageContaining("is not a URL");
        assertThatThrownBy(() -> with(" ", SECRET, null)).hasMessageContaining(".url is not set");
    }

    @Test
    void anEventFilterNamingNoEventStopsTheStartWithTheList() {
        assertThatThrownBy(() -> with("https://platform.example/hooks", SECRET, List.of("dispute.opend")))
                .hasMessageContaining("'dispute.opend', which is no event").hasMessageContaining("dispute.opened");
        assertThat(with("https://platform.example/hooks", SECRET, List.of("dispute.closed")).all().get(0).events())
                .containsExactly(WebhookEventType.DISPUTE_CLOSED);
    }

    @Test
    void everyJournalKindOfACatalogueMomentIsOneEvent() {
        assertThat(WebhookEventType.fromJournal("CLOSED_REFUNDED")).get()
                .extracting(WebhookEventType.Mapped::type).isEqualTo(WebhookEventType.DISPUTE_CLOSED);
        assertThat(WebhookEventType.fromJournal("RULING_REFUND_FULL").get().extra()).containsEntry("ruling",
                "REFUND_FULL");
        assertThat(WebhookEventType.fromJournal("RULING_REQUEST_EVIDENCE")).isEmpty();
        assertThat(WebhookEventType.fromJournal("EVIDENCE_CHECKED")).isEmpty();
        assertThat(WebhookEventType.fromJournal("MERCHANT_REFUSE").get().extra()).containsEntry("decision", "REFUSE");
        assertThat(WebhookEventType.fromJournal("APPEAL_FILED")).get().extracting(WebhookEventType.Mapped::type)
                .isEqualTo(WebhookEventType.APPEAL_FILED);
        assertThat(WebhookEventType.fromJournal("APPEAL_UPHELD").get())
                .isEqualTo(new WebhookEventType.Mapped(WebhookEventType.APPEAL_DECIDED, Map.of("decision", "UPHOLD")));
        assertThat(WebhookEventType.fromJournal("APPEAL_OVERTURNED").get())
                .isEqualTo(new WebhookEventType.Mapped(WebhookEventType.APPEAL_DECIDED, Map.of("decision", "OVERTURN")));
        assertThat(WebhookEventType.byWireName("dispute.appeal_decided")).contains(WebhookEventType.APPEAL_DECIDED);
    }
}
