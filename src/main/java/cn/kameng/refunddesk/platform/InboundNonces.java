package cn.kameng.refunddesk.platform;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

import cn.kameng.refunddesk.dispute.DomainException.NotAuthentic;

/**
 * The nonces of the platform's signed calls seen within the replay window (V15 {@code platform_inbound_nonce}):
 * a request sent again as it was (same nonce) is refused. Older ones are forgotten: their timestamps are refused.
 */
final class InboundNonces {

    private final JdbcClient jdbc;

    InboundNonces(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void remember(String nonce, Instant now, Duration window) {
        jdbc.sql("delete from platform_inbound_nonce where seen_at < ?")
                .param(Timestamp.from(now.minus(window.multipliedBy(2)))).update();
        try {
            jdbc.sql("insert into platform_inbound_nonce (nonce, seen_at) values (?, ?)")
                    .params(nonce, Timestamp.from(now)).update();
        } catch (DuplicateKeyException e) {
            throw new NotAuthentic(RequestSigner.NONCE + " '" + nonce + "' was already used: a replayed request is "
                    + "refused; the platform signs every request, and every retry, with a new nonce");
        }
    }
}
