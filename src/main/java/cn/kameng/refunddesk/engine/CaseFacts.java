package cn.kameng.refunddesk.engine;

import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.abuse.AbuseFlags;
import cn.kameng.refunddesk.abuse.Audience;
import cn.kameng.refunddesk.abuse.RaisedFlag;
import cn.kameng.refunddesk.appeal.Appeals;
import cn.kameng.refunddesk.calendar.WorkingDays;
import cn.kameng.refunddesk.complaint.ChannelComplaintRecords;
import cn.kameng.refunddesk.complaint.Complaint;
import cn.kameng.refunddesk.complaint.ComplaintRecords;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.DisputeRepository;
import cn.kameng.refunddesk.dispute.DisputeRules;
import cn.kameng.refunddesk.dispute.ServiceClock;
import cn.kameng.refunddesk.dispute.Money;
import cn.kameng.refunddesk.dispute.Outcome;
import cn.kameng.refunddesk.dispute.Party;
import cn.kameng.refunddesk.dispute.Timeline;
import cn.kameng.refunddesk.evidence.Evidence;
import cn.kameng.refunddesk.evidence.EvidenceChecks;
import cn.kameng.refunddesk.evidence.EvidenceRecords;
import cn.kameng.refunddesk.evidence.RequiredEvidence;
import cn.kameng.refunddesk.process.ProcessIds.Task;
import cn.kameng.refunddesk.process.ProcessIds.Var;
import cn.kameng.refunddesk.refund.Refund;
import cn.kameng.refunddesk.refund.RefundService;
import cn.kameng.refunddesk.ledger.DepositLedger;
import cn.kameng.refunddesk.ledger.LedgerEntry;
import cn.kameng.refunddesk.restriction.Restrictions;

/**
 * The case's facts a staff form shows read-only at the top: order, parties, amounts, channel,
 * reason, the merchant's answer, the evidence with its checks and links, what is missing, the
 * timeline. Read from the dispute's own tables each time the form is opened ({@link CaseFactsOnForms}),
 * never stored as process or task variables: they hold the parties' own words, which must not reach
 * Cockpit or the engine's history, and a stored copy would go stale while the task waits.
 */
@Component
class CaseFacts {

    /** The staff task a form is opened for: which step, which dispute, and its complaint if any. */
    record StaffTask(String taskDefinitionKey, String disputeId, String complaintId, Date dueDate) {
    }

    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(WorkingDays.BEIJING);

    private final DisputeRepository disputes;
    private final EvidenceRecords evidence;
    private final Timeline timeline;
    private final RefundService refunds;
    private final ComplaintRecords complaints;
    private final EvidenceChecks evidenceChecks;
    private final RequiredEvidence requiredEvidence;
    private final Restrictions restrictions;
    private final DepositLedger ledger;
    private final long fourEyesThresholdFen;
    private final Appeals appeals;
    private final AbuseFlags abuseFlags;
    private final ChannelComplaintRecords channelComplaints;

    CaseFacts(DisputeRepository disputes, EvidenceRecords evidence, Timeline timeline, RefundService refunds,
            ComplaintRecords complaints, EvidenceChecks evidenceChecks, RequiredEvidence requiredEvidence,
            Restrictions restrictions, DisputeRules rules, DepositLedger ledger, Appeals appeals,
            AbuseFlags abuseFlags, ChannelComplaintRecords channelComplaints) {
        this.abuseFlags = abuseFlags;
        this.channelComplaints = channelComplaints;
        this.appeals = appeals;
        this.ledger = ledger;
        this.restrictions = restrictions;
        this.fourEyesThresholdFen = rules.fourEyesThresholdFen();
        this.evidenceChecks = evidenceChecks;
        this.requiredEvidence = requiredEvidence;
        this.disputes = disputes;
        this.evidence = evidence;
        this.timeline = timeline;
        this.refunds = refunds;
        this.complaints = complaints;
    }

