package cn.kameng.refunddesk.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** A window that is missing, zero or negative stops the start with the property's name and an example. */
class AbusePropertiesTest {

    private static final Duration DAYS_30 = Duration.ofDays(30);

    @Test
    void aWindowThatIsNotPositiveIsRefusedByName() {
        assertThatThrownBy(() -> new AbuseProperties(DAYS_30, Duration.ZERO, DAYS_30, DAYS_30))
                .hasMessage("dispute.abuse.purchase-window must be a positive duration such as P30D (was PT0S)");
        assertThatThrownBy(() -> new AbuseProperties(DAYS_30, DAYS_30, DAYS_30, null))
                .hasMessageContaining("dispute.abuse.merchant-window").hasMessageContaining("was null");
        assertThatThrownBy(() -> new AbuseProperties(DAYS_30.negated(), DAYS_30, DAYS_30, DAYS_30))
                .hasMessageContaining("dispute.abuse.customer-window");
        assertThat(new AbuseProperties(DAYS_30, DAYS_30, Duration.ofDays(180), DAYS_30).cardKeyWindow())
                .isEqualTo(Duration.ofDays(180));
    }
}
