package cn.kameng.refunddesk.evidence;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.Party;
import cn.kameng.refunddesk.dispute.Reason;
import cn.kameng.refunddesk.process.DecisionTables;
import cn.kameng.refunddesk.process.ProcessIds;

/**
 * What each side must bring for a reason, asked of the decision processes/required-evidence.dmn:
 * the customer to file the formal request, the merchant to contest (its absence rules for the customer).
 */
@Component
public class RequiredEvidence {

    /** One kind of evidence a side must bring, and what it must show. */
    public record Requirement(EvidenceKind kind, String why) {
        @Override
        public String toString() {
            return kind + "（" + why + "）";
        }

        /** For staff: the kind's label instead of its API spelling. */
        public String words() {
            return kind.label() + "（" + why + "）";
        }
    }

    private final DecisionTables decisions;
    private final EvidenceRecords records;

    RequiredEvidence(DecisionTables decisions, EvidenceRecords records) {
        this.decisions = decisions;
        this.records = records;
    }

    public List<Requirement> of(Reason reason, Party party) {
        return decisions.collect(ProcessIds.DECISION_REQUIRED_EVIDENCE, Map.of("reason", reason.name(), "party", party.name()))
                .stream()
                .map(row -> new Requirement(EvidenceKind.valueOf((String) row.get("kind")), (String) row.get("why")))
                .toList();
    }

    /** The requirements of {@code party} for the dispute's reason that no evidence of that party meets yet. */
    public List<Requirement> missing(Dispute dispute, Party party) {
        Set<EvidenceKind> brought = records.of(dispute.id()).stream().filter(e -> e.party() == party)
                .map(Evidence::kind).collect(Collectors.toCollection(() -> EnumSet.noneOf(EvidenceKind.class)));
        return of(dispute.reason(), party).stream().filter(r -> !brought.contains(r.kind())).toList();
    }
}
