package cn.kameng.refunddesk.platform;

import java.util.Map;

import cn.kameng.refunddesk.dispute.DomainException.NotAuthentic;
import cn.kameng.refunddesk.order.PaymentChannel;
import cn.kameng.refunddesk.refund.GatewayUnavailableException;
import cn.kameng.refunddesk.refund.PaymentGateway;
import cn.kameng.refunddesk.refund.RefundState;

/**
 * Refunds to the buyer's platform balance: {@code POST /balance-refunds} under our idempotency key (the platform
 * answers a repeat with the first outcome), {@code GET /balance-refunds/{key}} for its state. The platform answers
 * at once (SUCCEEDED or FAILED, PROCESSING if it needs longer); an unknown outcome (timeout, 5xx, refused
 * signature, open breaker) is {@link GatewayUnavailableException}, so the refund job asks and retries under the
 * same key. It sends no notifications: the arrival deadline's query covers a PROCESSING refund.
 */
final class PlatformBalanceGateway implements PaymentGateway {

    static final String NAME = "platform";

    /** The contract's BalanceRefundState. */
    enum BalanceState {
        PROCESSING(RefundState.PROCESSING), SUCCEEDED(RefundState.SUCCEEDED), FAILED(RefundState.FAILED);

        final RefundState state;

        BalanceState(RefundState state) {
            this.state = state;
        }
    }

    /** The contract's BalanceRefundRequest. */
    record RefundBody(String idempotencyKey, String orderId, long amountFen, String reason) {
    }

    /** The contract's BalanceRefund. */
    record AnswerBody(String idempotencyKey, BalanceState state, Long settledAmountFen, String reference,
            String failureReason) {
    }

    private final PlatformClient client;

    PlatformBalanceGateway(PlatformClient client) {
        this.client = client;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean serves(PaymentChannel channel) {
        return channel == PaymentChannel.PLATFORM_BALANCE;
    }

    @Override
    public RefundAnswer requestRefund(RefundRequest request) {
        try {
            return client.post(PlatformSystem.BALANCE, request.idempotencyKey(), new RefundBody(request.idempotencyKey(),
                    request.orderId(), request.amountFen(), request.reason()), AnswerBody.class, "/balance-refunds")
                    .map(b -> answer(request.idempotencyKey(), b))
                    .orElseThrow(() -> new GatewayUnavailableException("the platform balance answered 404 to refund "
                            + request.idempotencyKey() + "; the contract has no 404 there (wrong platform.api.base-url?)"));
        } catch (PlatformClient.Unreachable e) {
            if (e.failure() == PlatformClient.Failure.REFUSED) {
                // a 4xx (not 401/403/404): the platform refused this refund; by the contract no money moved
                return new RefundAnswer(RefundState.FAILED, null, null, e.getMessage());
            }
            throw new GatewayUnavailableException("refund " + request.idempotencyKey() + " to the platform balance: "
                    + "outcome unknown (" + e.getMessage() + "); asked and retried under the same key");
        }
    }

    @Override
    public RefundAnswer queryRefund(String idempotencyKey, String orderId) {
        try {
            return client.get(PlatformSystem.BALANCE, AnswerBody.class, "/balance-refunds/{idempotencyKey}",
                    idempotencyKey).map(b -> answer(idempotencyKey, b))
                    .orElse(new RefundAnswer(RefundState.UNKNOWN, null, null, null));
        } catch (PlatformClient.Unreachable e) {
            throw new GatewayUnavailableException("refund " + idempotencyKey + " to the platform balance: cannot be "
                    + "queried (" + e.getMessage() + ")");
        }
    }

    private static RefundAnswer answer(String key, AnswerBody b) {
        if (b.state() == null || !key.equals(b.idempotencyKey())) {
            throw new GatewayUnavailableException("the platform balance answered refund " + key + " with "
                    + (b.state() == null ? "no state" : "another refund's key " + b.idempotencyKey())
                    + "; outcome unknown");
        }
        return new RefundAnswer(b.state().state, b.state() == BalanceState.SUCCEEDED ? b.settledAmountFen() : null,
                b.reference(), b.failureReason(), b.state() == BalanceState.SUCCEEDED ? "已退回买家平台余额" : null);
    }

    @Override
    public RefundNotification parseNotification(Map<String, String> headers, String body) {
        throw new NotAuthentic("the platform balance sends no refund notifications (docs/platform-api.yaml): its "
                + "refunds are answered at once and queried");
    }
}
