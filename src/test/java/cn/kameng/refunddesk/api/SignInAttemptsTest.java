package cn.kameng.refunddesk.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Date;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import cn.kameng.refunddesk.dispute.Caller;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;

/**
 * Someone who knows a merchant's user id and tries passwords over the public API slows the guessing
 * down to one try a minute, but cannot lock the merchant out for good: a minute after the last wrong
 * password the right one works again, however many wrong ones came before.
 */
@DisputeServiceTest
class SignInAttemptsTest {

    @LocalServerPort int port;
    @Autowired IdentityService identity;
    @Autowired TestDisputes given;

    Api api;
    String merchant;

    @BeforeEach
    void aMerchant() {
        api = new Api(port);
        ClockUtil.setCurrentTime(new Date());
        merchant = "shop" + Long.toHexString(System.nanoTime());
        User user = identity.newUser(merchant);
        user.setPassword("right-password-1");
        identity.saveUser(user);
        identity.createMembership(merchant, Caller.MERCHANTS);
    }

    @AfterEach
    void resetClock() {
        ClockUtil.reset();
    }

    @Test
    void wrongPasswordsDelayTheNextSignInButNeverLockTheAccount() {
        for (int i = 0; i < 15; i++) {
            assertThat(api.as(merchant, "guess-" + i).get("/api/v1/disputes").status()).isEqualTo(401);
            given.moveClock(Duration.ofSeconds(61)); // an attacker who waits out every delay
        }
        assertThat(api.as(merchant, "guess-last").get("/api/v1/disputes").status()).isEqualTo(401);

        assertThat(api.as(merchant, "right-password-1").get("/api/v1/disputes").status())
                .as("right after a wrong password: still the delay").isEqualTo(401);
        given.moveClock(Duration.ofSeconds(61));
        assertThat(api.as(merchant, "right-password-1").get("/api/v1/disputes").status())
                .as("after 15+ wrong passwords the account is not locked").isEqualTo(200);
        assertThat(identity.createUserQuery().userId(merchant).singleResult()).isNotNull();
    }
}
