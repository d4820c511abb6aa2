package cn.kameng.refunddesk.evidence;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.DecisionService;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.process.ProcessIds;

/**
 * What each side must bring for a reason, asked of the decision processes/required-evidence.dmn:
 * the customer to file the formal request, the merchant to contest (its absence rules for the customer).
 */
@Component
public class RequiredEvidence {

    public static final String CUSTOMER = "CUSTOMER";
    public static final String MERCHANT = "MERCHANT";

    /** One kind of evidence a side must bring, and what it must show. */
    public record Requirement(EvidenceKind kind, String why) {
        @Override
        public String toString() {
            return kind + "（" + why + "）";
        }
    }

    private final DecisionService decisions;
    private final EvidenceRecords records;

    RequiredEvidence(DecisionService decisions, EvidenceRecords records) {
        this.decisions = decisions;
        this.records = records;
    }

    public List<Requirement> of(Reason reason, String party) {
        return decisions.evaluateDecisionByKey(ProcessIds.DECISION_REQUIRED_EVIDENCE)
                .variables(Map.of("reason", reason.name(), "party", party)).evaluate().getResultList().stream()
                .map(row -> new Requirement(EvidenceKind.valueOf((String) row.get("kind")), (String) row.get("why")))
                .toList();
    }

    /** The requirements of {@code party} for the dispute's reason that no evidence of that party meets yet. */
    public List<Requirement> missing(Dispute dispute, String party) {
        Set<EvidenceKind> brought = records.of(dispute.id()).stream().filter(e -> party.equals(e.party()))
                .map(Evidence::kind).collect(Collectors.toCollection(() -> EnumSet.noneOf(EvidenceKind.class)));
        return of(dispute.reason(), party).stream().filter(r -> !brought.contains(r.kind())).toList();
    }
}