    Map<String, Object> of(StaffTask task) {
        Dispute d = disputes.get(task.disputeId());
        Map<String, Object> facts = new HashMap<>();
        facts.put("disputeId", d.id());
        facts.put("orderId", d.orderId());
        facts.put("customerId", d.customerId());
        facts.put("merchantId", d.merchantId());
        facts.put("reasonLabel", d.reason().label());
        facts.put("description", d.description());
        facts.put("paymentChannel", d.paymentChannel().label());
        facts.put("productCategory", d.productCategory().label());
        facts.put("paidAmountFen", d.paidAmountFen());
        facts.put("paidAmountYuan", Money.yuan(d.paidAmountFen()));
        facts.put("paidAmountText", yuanAndFen(d.paidAmountFen()));
        facts.put("claimedAmountYuan", Money.yuan(d.claimedAmountFen()));
        facts.put("claimedAmountText", yuanAndFen(d.claimedAmountFen()));
        facts.put("merchantAnswer", merchantAnswer(d));
        List<Evidence> items = evidence.of(d.id());
        facts.put("evidenceLinks", evidenceLinks(items));
        facts.put("evidenceChecks", evidenceChecks.of(d.id()).stream().map(c -> c.line())
                .collect(Collectors.joining("\n")));
        String missing = missingEvidence(d);
        facts.put("missingEvidence", missing);
        facts.put("timelineSummary", timeline.of(d.id()).stream()
                .map(e -> TIME.format(e.at()) + "  " + e.message()).collect(Collectors.joining("\n")));
        facts.put("disputeStatusText", d.status().label() + (d.outcome() == null ? "" : " · " + d.outcome().label()
                + (d.outcomeReason() == null ? "" : "（" + d.outcomeReason() + "）")));
        String deadline = task.dueDate() == null ? "-" : TIME.format(task.dueDate().toInstant()) + "（北京时间，"
                + timeLeft(task.dueDate().toInstant(), ServiceClock.now()) + "）";
        facts.put("deadlineText", deadline);
        facts.put("summaryText", "**" + yuanAndFen(d.claimedAmountFen()) + "** · " + d.reason().label()
                + " · 截止 **" + deadline + "**\n\n" + missing.replace("\n", "；"));
        facts.put("dossierLink", "[下载案卷 ZIP（摘要、时间线、全部证据及指纹清单）](/api/v1/disputes/" + d.id() + "/dossier)");
        switch (task.taskDefinitionKey()) {
            case Task.REVIEW_REFUND_REQUEST -> facts.put("abuseFlagsText", flagsText(d, EnumSet.of(Audience.REVIEWER)));
            case Task.ARBITRATE_DISPUTE, Task.DECIDE_APPEAL ->
                    facts.put("abuseFlagsText", flagsText(d, EnumSet.of(Audience.REVIEWER, Audience.ARBITER)));
            default -> { }
        }
        switch (task.taskDefinitionKey()) {
            case Task.ARBITRATE_DISPUTE -> {
                facts.put("burdenOfProofNote", d.merchantProofMissing()
                        ? "商家举证不能：商家未提供发货或商品有效的证明，按规则应裁决支持买家。" : "");
                facts.put("fourEyesNote", d.claimedAmountFen() >= fourEyesThresholdFen
                        ? "四眼审批：退款金额达到 " + Money.yuan(fourEyesThresholdFen) + " 的裁决（本案申请 "
                                + Money.yuan(d.claimedAmountFen()) + "），提交后须由另一位高级仲裁员审批才执行。" : "");
                facts.put(Var.APPROVED_AMOUNT_FEN, d.claimedAmountFen());
            }
            case Task.REVIEW_REFUND_REQUEST -> facts.put(Var.APPROVED_AMOUNT_FEN, d.claimedAmountFen());
            case Task.APPROVE_RULING -> {
                facts.put("arbiterId", d.ruledBy());
                facts.put("rulingReasonText", d.rulingReason());
                facts.put("rulingAmountText", d.approvedAmountFen() == null ? null
                        : Money.yuan(d.approvedAmountFen()) + "（" + d.approvedAmountFen() + " 分）");
            }
            case Task.RESOLVE_REFUND_EXCEPTION -> refunds.live(d.id()).ifPresent(r -> {
                facts.put("refundStatus", r.status().label());
                facts.put("refundFailureReason", r.failureReason() == null ? reasonFor(r)
                        : r.status().label() + "（渠道说明：" + r.failureReason() + "）");
                facts.put("refundAmountFen", r.amountFen());
                facts.put("refundIdempotencyKey", r.idempotencyKey());
            });
            case Task.HANDLE_EXTERNAL_COMPLAINT -> {
                complaints.find(task.complaintId()).ifPresent(c -> {
                    putComplaint(facts, c);
                    putChannelComplaint(facts, c, items);
                });
                // the complaint outlives a withdrawal: the handler decides knowing the buyer withdrew
                facts.put("withdrawnNote", d.outcome() == Outcome.WITHDRAWN
                        ? "买家已于 " + TIME.format(d.closedAt()) + " 撤回此争议。如按投诉要求退款，争议将重新打开并退款；如买家已与商家和解，请在答复中说明。"
                        : "");
            }
            case Task.REVIEW_ACCOUNT_RESTRICTION -> {
                var r = restrictions.ofDispute(d.id());
                facts.put("restrictionReason", r.reason());
                facts.put("restrictionSince", TIME.format(r.createdAt()) + "（北京时间）");
                facts.put("arbiterId", d.ruledBy());
                facts.put("contestStatement", r.contestStatement());
                facts.put("contestedAt", r.contestedAt() == null ? "-" : TIME.format(r.contestedAt()) + "（北京时间）");
            }
            case Task.DECIDE_APPEAL -> appeals.of(d.id()).ifPresent(a -> {
                facts.put("appealParty", a.party() == Party.MERCHANT ? "商家" : "买家");
                facts.put("appellant", a.appellant());
                facts.put("appealStatement", a.statement());
                facts.put("appealFiledAt", TIME.format(a.filedAt()) + "（北京时间）");
                facts.put("arbiterId", a.ruledBy());
                facts.put("rulingText", a.ruling().label());
                facts.put("rulingReasonText", d.rulingReason());
                facts.put("appealEvidenceLinks", evidenceLinks(items.stream()
                        .filter(e -> e.uploadedAt() != null && !e.uploadedAt().isBefore(a.filedAt())).toList()));
                facts.put("appealOutcomeNote", a.party() == Party.MERCHANT
                        ? "撤销：买家已获的退款不受影响，退款改由平台赔偿基金承担，商家保证金退回。维持：不作任何变动。"
                        : "撤销：按裁决支持买家的方式退款（争议重新打开）。维持：不作任何变动。");
                facts.put("summaryText", "**" + (a.party() == Party.MERCHANT ? "商家" : "买家") + "申诉** 原裁决「"
                        + a.ruling().label() + "」（" + a.ruledBy() + "）· " + yuanAndFen(d.claimedAmountFen())
                        + " · 截止 **" + deadline + "**");
            });
            case Task.RECOVER_RECEIVABLE -> {
                long owed = ledger.owedFor(d.id());
                long advanced = ledger.ofDispute(d.id()).map(s -> s.entries().stream()
                        .filter(e -> "REFUND_SETTLED".equals(e.kind()) && e.accountId().startsWith("RECEIVABLE:"))
                        .mapToLong(LedgerEntry::amountFen).sum()).orElse(0L);
                facts.put("receivableOwedFen", owed);
                facts.put("receivableOwedText", yuanAndFen(owed));
                facts.put("receivableAdvancedText", yuanAndFen(advanced));
                facts.put("summaryText", "商家 **" + d.merchantId() + "** 就争议 " + d.id() + " 尚欠 **" + yuanAndFen(owed)
                        + "** · 截止 **" + deadline + "**");
            }
            default -> { }
        }
        if (facts.get("refundFailureReason") != null) {
            facts.put("summaryText", facts.get("summaryText") + "\n\n退款：" + facts.get("refundFailureReason"));
        }
        return facts;
    }

