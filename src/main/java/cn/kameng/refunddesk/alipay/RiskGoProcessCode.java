package cn.kameng.refunddesk.alipay;

import cn.kameng.refunddesk.complaint.ComplaintSource.Resolution;

/**
 * {@code process_code} of {@code alipay.security.risk.complaint.process.finish} (商家处理投诉结果码), spelled as
 * Alipay does ({@code ORTHER} included), and which settlement each one tells Alipay.
 */
enum RiskGoProcessCode {
    CONSENSUS_WITH_CLIENT("已联系到用户，协商一致，无异议"),
    RECTIFICATION_NO_REFUND("不涉及退款，已针对投诉内容进行整改"),
    REFUND("已退款，用户无异议"),
    SUBMIT_PROOF_NOT_CONTACTED("已提交证明材料"),
    ORTHER("其他");

    private final String label;

    RiskGoProcessCode(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /**
     * Refunded: REFUND. Replaced: nothing to refund, what the buyer complained of is put right
     * (RECTIFICATION_NO_REFUND). Rejected with reasons: our proof is submitted (SUBMIT_PROOF_NOT_CONTACTED).
     */
    static RiskGoProcessCode of(Resolution resolution) {
        return switch (resolution) {
            case REFUNDED -> REFUND;
            case REPLACED -> RECTIFICATION_NO_REFUND;
            case REJECTED -> SUBMIT_PROOF_NOT_CONTACTED;
        };
    }
}
