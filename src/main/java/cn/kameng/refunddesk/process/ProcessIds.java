package cn.kameng.refunddesk.process;

/**
 * Every id the Java code shares with processes/*.bpmn and *.dmn: process keys, messages, element
 * ids, variables. Change an id in the model, change it here; nothing else names them.
 */
public final class ProcessIds {

    private ProcessIds() {
    }

    public static final String PROCESS_REFUND_DISPUTE = "refundDispute";
    public static final String PROCESS_EXTERNAL_COMPLAINT = "externalComplaint";
    /** processes/restriction-review.bpmn: a contested account restriction, decided by a senior arbiter. */
    public static final String PROCESS_RESTRICTION_REVIEW = "restrictionReview";
    /** processes/receivable-recovery.bpmn: what the fund paid first for a merchant, recovered or written off by finance. */
    public static final String PROCESS_RECEIVABLE_RECOVERY = "receivableRecovery";
    /** processes/appeal.bpmn: the losing party's appeal of a ruling, decided by a different arbiter. */
    public static final String PROCESS_APPEAL = "appeal";
    /**
     * processes/untied-channel-complaint.bpmn: a channel complaint naming an order we do not know, for the complaints
     * group to tie to the right order or mark as not ours. Its business key is the channel complaint's id (CHC-…).
     */
    public static final String PROCESS_UNTIED_CHANNEL_COMPLAINT = "untiedChannelComplaint";
    public static final String DECISION_ELIGIBILITY = "disputeEligibility";
    /** processes/required-evidence.dmn: what each side must bring, per reason (COLLECT). */
    public static final String DECISION_REQUIRED_EVIDENCE = "requiredEvidence";
    /** processes/refund-bearer.dmn: whose money a refund is, when a refunded dispute closes (FIRST). */
    public static final String DECISION_REFUND_BEARER = "refundBearer";
    /** processes/abuse-flags.dmn: the abuse flags a dispute gets for staff, never a decision (COLLECT). */
    public static final String DECISION_ABUSE_FLAGS = "abuseFlags";
    /** processes/channel-complaint-reason.dmn: a channel's problem type as our reason (FIRST). */
    public static final String DECISION_CHANNEL_COMPLAINT_REASON = "channelComplaintReason";

    /** Messages the API and the gateways correlate by business key (the dispute id). */
    public static final class Message {
        private Message() {
        }

        public static final String MERCHANT_ACCEPTED = "MerchantAccepted";
        public static final String MERCHANT_OFFERED_PARTIAL_REFUND = "MerchantOfferedPartialRefund";
        public static final String MERCHANT_SENT_REPLACEMENT = "MerchantSentReplacement";
        public static final String MERCHANT_REFUSED = "MerchantRefused";
        public static final String OFFER_ACCEPTED = "OfferAccepted";
        public static final String OFFER_DECLINED = "OfferDeclined";
        public static final String REPLACEMENT_WORKS = "ReplacementWorks";
        public static final String REPLACEMENT_FAILED = "ReplacementFailed";
        public static final String FORMAL_REQUEST_FILED = "FormalRequestFiled";
        public static final String INTERVENTION_REQUESTED = "InterventionRequested";
        public static final String ESCALATION_REQUESTED = "EscalationRequested";
        public static final String MERCHANT_PROOF_COMPLETE = "MerchantProofComplete";
        public static final String ADDITIONAL_EVIDENCE_SUBMITTED = "AdditionalEvidenceSubmitted";
        public static final String DISPUTE_WITHDRAWN = "DisputeWithdrawn";
        public static final String COMPLAINT_REFUND_ORDERED = "ComplaintRefundOrdered";
        public static final String REFUND_ORDERED_AFTER_CLOSE = "RefundOrderedAfterClose";
        public static final String REFUND_SETTLED = "RefundSettled";
        public static final String ARRIVAL_CONFIRMED = "ArrivalConfirmed";
        public static final String ARRIVAL_DISPUTED = "ArrivalDisputed";
        /** receivable-recovery.bpmn: the merchant paid all it owes outside the task; the task ends. */
        public static final String RECEIVABLE_CLEARED = "ReceivableCleared";
        /** The channel closed the complaint (completed, withdrawn) while our handleExternalComplaint was open. */
        public static final String COMPLAINT_CLOSED_AT_CHANNEL = "ComplaintClosedAtChannel";
        /** An untied channel complaint was tied by the poll (its order appeared) or closed at the channel. */
        public static final String CHANNEL_COMPLAINT_SETTLED = "ChannelComplaintSettled";
    }

