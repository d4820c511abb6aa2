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

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import cn.kameng.refunddesk.api.Api.Res;
import cn.kameng.refunddesk.dispute.Caller;
import cn.kameng.refunddesk.support.DisputeServiceTest;
import cn.kameng.refunddesk.support.TestDisputes;

/**
 * Someone who knows a merchant's user id and tries passwords over the public API slows their own
 * guessing down to one try a minute (429 with Retry-After), but cannot lock the merchant out: the
 * merchant at another address signs in at once, and a minute after the last wrong password the right
 * one works again from the guessing address too, however many wrong ones came before.
 */
@DisputeServiceTest
class SignInAttemptsTest {

    @LocalServerPort int port;
    @Autowired IdentityService identity;
    @Autowired TestDisputes given;
    @Autowired java.util.List<AuthenticationProvider> providers;
    AuthenticationProvider provider;

    Api api;
    String merchant;

    @BeforeEach
    void aMerchant() {
        api = new Api(port);
        provider = providers.stream().filter(p -> p.getClass().getSimpleName().startsWith("CamundaIdentity"))
                .findFirst().orElseThrow();
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

        // Issue 13: a throttled attempt is 429 with Retry-After (it used to be a 401 like a wrong password).
        Res throttled = api.as(merchant, "right-password-1").get("/api/v1/disputes");
        assertThat(throttled.status()).as("right after a wrong password from the same address: still the delay")
                .isEqualTo(429);
        assertThat(Long.parseLong(throttled.headers().getFirst("Retry-After"))).isBetween(1L, 60L);
        assertThat(throttled.text("/detail")).contains("not locked");
        given.moveClock(Duration.ofSeconds(61));
        assertThat(api.as(merchant, "right-password-1").get("/api/v1/disputes").status())
                .as("after 15+ wrong passwords the account is not locked").isEqualTo(200);
        assertThat(identity.createUserQuery().userId(merchant).singleResult()).isNotNull();
    }

    @Test
    void theOwnersRightPasswordFromElsewhereIsNotRefusedBecauseSomeoneGuessedWrong() {
        for (int i = 0; i < 3; i++) {
            assertThat(api.as(merchant, "guess-" + i).get("/api/v1/disputes").status()).isIn(401, 429);
        }
        assertThat(api.as(merchant, "right-password-1").get("/api/v1/disputes").status())
                .as("the guessing address waits").isEqualTo(429);
        // the owner, at another address, signs in at once: Camunda's per-user delay is off
        var owner = new UsernamePasswordAuthenticationToken(merchant, "right-password-1");
        owner.setDetails(new WebAuthenticationDetails("203.0.113.7", null));
        assertThat(provider.authenticate(owner).isAuthenticated()).isTrue();
        assertThat(identity.checkPassword(merchant, "right-password-1")).isTrue();
        // and the engine's door throttles the guessing address too
        Res engine = api.as(merchant, "right-password-1").get("/engine-rest/task");
        assertThat(engine.status()).isEqualTo(429);
        assertThat(engine.headers().getFirst("Retry-After")).isNotNull();
    }
}
