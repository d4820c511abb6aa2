package cn.kameng.refunddesk.engine;

/**
 * The refund request did not reach the payment gateway. Its message is what operations read as the
 * job's failure and, once the retries are used up, as the incident in Cockpit: what failed, that a retry
 * is safe, and what to do.
 */
class RefundRequestFailed extends RuntimeException {

    private static final long serialVersionUID = 1L;

    RefundRequestFailed(String disputeId, RuntimeException cause) {
        // What to do first, then the gateway adapter's own account (in English, with its own advice), then the
        // same advice in English: Camunda keeps only the first 666 characters of a job's message, and Cockpit's
        // incident list shows the beginning.
        super("退款请求未送达支付渠道：渠道恢复后在 Cockpit 对此作业点击重试（Retry），同一幂等键不会重复退款；"
                + "渠道长期不可用请通知财务。争议 " + disputeId + "，原因 Cause: " + cause.getMessage()
                + " | The refund request did not reach the payment gateway: once the gateway is back, retry this job"
                + " in Cockpit (same idempotency key, it cannot pay twice); tell finance if it stays down.", cause);
    }
}