    /** Tasklist task keys: the contract with the forms and the staff's filters. */
    public static final class Task {
        private Task() {
        }

        public static final String REVIEW_REFUND_REQUEST = "reviewRefundRequest";
        public static final String ARBITRATE_DISPUTE = "arbitrateDispute";
        public static final String APPROVE_RULING = "approveRuling";
        public static final String HANDLE_EXTERNAL_COMPLAINT = "handleExternalComplaint";
        public static final String RESOLVE_REFUND_EXCEPTION = "resolveRefundException";
        public static final String REVIEW_ACCOUNT_RESTRICTION = "reviewAccountRestriction";
        public static final String RECOVER_RECEIVABLE = "recoverReceivable";
        public static final String DECIDE_APPEAL = "decideAppeal";
        public static final String TIE_CHANNEL_COMPLAINT = "tieChannelComplaint";
    }

    /** Element ids of refund-dispute.bpmn, external-complaint.bpmn, restriction-review.bpmn, receivable-recovery.bpmn and appeal.bpmn. */
    public static final class Element {
        private Element() {
        }

        public static final String START_DISPUTE_OPENED = "start_disputeOpened";
        public static final String START_REFUND_ORDERED_AFTER_CLOSE = "start_refundOrderedAfterClose";
        public static final String SUB_PROCESS_RESOLVE_DISPUTE = "subProcess_resolveDispute";
        public static final String SERVICE_TASK_ASSESS_ELIGIBILITY = "serviceTask_assessEligibility";
        public static final String SERVICE_TASK_CLOSE_INELIGIBLE = "serviceTask_closeIneligible";
        public static final String SERVICE_TASK_NOTIFY_MERCHANT = "serviceTask_notifyMerchant";
        public static final String EVENT_GATEWAY_MERCHANT_ANSWER = "eventGateway_merchantAnswer";
        public static final String TIMER_MERCHANT_REPLY_DUE = "timer_merchantReplyDue";
        public static final String SERVICE_TASK_RECORD_MERCHANT_SILENCE = "serviceTask_recordMerchantSilence";
        public static final String SERVICE_TASK_PRESENT_PARTIAL_OFFER = "serviceTask_presentPartialOffer";
        public static final String EVENT_GATEWAY_OFFER_RESPONSE = "eventGateway_offerResponse";
        public static final String TIMER_OFFER_RESPONSE_DUE = "timer_offerResponseDue";
        public static final String SERVICE_TASK_AWAIT_REPLACEMENT = "serviceTask_awaitReplacementConfirmation";
        public static final String EVENT_GATEWAY_REPLACEMENT = "eventGateway_replacementConfirmation";
        public static final String TIMER_REPLACEMENT_CONFIRMATION_DUE = "timer_replacementConfirmationDue";
        public static final String SERVICE_TASK_CLOSE_REPLACED = "serviceTask_closeReplaced";
        public static final String SERVICE_TASK_RECORD_MERCHANT_REFUSAL = "serviceTask_recordMerchantRefusal";
        public static final String EVENT_GATEWAY_CUSTOMER_NEXT_STEP = "eventGateway_customerNextStep";
        public static final String TIMER_CUSTOMER_INACTIVE = "timer_customerInactive";
        public static final String SERVICE_TASK_CLOSE_ABANDONED = "serviceTask_closeAbandoned";
        public static final String SERVICE_TASK_CHECK_EVIDENCE = "serviceTask_checkEvidence";
        public static final String USER_TASK_REVIEW = Task.REVIEW_REFUND_REQUEST;
        public static final String TIMER_REVIEW_ESCALATION = "timer_reviewEscalationDue";
        public static final String SERVICE_TASK_ESCALATE_REVIEW = "serviceTask_escalateReview";
        public static final String MESSAGE_ESCALATION_REQUESTED = "boundary_escalationRequested";
        public static final String SERVICE_TASK_RECORD_REVIEW_REJECTION = "serviceTask_recordReviewRejection";
        public static final String EVENT_GATEWAY_AFTER_REJECTION = "eventGateway_afterReviewRejection";
        public static final String TIMER_REJECTION_ACCEPTED = "timer_reviewRejectionAccepted";
        public static final String SERVICE_TASK_CLOSE_REJECTED_AFTER_REVIEW = "serviceTask_closeRejectedAfterReview";
        public static final String SERVICE_TASK_OPEN_INTERVENTION = "serviceTask_openIntervention";
        public static final String EVENT_GATEWAY_MERCHANT_PROOF = "eventGateway_merchantProof";
        public static final String TIMER_MERCHANT_PROOF_DUE = "timer_merchantProofDue";
        public static final String SERVICE_TASK_ASSESS_BURDEN_OF_PROOF = "serviceTask_assessBurdenOfProof";
        public static final String USER_TASK_ARBITRATE = Task.ARBITRATE_DISPUTE;
        public static final String SERVICE_TASK_REQUEST_ADDITIONAL_EVIDENCE = "serviceTask_requestAdditionalEvidence";
        public static final String TIMER_ADDITIONAL_EVIDENCE_DUE = "timer_additionalEvidenceDue";
        public static final String USER_TASK_APPROVE_RULING = Task.APPROVE_RULING;
        public static final String SERVICE_TASK_RESTRICT_CUSTOMER = "serviceTask_restrictCustomer";
        public static final String SERVICE_TASK_CLOSE_REJECTED_BY_RULING = "serviceTask_closeRejectedByRuling";
        public static final String SERVICE_TASK_APPROVE_REFUND = "serviceTask_approveRefund";
        public static final String BOUNDARY_WITHDRAWN = "boundary_disputeWithdrawn";
        public static final String SERVICE_TASK_CLOSE_WITHDRAWN = "serviceTask_closeWithdrawn";
        public static final String BOUNDARY_COMPLAINT_REFUND_ORDERED = "boundary_complaintRefundOrdered";
        public static final String SERVICE_TASK_PREPARE_REFUND = "serviceTask_prepareRefund";
        public static final String SERVICE_TASK_REQUEST_REFUND = "serviceTask_requestRefund";
        public static final String EVENT_GATEWAY_REFUND_SETTLEMENT = "eventGateway_refundSettlement";
        public static final String TIMER_REFUND_ARRIVAL_DUE = "timer_refundArrivalDue";
        public static final String SERVICE_TASK_QUERY_REFUND = "serviceTask_queryRefund";
        public static final String SERVICE_TASK_AWAIT_ARRIVAL = "serviceTask_awaitArrivalConfirmation";
        public static final String EVENT_GATEWAY_ARRIVAL = "eventGateway_arrivalConfirmation";
        public static final String TIMER_AUTO_CLOSE = "timer_autoCloseAfterRefund";
        public static final String SERVICE_TASK_OPEN_REFUND_EXCEPTION = "serviceTask_openRefundException";
        public static final String USER_TASK_RESOLVE_REFUND_EXCEPTION = Task.RESOLVE_REFUND_EXCEPTION;
        public static final String SERVICE_TASK_CLOSE_REFUNDED = "serviceTask_closeRefunded";
        public static final String END_REFUND_CLOSED = "end_refundClosed";
        public static final String END_CLOSED_WITHOUT_REFUND = "end_closedWithoutRefund";
        public static final String END_WITHDRAWN = "end_withdrawn";