    /** The dispute's abuse flags for this form's staff, one Markdown line each (processes/abuse-flags.dmn). */
    private String flagsText(Dispute d, java.util.Set<Audience> audiences) {
        List<RaisedFlag> flags = abuseFlags.forForm(d.id(), audiences);
        return flags.isEmpty() ? "无" : flags.stream().map(RaisedFlag::line).collect(Collectors.joining("\n"));
    }

    private static String words(List<RequiredEvidence.Requirement> missing) {
        return missing.stream().map(RequiredEvidence.Requirement::words).collect(Collectors.joining("；"));
    }

    /** ¥ with fen, as a field that takes fen needs it: ¥25.00（2500 分）. */
    static String yuanAndFen(Long fen) {
        return fen == null ? "-" : Money.yuan(fen) + "（" + fen + " 分）";
    }

    /** How long is left until a deadline, or how long it is overdue, in whole days, hours or minutes. */
    static String timeLeft(java.time.Instant due, java.time.Instant now) {
        java.time.Duration left = java.time.Duration.between(now, due);
        java.time.Duration size = left.abs();
        String amount = size.toDays() >= 2 ? size.toDays() + " 天" : size.toHours() >= 1 ? size.toHours() + " 小时"
                : Math.max(1, size.toMinutes()) + " 分钟";
        return left.isNegative() ? "已逾期 " + amount : "还剩 " + amount;
    }

