package cn.kameng.refunddesk.engine;

import java.util.Arrays;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.appeal.AppealDecision;
import cn.kameng.refunddesk.appeal.Appeals;
import cn.kameng.refunddesk.calendar.DeadlineKind;
import cn.kameng.refunddesk.calendar.Deadlines;
import cn.kameng.refunddesk.complaint.ChannelComplaints;
import cn.kameng.refunddesk.complaint.ComplaintOutcome;
import cn.kameng.refunddesk.complaint.ComplaintService;
import cn.kameng.refunddesk.complaint.TieDecision;
import cn.kameng.refunddesk.dispute.Party;
import cn.kameng.refunddesk.dispute.Ruling;
import cn.kameng.refunddesk.ledger.DepositLedger;
import cn.kameng.refunddesk.ledger.RecoveryDecision;
import cn.kameng.refunddesk.restriction.RestrictionDecision;
import cn.kameng.refunddesk.restriction.Restrictions;
import cn.kameng.refunddesk.process.ProcessIds.Task;
import cn.kameng.refunddesk.process.ProcessIds.Var;
import cn.kameng.refunddesk.workflow.ExceptionResolution;
import cn.kameng.refunddesk.workflow.ReviewDecision;
import cn.kameng.refunddesk.workflow.StaffDecisions;

/**
 * On completion of a staff task: checks the decision on the server, whatever client sent it, and
 * records it. A broken rule fails the completion with a 400 whose message Tasklist shows
 * ({@link DecisionRefused}, {@link DecisionRefusedAsBadRequest}). The free text a form sends (notes,
 * reasons, the answer to a complainant) is then taken off the process: the dispute's tables hold it.
 */
@Component("taskDecisionListener")
class TaskDecisionListener implements TaskListener {

    private final StaffDecisions decisions;
    private final ComplaintService complaints;
    private final Restrictions restrictions;
    private final DepositLedger ledger;
    private final Deadlines deadlines;
    private final Appeals appeals;
    private final ChannelComplaints channelComplaints;

    TaskDecisionListener(StaffDecisions decisions, ComplaintService complaints, Restrictions restrictions,
            DepositLedger ledger, Deadlines deadlines, Appeals appeals, ChannelComplaints channelComplaints) {
        this.channelComplaints = channelComplaints;
        this.appeals = appeals;
        this.ledger = ledger;
        this.deadlines = deadlines;
        this.decisions = decisions;
        this.complaints = complaints;
        this.restrictions = restrictions;
    }

    @Override
    public void notify(DelegateTask task) {
        String disputeId = task.getExecution().getProcessBusinessKey();
        if (TaskListener.EVENTNAME_ASSIGNMENT.equals(task.getEventName())) {
            onAssignment(task, disputeId);
            return;
        }
        String who = whoCompletes(task);
        try {
            switch (task.getTaskDefinitionKey()) {
                case Task.REVIEW_REFUND_REQUEST -> decisions.review(disputeId, choice(task, Var.REVIEW_DECISION, ReviewDecision.class),
                        number(task, Var.APPROVED_AMOUNT_FEN), string(task, Var.REVIEW_NOTE), who);
                case Task.ARBITRATE_DISPUTE -> task.setVariable(Var.FOUR_EYES_REQUIRED, decisions.arbitrate(disputeId,
                        choice(task, Var.RULING, Ruling.class), number(task, Var.APPROVED_AMOUNT_FEN),
                        string(task, Var.RULING_REASON), evidenceFrom(task), who));
                case Task.APPROVE_RULING -> decisions.approveRuling(disputeId, bool(task, Var.RULING_APPROVED),
                        string(task, Var.APPROVAL_NOTE), who);
                case Task.HANDLE_EXTERNAL_COMPLAINT -> answerComplaint(task, who);
                case Task.REVIEW_ACCOUNT_RESTRICTION -> restrictions.decide(disputeId,
                        choice(task, Var.RESTRICTION_DECISION, RestrictionDecision.class),
                        string(task, Var.RESTRICTION_NOTE), who);
                case Task.RECOVER_RECEIVABLE -> recordRecovery(task, disputeId, who);
                case Task.DECIDE_APPEAL -> appeals.decide(disputeId, choice(task, Var.APPEAL_DECISION, AppealDecision.class),
                        string(task, Var.APPEAL_NOTE), who);
                case Task.TIE_CHANNEL_COMPLAINT -> channelComplaints.decideUntied(string(task, Var.CHANNEL_COMPLAINT_ID),
                        choice(task, Var.TIE_DECISION, TieDecision.class), string(task, Var.TIE_ORDER_ID),
                        string(task, Var.TIE_NOTE), who);
                case Task.RESOLVE_REFUND_EXCEPTION -> decisions.resolveRefundException(disputeId,
                        choice(task, Var.EXCEPTION_RESOLUTION, ExceptionResolution.class), string(task, Var.FINANCE_NOTE), who);
                default -> throw new IllegalStateException("no decision is defined for task " + task.getTaskDefinitionKey());
            }
        } catch (IllegalArgumentException e) {
            throw new DecisionRefused(task.getTaskDefinitionKey(), e.getMessage());
        }
        // Recorded in the dispute's tables above; the words leave the process here, and
        // StaffWordsOutOfHistory keeps them out of the engine's history.
        StaffWordsOutOfHistory.FREE_TEXT.forEach(task::removeVariable);
    }