        public static final String USER_TASK_HANDLE_COMPLAINT = Task.HANDLE_EXTERNAL_COMPLAINT;
        public static final String TIMER_COMPLAINT_OVERDUE = "timer_complaintDue";
        public static final String SERVICE_TASK_FLAG_COMPLAINT_OVERDUE = "serviceTask_flagComplaintOverdue";
        public static final String SERVICE_TASK_ORDER_COMPLAINT_REFUND = "serviceTask_orderComplaintRefund";
        public static final String END_COMPLAINT_REFUND_ORDERED = "end_complaintRefundOrdered";
        public static final String END_COMPLAINT_UPHELD = "end_complaintUpheld";
        public static final String BOUNDARY_COMPLAINT_CLOSED_AT_CHANNEL = "boundary_complaintClosedAtChannel";
        public static final String END_COMPLAINT_CLOSED_AT_CHANNEL = "end_complaintClosedAtChannel";

        public static final String START_UNTIED_CHANNEL_COMPLAINT = "start_untiedChannelComplaintRecorded";
        public static final String USER_TASK_TIE_CHANNEL_COMPLAINT = Task.TIE_CHANNEL_COMPLAINT;
        public static final String END_CHANNEL_COMPLAINT_DECIDED = "end_channelComplaintDecided";
        public static final String BOUNDARY_CHANNEL_COMPLAINT_SETTLED = "boundary_channelComplaintSettled";
        public static final String END_CHANNEL_COMPLAINT_SETTLED = "end_channelComplaintSettled";