    private static String reasonFor(cn.kameng.refunddesk.refund.Refund r) {
        if (r.receivedAmountFen() != null && r.receivedAmountFen() < r.amountFen()) {
            return "买家反馈到账 " + Money.yuan(r.receivedAmountFen()) + "，少于应退 " + Money.yuan(r.amountFen());
        }
        if (r.settledAmountFen() != null && r.settledAmountFen() < r.amountFen()) {
            return "渠道退款 " + Money.yuan(r.settledAmountFen()) + "，少于应退 " + Money.yuan(r.amountFen());
        }
        return "退款未在到账时限内确认（" + r.status().label() + "）";
    }

    private static void putComplaint(Map<String, Object> facts, Complaint c) {
        facts.put("complaintChannel", c.channel().label());
        facts.put("complaintExternalId", c.externalId());
        facts.put("complaintSummary", c.summary());
        facts.put("complaintDueText", TIME.format(c.dueAt()) + "（北京时间）");
    }

    /**
     * A complaint that came through a channel's API: the buyer's words, the images (evidence links), the
     * negotiation so far, the channel's own deadlines and what will be sent back to the channel.
     */
    private void putChannelComplaint(Map<String, Object> facts, Complaint c, List<Evidence> items) {
        var taken = channelComplaints.ofComplaint(c.id()).orElse(null);
        if (taken == null) {
            facts.put("complaintSource", "人工录入（" + c.channel().label() + "无商户接口，答复不会自动发送）");
            facts.put("complaintBuyerWords", c.summary());
            facts.put("complaintHistoryText", "");
            facts.put("complaintImageLinks", "（无）");
            facts.put("complaintChannelDeadlines", "答复截止 " + TIME.format(c.dueAt()) + "（北京时间）");
            facts.put("complaintAnswerPreview", "答复只记录在本平台；请另行在" + c.channel().label() + "提交。");
            facts.put("complaintImageOptions", List.of()); // nothing is sent, so nothing to pick
            return;
        }
        facts.put("complaintImageOptions", imageOptions(items));
        facts.put("complaintSource", c.channel().label() + " · 接口 `" + taken.source() + "` · 渠道状态 "
                + taken.channelStatus() + (taken.problemType() == null ? "" : " · 问题类型 " + taken.problemType())
                + (taken.amountFen() == null ? "" : " · 金额 " + Money.yuan(taken.amountFen()))
                + (taken.refundRequested() ? " · 买家申请退款" : ""));
        facts.put("complaintBuyerWords", taken.buyerWords());
        facts.put("complaintHistoryText", channelComplaints.history(taken.id()).stream()
                .map(h -> (h.at() == null ? "-" : TIME.format(h.at())) + "  " + switch (h.by()) {
                    case BUYER -> "买家";
                    case MERCHANT -> "商家";
                    case CHANNEL -> "渠道";
                } + "（" + h.channelAction() + "）：" + (h.text() == null ? "" : h.text())
                        + (h.imageCount() == 0 ? "" : "〔图片 " + h.imageCount() + " 张〕"))
                .collect(Collectors.joining("\n")));
        var ids = java.util.Set.copyOf(channelComplaints.imageEvidence(taken.id()));
        facts.put("complaintImageLinks", evidenceLinks(items.stream().filter(e -> ids.contains(e.id())).toList()));
        facts.put("complaintChannelDeadlines", (taken.replyDueAt() == null ? "" : "首次回复 **"
                + TIME.format(taken.replyDueAt()) + "**") + (taken.completeDueAt() == null ? "" : " · 处理完结 **"
                + TIME.format(taken.completeDueAt()) + "**") + "（北京时间，按渠道规则"
                + (taken.replyCountedOn() == cn.kameng.refunddesk.calendar.Deadlines.CountedOn.CALENDAR_TIME
                        ? "以自然小时计" : "以工作日计") + "）");
        facts.put("complaintAnswerPreview", "提交后将经接口自动发给" + c.channel().label() + "：\n"
                + "1. 回复买家：您填写的「对投诉的答复」原文"
                + (c.channel() == cn.kameng.refunddesk.dispute.ComplaintChannel.WECHAT_PAY ? "（微信支付限 200 字）" : "")
                + "；\n2. 选择「退款」：退款发起时" + (taken.refundRequested() ? "同意买家的退款申请（当天发起），" : "")
                + "退款成功后标记处理完成（已退款）；\n3. 选择「维持原处理」：争议结案时按结果标记处理完成（驳回时附驳回理由"
                + (taken.refundRequested() ? "，并拒绝退款申请" : "") + "；补发时说明已补发）；\n4. 图片：勾选的图片随答复上传，"
                + "驳回时附商家提交的图片证据（按提交顺序）；超出渠道张数、格式或大小限制的不发送，并记在该答复上。");
    }

