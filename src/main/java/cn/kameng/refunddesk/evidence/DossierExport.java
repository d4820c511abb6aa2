package cn.kameng.refunddesk.evidence;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import cn.kameng.refunddesk.abuse.AbuseFlags;
import cn.kameng.refunddesk.appeal.Appeals;
import cn.kameng.refunddesk.calendar.WorkingDays;
import cn.kameng.refunddesk.dispute.Caller;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeAccess;
import cn.kameng.refunddesk.dispute.Journal;
import cn.kameng.refunddesk.dispute.Money;
import cn.kameng.refunddesk.dispute.Party;
import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.dispute.Timeline;
import cn.kameng.refunddesk.ledger.DepositLedger;
import cn.kameng.refunddesk.refund.Refund;
import cn.kameng.refunddesk.refund.RefundRecords;

/**
 * The dossier of a dispute, to hand to 12315, 黑猫投诉, a payment channel or the police: a ZIP with
 * summary.txt (parties, amounts, merchant answer, rulings, refunds, verification checks, required
 * evidence, the whole timeline), every evidence file that still matches its fingerprint under evidence/,
 * and manifest-sha256.txt in sha256sum format ({@code sha256sum -c manifest-sha256.txt} checks it).
 * A file that is missing or changed is not included; the summary says so.
 */
@Service
public class DossierExport {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(WorkingDays.BEIJING);

    private final DisputeAccess access;
    private final EvidenceRecords records;
    private final EvidenceService evidence;
    private final EvidenceChecks checks;
    private final RequiredEvidence required;
    private final Timeline timeline;
    private final RefundRecords refunds;
    private final Journal journal;
    private final DepositLedger ledger;
    private final Appeals appeals;
    private final AbuseFlags abuseFlags;

    DossierExport(DisputeAccess access, EvidenceRecords records, EvidenceService evidence, EvidenceChecks checks,
            RequiredEvidence required, Timeline timeline, RefundRecords refunds, Journal journal, DepositLedger ledger,
            Appeals appeals, AbuseFlags abuseFlags) {
        this.abuseFlags = abuseFlags;
        this.ledger = ledger;
        this.appeals = appeals;
        this.access = access;
        this.records = records;
        this.evidence = evidence;
        this.checks = checks;
        this.required = required;
        this.timeline = timeline;
        this.refunds = refunds;
        this.journal = journal;
    }