    /**
     * The ruling's approval, and its appeal, cannot even be claimed by the arbiter who ruled: refused at once, the task
     * stays in the seniors' queue instead of being held by someone who may never complete it.
     */
    private void onAssignment(DelegateTask task, String disputeId) {
        if (task.getAssignee() == null) {
            return;
        }
        try {
            if (Task.APPROVE_RULING.equals(task.getTaskDefinitionKey())) {
                decisions.checkApprover(disputeId, task.getAssignee());
            } else if (Task.DECIDE_APPEAL.equals(task.getTaskDefinitionKey())) {
                appeals.checkArbiter(disputeId, task.getAssignee());
            }
        } catch (IllegalArgumentException e) {
            throw new DecisionRefused(task.getTaskDefinitionKey(), e.getMessage());
        }
    }

    /** Finance's recovery or write-off; while something is still owed the task comes back (a new due date). */
    private void recordRecovery(DelegateTask task, String disputeId, String who) {
        RecoveryDecision decision = choice(task, Var.RECOVERY_DECISION, RecoveryDecision.class);
        long outstanding = ledger.decideRecovery(disputeId, decision,
                decision == RecoveryDecision.RECOVERED ? number(task, Var.RECOVERED_AMOUNT_FEN) : null,
                string(task, Var.RECOVERY_NOTE), who);
        task.setVariable(Var.RECEIVABLE_OUTSTANDING_FEN, outstanding);
        if (outstanding == 0) {
            deadlines.clear(disputeId, DeadlineKind.RECEIVABLE_RECOVERY);
        }
    }

    private void answerComplaint(DelegateTask task, String who) {
        ComplaintOutcome outcome = choice(task, Var.COMPLAINT_OUTCOME, ComplaintOutcome.class);
        String response = string(task, Var.COMPLAINT_RESPONSE);
        if (outcome == null || outcome == ComplaintOutcome.CLOSED_AT_CHANNEL) {
            throw new IllegalArgumentException("complaintOutcome must be REFUND or UPHOLD");
        }
        if (response == null || response.isBlank()) {
            throw new IllegalArgumentException("请填写对投诉方的答复 (complaintResponse is required)");
        }
        complaints.recordAnswer(string(task, Var.COMPLAINT_ID), outcome, response, evidenceIds(task, Var.COMPLAINT_IMAGES),
                who);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper PICKS = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * A checklist's picks: Tasklist submits them as a Json array of strings (Spin); a REST client may also send a
     * String holding a JSON array or comma-separated ids. Empty when nothing was picked.
     */
    static java.util.List<String> evidenceIds(DelegateTask task, String name) {
        Object value = task.getVariable(name);
        if (value == null) {
            return java.util.List.of();
        }
        String text = value.toString().trim(); // Spin's JSON node prints as its JSON
        if (text.isEmpty() || text.equals("null")) {
            return java.util.List.of();
        }
        if (text.startsWith("[")) {
            try {
                var node = PICKS.readTree(text);
                java.util.List<String> ids = new java.util.ArrayList<>();
                for (var item : node) {
                    if (!item.isTextual()) {
                        throw new IllegalArgumentException(name + " must be a list of evidence ids, not " + text);
                    }
                    ids.add(item.asText());
                }
                return ids;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(name + " must be a list of evidence ids, not " + text);
            }
        }
        return java.util.Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The signed-in user completing the task (Tasklist, REST), else its assignee. */
    private static String whoCompletes(DelegateTask task) {
        Authentication auth = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
        if (auth != null && auth.getUserId() != null) {
            return auth.getUserId();
        }
        return task.getAssignee();
    }

    private static String string(DelegateTask task, String name) {
        Object value = task.getVariable(name);
        return value == null ? null : value.toString();
    }

    /** A choice of the form as its enum; null when the field is empty, refused when it names no choice. */
    private static <E extends Enum<E>> E choice(DelegateTask task, String name, Class<E> type) {
        String value = string(task, name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " must be one of " + Arrays.toString(type.getEnumConstants())
                    + ", not " + value);
        }
    }

    /** The ruling REQUEST_EVIDENCE names the side to bring more; anything but CUSTOMER or MERCHANT is refused there. */
    private static Party evidenceFrom(DelegateTask task) {
        String value = string(task, Var.EVIDENCE_FROM);
        return Party.CUSTOMER.name().equals(value) ? Party.CUSTOMER : Party.MERCHANT.name().equals(value) ? Party.MERCHANT : null;
    }

    private static Long number(DelegateTask task, String name) {
        Object value = task.getVariable(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            if (n.doubleValue() != Math.rint(n.doubleValue())) {
                throw new IllegalArgumentException(name + " must be a whole number of fen");
            }
            return n.longValue();
        }
        try {
            return Long.valueOf(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number of fen, not '" + value + "'");
        }
    }

    private static Boolean bool(DelegateTask task, String name) {
        Object value = task.getVariable(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        return switch (value.toString()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false");
        };
    }
}
