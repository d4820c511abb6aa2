package cn.kameng.refunddesk.sandbox;

import java.sql.Timestamp;
import java.util.Optional;

import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.evidence.CardKeySupplier;

/**
 * The sandbox supplier: keys in sandbox_card_key carry their status; a key it has no row for is one it
 * issued and nobody redeemed (UNUSED). Default profile only.
 */
@Component
@Profile("default")
class SandboxCardKeySupplier implements CardKeySupplier {

    private final JdbcClient jdbc;

    SandboxCardKeySupplier(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void set(String cardKey, Redemption redemption) {
        jdbc.sql("delete from sandbox_card_key where card_key = ?").param(cardKey).update();
        jdbc.sql("insert into sandbox_card_key (card_key, status, redeemed_at, redeemed_by) values (?, ?, ?, ?)")
                .params(cardKey, redemption.status().name(),
                        redemption.redeemedAt() == null ? null : Timestamp.from(redemption.redeemedAt()),
                        redemption.redeemedBy())
                .update();
    }

    @Override
    public Optional<Redemption> redemption(String cardKey) {
        return Optional.of(jdbc.sql("select * from sandbox_card_key where card_key = ?").param(cardKey)
                .query((rs, i) -> {
                    Timestamp at = rs.getTimestamp("redeemed_at");
                    return new Redemption(Status.valueOf(rs.getString("status")), at == null ? null : at.toInstant(),
                            rs.getString("redeemed_by"));
                }).optional().orElse(new Redemption(Status.UNUSED, null, null)));
    }
}