        public static final String USER_TASK_REVIEW_ACCOUNT_RESTRICTION = Task.REVIEW_ACCOUNT_RESTRICTION;
        public static final String END_RESTRICTION_DECIDED = "end_restrictionDecided";

        public static final String START_RECEIVABLE_RECORDED = "start_receivableRecorded";
        public static final String USER_TASK_RECOVER_RECEIVABLE = Task.RECOVER_RECEIVABLE;
        public static final String GATEWAY_RECEIVABLE_CLEARED = "gateway_receivableCleared";
        public static final String END_RECEIVABLE_CLEARED = "end_receivableCleared";
        public static final String BOUNDARY_RECEIVABLE_CLEARED_ELSEWHERE = "boundary_receivableClearedElsewhere";
        public static final String END_RECEIVABLE_CLEARED_ELSEWHERE = "end_receivableClearedElsewhere";

        public static final String START_APPEAL_FILED = "start_appealFiled";
        public static final String USER_TASK_DECIDE_APPEAL = Task.DECIDE_APPEAL;
        public static final String END_APPEAL_DECIDED = "end_appealDecided";
    }

    /** Process variables: few, typed, and only what the gateways and forms need. */
    public static final class Var {
        private Var() {
        }

        public static final String ELIGIBILITY = "eligibility";
        public static final String REFUND_APPROVED = "refundApproved";
        public static final String REVIEW_DECISION = "reviewDecision";
        public static final String APPROVED_AMOUNT_FEN = "approvedAmountFen";
        public static final String REVIEW_NOTE = "reviewNote";
        public static final String RULING = "ruling";
        public static final String RULING_REASON = "rulingReason";
        public static final String EVIDENCE_FROM = "evidenceFrom";
        public static final String FOUR_EYES_REQUIRED = "fourEyesRequired";
        public static final String RULING_APPROVED = "rulingApproved";
        public static final String APPROVAL_NOTE = "approvalNote";
        public static final String REFUND_RESULT = "refundResult";
        public static final String EXCEPTION_RESOLUTION = "exceptionResolution";
        public static final String FINANCE_NOTE = "financeNote";
        public static final String COMPLAINT_ID = "complaintId";
        public static final String COMPLAINT_DUE_AT = "complaintDueAt";
        public static final String COMPLAINT_OUTCOME = "complaintOutcome";
        public static final String COMPLAINT_RESPONSE = "complaintResponse";
        /** The image evidence (ids) the complaints group picked to go with its reply to the channel (a checklist). */
        public static final String COMPLAINT_IMAGES = "complaintImages";
        public static final String RESTRICTION_DECISION = "restrictionDecision";
        public static final String RESTRICTION_NOTE = "restrictionNote";
        public static final String RECOVERY_DECISION = "recoveryDecision";
        public static final String RECOVERED_AMOUNT_FEN = "recoveredAmountFen";
        public static final String RECOVERY_NOTE = "recoveryNote";
        /** Set on completion of recoverReceivable: what the merchant still owes; above 0 the task comes back. */
        public static final String RECEIVABLE_OUTSTANDING_FEN = "receivableOutstandingFen";
        public static final String APPEAL_DECISION = "appealDecision";
        public static final String APPEAL_NOTE = "appealNote";
        /** untied-channel-complaint.bpmn: the channel complaint (CHC-…), shown on the form. */
        public static final String CHANNEL_COMPLAINT_ID = "channelComplaintId";
        /** The channel's deadline: the tie task's due date (null when the channel set none). */
        public static final String CHANNEL_COMPLAINT_DUE_AT = "channelComplaintDueAt";
        /** What the channel said, set at the start for the form to show (read only). */
        public static final String UNTIED_FACTS = "untiedFacts";
        public static final String UNTIED_BUYER_WORDS = "untiedBuyerWords";
        /** The tie form's choice: TIE (with tieOrderId) or NOT_OURS (with tieNote). */
        public static final String TIE_DECISION = "tieDecision";
        public static final String TIE_ORDER_ID = "tieOrderId";
        public static final String TIE_NOTE = "tieNote";
    }
}
