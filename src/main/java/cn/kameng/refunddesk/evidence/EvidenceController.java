package cn.kameng.refunddesk.evidence;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.ContentDisposition;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeAccess;
import cn.kameng.refunddesk.dispute.Party;
import cn.kameng.refunddesk.security.CurrentCaller;

/** The evidence chain of a dispute: its checks against the platform's records, and the dossier export. */
@RestController
@RequestMapping(path = "/api/v1/disputes")
class EvidenceController {

    record CheckView(String name, String result, String detail, Instant checkedAt) {
    }

    record RequirementView(String kind, String why, boolean brought) {
    }

    record ChecksView(String disputeId, List<CheckView> checks, Map<String, List<RequirementView>> required) {
    }

    private final DisputeAccess access;
    private final EvidenceChecks checks;
    private final RequiredEvidence required;
    private final DossierExport dossier;
    private final CurrentCaller caller;

    EvidenceController(DisputeAccess access, EvidenceChecks checks, RequiredEvidence required, DossierExport dossier,
            CurrentCaller caller) {
        this.access = access;
        this.checks = checks;
        this.required = required;
        this.dossier = dossier;
        this.caller = caller;
    }

    @GetMapping(path = "/{id}/evidence-checks", produces = MediaType.APPLICATION_JSON_VALUE)
    @Transactional(readOnly = true)
    ChecksView evidenceChecks(@PathVariable String id) {
        Dispute d = access.findVisible(caller.get(), id);
        Map<String, List<RequirementView>> requirements = new LinkedHashMap<>();
        for (Party party : List.of(Party.CUSTOMER, Party.MERCHANT)) {
            List<RequiredEvidence.Requirement> missing = required.missing(d, party);
            requirements.put(party.name(), required.of(d.reason(), party).stream()
                    .map(r -> new RequirementView(r.kind().name(), r.why(), !missing.contains(r))).toList());
        }
        return new ChecksView(d.id(), checks.of(d.id()).stream()
                .map(c -> new CheckView(c.name().name(), c.result().name(), c.detail(), c.checkedAt())).toList(),
                requirements);
    }

    @GetMapping(path = "/{id}/dossier", produces = MediaType.ALL_VALUE)
    ResponseEntity<byte[]> dossier(@PathVariable String id) {
        byte[] zip = dossier.export(caller.get(), id);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/zip"))
                .header("Content-Disposition", ContentDisposition.attachment()
                        .filename("dossier-" + id + ".zip", StandardCharsets.UTF_8).build().toString())
                .header("X-Content-Type-Options", "nosniff")
                .body(zip);
    }
}
