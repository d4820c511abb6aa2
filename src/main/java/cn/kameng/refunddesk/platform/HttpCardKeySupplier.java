package cn.kameng.refunddesk.platform;

import java.time.Instant;
import java.util.Optional;

import cn.kameng.refunddesk.evidence.CardKeySupplier;

/**
 * The supplier's card-key records through the platform: {@code GET /card-keys/{cardKey}/redemption}. 404: the
 * supplier does not know the key (the check fails); no answer throws, and the check says CANNOT_RUN.
 */
final class HttpCardKeySupplier implements CardKeySupplier {

    /** The contract's CardKeyRedemption schema. */
    record RedemptionBody(String cardKey, Status status, Instant redeemedAt, String redeemedBy) {
    }

    private final PlatformClient client;

    HttpCardKeySupplier(PlatformClient client) {
        this.client = client;
    }

    @Override
    public Optional<Redemption> redemption(String cardKey) {
        return client.get(PlatformSystem.CARD_KEYS, RedemptionBody.class, "/card-keys/{cardKey}/redemption", cardKey)
                .map(b -> {
                    if (b.status() == null) {
                        throw new PlatformClient.Unreachable(PlatformSystem.CARD_KEYS,
                                PlatformClient.Failure.BAD_ANSWER, 200, "the supplier's card-key record has no status",
                                null);
                    }
                    return new Redemption(b.status(), b.redeemedAt(), b.redeemedBy());
                });
    }
}