    /**
     * The dispute's image evidence as the complaint form's checklist offers it ({@code complaintImages}): the
     * evidence id as the value, the file, who gave it and what it is as the label (ADR 0071).
     */
    static List<Map<String, String>> imageOptions(List<Evidence> items) {
        return items.stream().filter(e -> e.tamperedAt() == null
                && cn.kameng.refunddesk.complaint.ChannelAnswers.IMAGE_TYPES.contains(e.contentType()))
                .map(e -> Map.of("value", e.id(), "label", e.fileName() + " · " + e.partyLabel() + " " + e.uploadedBy()
                        + " · " + e.kind().label() + " · " + e.contentType() + " · " + e.sizeBytes() / 1024 + " KB"))
                .toList();
    }

    private static String merchantAnswer(Dispute d) {
        if (d.merchantDecision() == null) {
            return "商家尚未答复";
        }
        return switch (d.merchantDecision()) {
            case ACCEPT, NO_ANSWER -> d.merchantDecision().label();
            case ACCEPT_PARTIAL -> d.merchantDecision().label() + " " + Money.yuan(d.merchantOfferFen());
            case REPLACE -> "已" + d.merchantDecision().label();
            case REFUSE -> "拒绝：" + d.merchantMessage();
        };
    }

    /** What each side still lacks of what processes/required-evidence.dmn asks for the reason. */
    private String missingEvidence(Dispute d) {
        var customer = requiredEvidence.missing(d, Party.CUSTOMER);
        var merchant = requiredEvidence.missing(d, Party.MERCHANT);
        if (customer.isEmpty() && merchant.isEmpty()) {
            return "双方已提供该原因要求的证据";
        }
        return (customer.isEmpty() ? "" : "买家缺少：" + words(customer) + "\n")
                + (merchant.isEmpty() ? "" : "商家缺少：" + words(merchant));
    }

    /**
     * One Markdown line per file, linking to the authenticated download: the arbiter's form renders it
     * with form-js's text view, and the link opens with the Tasklist session.
     */
    private static String evidenceLinks(List<Evidence> items) {
        if (items.isEmpty()) {
            return "（无证据）";
        }
        return items.stream().map(e -> "- [" + markdownText(e.fileName()) + "](/api/v1/disputes/" + e.disputeId()
                + "/evidence/" + e.id() + ") · " + e.partyLabel() + " " + e.uploadedBy() + " · " + e.kind().label()
                + " · " + e.contentType() + " · 上传 " + TIME.format(e.uploadedAt())
                + (e.capturedAt() == null ? "" : " · 拍摄 " + e.capturedAt().format(LOCAL_TIME) + "（相机时间）")
                + " · `sha256 " + e.sha256().substring(0, 12) + "`"
                + (e.tamperedAt() == null ? "" : " · **文件与指纹不符，已停止提供**"))
                .collect(Collectors.joining("\n"));
    }

    /** A file name as link text: Markdown's own characters escaped, so a name cannot make a link of its own. */
    static String markdownText(String s) {
        return s.replaceAll("([\\\\`*_{}\\[\\]()#+!<>|~-])", "\\\\$1");
    }
}
