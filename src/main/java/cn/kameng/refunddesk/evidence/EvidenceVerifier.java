package cn.kameng.refunddesk.evidence;

import cn.kameng.refunddesk.dispute.Dispute;

/** Port: checks a dispute's evidence against the platform's own records. */
public interface EvidenceVerifier {

    record Check(boolean complete, String summary) {
    }

    Check check(Dispute dispute);
}
