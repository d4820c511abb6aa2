package cn.kameng.refunddesk.evidence;

import java.time.Instant;
import java.util.Optional;

/** Port: the supplier's record of a card key (卡密) — was it redeemed, when, by whom. Sandbox adapter in sandbox/. */
public interface CardKeySupplier {

    enum Status { UNUSED, REDEEMED, EXPIRED }

    record Redemption(Status status, Instant redeemedAt, String redeemedBy) {
    }

    /** The supplier's record of the key, or empty if the supplier does not know it. */
    Optional<Redemption> redemption(String cardKey);
}