    @Transactional
    public byte[] export(Caller caller, String disputeId) {
        Dispute d = access.findVisible(caller, disputeId);
        Instant now = ServiceClock.now();
        List<Evidence> items = records.of(d.id());
        List<String> manifest = new ArrayList<>();
        List<String> evidenceLines = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            int n = 0;
            for (Evidence e : items) {
                n++;
                String path = String.format("evidence/%02d-%s-%s", n, e.kind(), e.fileName());
                EvidenceService.Read read = evidence.read(e);
                String state;
                if (read instanceof EvidenceService.Read.Intact intact) {
                    zip.putNextEntry(new ZipEntry(path));
                    zip.write(intact.content());
                    zip.closeEntry();
                    manifest.add(e.sha256() + "  " + path);
                    state = path;
                } else {
                    state = read instanceof EvidenceService.Read.Missing ? "未附：文件已丢失 NOT INCLUDED: missing"
                            : "未附：文件与上传时的指纹不符 NOT INCLUDED: no longer matches its SHA-256";
                }
                evidenceLines.add(String.format("%02d. %s %s · %s · %s · %s · %d bytes · 上传 %s%s%n    sha256 %s%n    %s",
                        n, e.partyLabel(), e.uploadedBy(), e.kind(), e.fileName(), e.contentType(), e.sizeBytes(),
                        TIME.format(e.uploadedAt()), e.capturedAt() == null ? "" : " · EXIF 拍摄时间 " + e.capturedAt()
                                + "（相机本地时间）", e.sha256(), state));
            }
            byte[] summary = summary(d, caller, now, evidenceLines).getBytes(StandardCharsets.UTF_8);
            zip.putNextEntry(new ZipEntry("summary.txt"));
            zip.write(summary);
            zip.closeEntry();
            manifest.add(0, EvidenceStore.sha256(summary) + "  summary.txt");
            zip.putNextEntry(new ZipEntry("manifest-sha256.txt"));
            zip.write((String.join("\n", manifest) + "\n").getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        journal.record(d, caller.userId(), "DOSSIER_EXPORTED", caller.userId() + " 导出了争议档案（" + items.size()
                + " 份证据）。", Journal.Notify.NOBODY);
        return bytes.toByteArray();
    }

    private String summary(Dispute d, Caller caller, Instant now, List<String> evidenceLines) {
        StringBuilder s = new StringBuilder();
        s.append("争议档案 Dispute dossier ").append(d.id()).append('\n');
        s.append("导出 Exported ").append(TIME.format(now)).append("（北京时间）by ").append(caller.userId()).append("\n\n");
        s.append("== 当事人 Parties ==\n");
        s.append("买家 Customer: ").append(d.customerId()).append('\n');
        s.append("商家 Merchant: ").append(d.merchantId()).append('\n');
        s.append("订单 Order: ").append(d.orderId()).append(" · ").append(d.productCategory()).append(" · 发货 ")
                .append(d.deliveredAt() == null ? "未发货" : TIME.format(d.deliveredAt())).append('\n');
        s.append("原因 Reason: ").append(d.reason().label()).append(" (").append(d.reason()).append(")\n");
        s.append("描述 Description: ").append(d.description()).append("\n\n");
        s.append("== 金额 Amounts ==\n");
        s.append("实付 Paid: ").append(Money.yuan(d.paidAmountFen())).append("（").append(d.paidAmountFen())
                .append(" 分）via ").append(d.paymentChannel()).append('\n');
        s.append("主张 Claimed: ").append(Money.yuan(d.claimedAmountFen())).append('\n');
        s.append("批准 Approved: ").append(d.approvedAmountFen() == null ? "-" : Money.yuan(d.approvedAmountFen()))
                .append("\n\n");
        s.append("== 处理结果 Answers and rulings ==\n");
        s.append("商家答复 Merchant: ").append(nz(d.merchantDecision() == null ? null : d.merchantDecision().name())).append(d.merchantMessage() == null ? ""
                : " · " + d.merchantMessage()).append('\n');
        s.append("仲裁 Ruling: ").append(nz(d.ruling() == null ? null : d.ruling().name())).append(d.rulingReason() == null ? "" : " · " + d.rulingReason())
                .append(d.ruledBy() == null ? "" : " · by " + d.ruledBy()).append('\n');
        if (caller.isStaff()) { // never in a party's copy (docs/adr/0067-abuse-flags.md)
            var flags = abuseFlags.of(d.id());
            s.append("风险提示 Abuse flags（仅工作人员可见，仅供参考 staff only, never decisive）: ")
                    .append(flags.isEmpty() ? "无 none" : "").append('\n');
            flags.forEach(f -> s.append("  ").append(f.flag()).append(" · ").append(f.label()).append(" · ")
                    .append(f.audience()).append(" · ").append(TIME.format(f.raisedAt())).append(" · ")
                    .append(f.sentence()).append(" 统计：").append(f.facts()).append('\n'));
        }
        appeals.of(d.id()).ifPresent(a -> s.append("申诉 Appeal: ").append(a.party()).append(' ').append(a.appellant())
                .append(" · ").append(TIME.format(a.filedAt())).append(" · 原裁决 ").append(a.ruling()).append(" by ")
                .append(nz(a.ruledBy())).append(" · ").append(a.statement()).append('\n')
                .append("申诉结果 Appeal decision: ").append(a.status()).append(a.decidedBy() == null ? ""
                        : " · by " + a.decidedBy() + " · " + TIME.format(a.decidedAt()) + " · " + a.decisionNote())
                .append('\n'));
        s.append("商家举证不能 Merchant proof missing: ").append(d.merchantProofMissing()).append('\n');
        s.append("状态 Status: ").append(d.status()).append(" · 结果 Outcome: ")
                .append(d.outcome() == null ? "-" : d.outcome()).append(d.outcomeReason() == null ? ""
                        : " · " + d.outcomeReason()).append('\n');
        s.append("开启 Opened: ").append(TIME.format(d.openedAt())).append(" · 关闭 Closed: ")
                .append(d.closedAt() == null ? "-" : TIME.format(d.closedAt())).append("\n\n");
        s.append("== 退款 Refunds ==\n");
        List<Refund> rs = refunds.of(d.id());
        if (rs.isEmpty()) {
            s.append("（无）\n");
        }
        rs.forEach(r -> s.append(r.id()).append(" · ").append(r.channel()).append(" · ").append(Money.yuan(r.amountFen()))
                .append(" · ").append(r.status()).append(" · key ").append(r.idempotencyKey()).append(" · 申请 ")
                .append(TIME.format(r.requestedAt())).append(r.settledAt() == null ? "" : " · 完成 "
                        + TIME.format(r.settledAt())).append('\n'));
        s.append("\n== 保证金与先行赔付 Who pays (the merchant's deposit ledger) ==\n");
        ledger.ofDispute(d.id()).ifPresentOrElse(l -> {
            s.append("主张 Claimed ").append(Money.yuan(l.claimedFen())).append(" · 冻结 Held ").append(Money.yuan(l.heldFen()))
                    .append(" · 保证金不足 Shortfall ").append(Money.yuan(l.shortfallFen())).append(" · ").append(l.status())
                    .append(l.bearer() == null ? "" : " · 承担 Borne by " + l.bearer()).append('\n');
            if (l.entries().isEmpty()) {
                s.append("（无分录 no ledger entries yet）\n");
            }
            l.entries().forEach(e -> s.append(TIME.format(e.createdAt())).append("  ").append(e.transactionId())
                    .append("  ").append(e.kind()).append("  ").append(e.accountId()).append("  ")
                    .append(e.amountFen() > 0 ? "+" : "").append(e.amountFen()).append(" 分  ").append(nz(e.note()))
                    .append('\n'));
        }, () -> s.append("（无 none）\n"));
        s.append("\n== 平台记录核验 Checks against the platform's records ==\n");
        List<EvidenceChecks.Entry> entries = checks.of(d.id());
        if (entries.isEmpty()) {
            s.append("（尚未核验 not checked yet）\n");
        }
        entries.forEach(e -> s.append(e.name()).append(" · ").append(e.result()).append(" · ").append(e.detail())
                .append(" · ").append(TIME.format(e.checkedAt())).append('\n'));
        s.append("\n== 举证要求 Required evidence (processes/required-evidence.dmn) ==\n");
        for (Party party : List.of(Party.CUSTOMER, Party.MERCHANT)) {
            List<RequiredEvidence.Requirement> missing = required.missing(d, party);
            required.of(d.reason(), party).forEach(r -> s.append(party).append(" · ").append(r)
                    .append(missing.contains(r) ? " · 缺少 MISSING" : " · 已提供 brought").append('\n'));
        }
        s.append("\n== 证据 Evidence ==\n");
        if (evidenceLines.isEmpty()) {
            s.append("（无）\n");
        }
        evidenceLines.forEach(l -> s.append(l).append('\n'));
        s.append("\n== 时间线 Timeline（北京时间）==\n");
        timeline.of(d.id()).forEach(e -> s.append(TIME.format(e.at())).append("  ").append(e.actor()).append("  ")
                .append(e.event()).append("  ").append(e.message()).append('\n'));
        return s.toString();
    }

    private static String nz(String text) {
        return text == null ? "-" : text;
    }
}
