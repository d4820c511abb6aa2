package cn.kameng.refunddesk.evidence;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.Dispute;

/**
 * Embedded default: checks only what the service itself holds (which kinds of evidence the customer
 * brought). Checks against the platform's records come with the real verifier.
 */
@Component
class SandboxEvidenceVerifier implements EvidenceVerifier {

    private static final Set<EvidenceKind> FORMAL_REQUEST_CHAIN = EnumSet.of(EvidenceKind.ORDER_SCREENSHOT,
            EvidenceKind.PAYMENT_RECORD, EvidenceKind.PROBLEM_SCREENSHOT, EvidenceKind.CHAT_RECORD);

    private final EvidenceRecords records;

    SandboxEvidenceVerifier(EvidenceRecords records) {
        this.records = records;
    }

    @Override
    public Check check(Dispute dispute) {
        Set<EvidenceKind> brought = records.of(dispute.id()).stream()
                .filter(e -> "CUSTOMER".equals(e.party())).map(Evidence::kind)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(EvidenceKind.class)));
        Set<EvidenceKind> missing = EnumSet.copyOf(FORMAL_REQUEST_CHAIN);
        missing.removeAll(brought);
        if (missing.isEmpty()) {
            return new Check(true, "买家证据链完整（订单截图、支付记录、问题截图、沟通记录）。");
        }
        return new Check(false, "买家证据链缺少：" + missing + "；对照平台记录的核验尚未接入（沙箱）。");
    }
}
