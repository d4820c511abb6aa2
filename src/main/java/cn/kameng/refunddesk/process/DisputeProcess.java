package cn.kameng.refunddesk.process;

import java.time.Instant;
import java.util.Map;

/**
 * The one door to the process engine for the application services: start a dispute's or a complaint's
 * process, move it on with a message (by business key, the dispute id), look at what it waits for, and
 * keep its timers and task due dates in step with our deadlines. Implemented by the engine adapter;
 * nothing here knows Camunda. Names of messages, tasks and variables are those of {@link ProcessIds}.
 */
public interface DisputeProcess {

    /** Starts refund-dispute.bpmn for a dispute just written to our tables. */
    void start(String disputeId);

    /** Starts external-complaint.bpmn for a complaint about the dispute's order. */
    void startComplaint(String disputeId, String complaintId, Instant answerDueAt);

    /**
     * Delivers {@code message} to the dispute's process. False when the process does not wait for it
     * (the step moved on, a timer won the race): nothing was changed and the caller decides what that means.
     */
    boolean correlate(String disputeId, String message);

    /** As {@link #correlate(String, String)}, setting typed process variables with the message. */
    boolean correlate(String disputeId, String message, Map<String, Object> variables);

    /**
     * Delivers {@code message} to whichever of the dispute's processes waits for it (a recovery, an appeal...), and
     * only there: false, and nothing touched (no failed command, no rollback), when none does.
     */
    boolean correlateIfWaiting(String disputeId, String message);

    /** A closed dispute's refund ordered afterwards (a complaint's answer): a new instance at its refund. */
    void startRefundAfterClose(String disputeId);

    /** A customer contested the account restriction imposed in the dispute: restriction-review.bpmn, for a senior arbiter. */
    void startRestrictionReview(String disputeId);

    /** The losing party appealed the dispute's ruling: appeal.bpmn, for an arbiter other than the one who ruled. */
    void startAppeal(String disputeId);

    /**
     * The fund paid first for the merchant when the dispute closed: receivable-recovery.bpmn, for finance. Called
     * inside the closing transaction, so the task exists exactly when the receivable does.
     */
    void startReceivableRecovery(String disputeId);

    /** Whether the dispute's process is waiting for {@code message} right now. */
    boolean waitsFor(String disputeId, String message);

    /** Moves the dispute's open tasks of {@code taskKey} up the queue by {@code boost}. */
    void raisePriority(String disputeId, String taskKey, int boost);

    /** Moves the complaint's handling task up the queue by {@code boost}. */
    void raiseComplaintPriority(String complaintId, int boost);

    /** A deadline was recounted: the dispute's timers and task due dates at {@code from} move to {@code to}. */
    void moveDueDates(String disputeId, Instant from, Instant to);

    /** A complaint's answer deadline was recounted: its overdue timer, task due date and variable move to {@code to}. */
    void moveComplaintDeadline(String complaintId, Instant to);

    /**
     * The channel closed the complaint: its handleExternalComplaint task ends (with its overdue timer). False when the
     * complaint's process no longer waits there.
     */
    boolean closeComplaintAtChannel(String complaintId);

    /**
     * Starts untied-channel-complaint.bpmn (business key: the channel complaint id) for a channel complaint naming an
     * order we do not know: a task for the complaints group, due at {@code dueAt} (null: the channel set none), showing
     * {@code facts} and {@code buyerWords}.
     */
    void startUntiedChannelComplaint(String channelComplaintId, Instant dueAt, String facts, String buyerWords);

    /** The untied channel complaint was tied without staff, or closed at the channel: its task ends. False: none. */
    boolean settleUntiedChannelComplaint(String channelComplaintId);
}
