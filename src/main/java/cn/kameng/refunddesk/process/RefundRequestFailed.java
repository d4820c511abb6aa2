package cn.kameng.refunddesk.process;

/**
 * The refund request did not reach the payment gateway. Its message is what operations read as the
 * job's failure and, once the retries are used up, as the incident in Cockpit: what failed, that a retry
 * is safe, and what to do.
 */
class RefundRequestFailed extends RuntimeException {

    private static final long serialVersionUID = 1L;

    RefundRequestFailed(String disputeId, RuntimeException cause) {
        super("争议 " + disputeId + " 的退款请求未能送达支付渠道：" + cause.getMessage()
                + "。重试使用同一幂等键，不会重复退款：确认渠道恢复后，在 Cockpit 对此作业点击重试（Retry）；"
                + "渠道长期不可用请通知财务。"
                + " | The refund request of dispute " + disputeId + " did not reach the payment gateway ("
                + cause.getMessage() + "). A retry reuses the same idempotency key and cannot pay twice:"
                + " once the gateway is back, retry this job in Cockpit; tell finance if it stays down.", cause);
    }
}
