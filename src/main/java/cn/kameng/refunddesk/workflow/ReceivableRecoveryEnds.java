package cn.kameng.refunddesk.workflow;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.calendar.DeadlineKind;
import cn.kameng.refunddesk.calendar.Deadlines;
import cn.kameng.refunddesk.ledger.DepositLedger.ReceivableCleared;
import cn.kameng.refunddesk.process.DisputeProcess;
import cn.kameng.refunddesk.process.ProcessIds;

/**
 * A merchant paid back everything the fund advanced for it outside finance's tasks (a recovery by the merchant's
 * account, or the platform's RECEIVABLE_PAID event): each of its open recoverReceivable tasks has nothing left to
 * recover, so it ends by itself (receivable-recovery.bpmn's boundary_receivableClearedElsewhere) with its deadline,
 * in the recovery's transaction. A partial payment ends none: the task's form reads what is still owed.
 */
@Component
class ReceivableRecoveryEnds {

    private static final Logger log = LoggerFactory.getLogger(ReceivableRecoveryEnds.class);

    private final DisputeProcess process;
    private final Deadlines deadlines;

    ReceivableRecoveryEnds(DisputeProcess process, Deadlines deadlines) {
        this.process = process;
        this.deadlines = deadlines;
    }

    @EventListener
    void on(ReceivableCleared cleared) {
        for (String disputeId : cleared.disputeIds()) {
            if (process.correlateIfWaiting(disputeId, ProcessIds.Message.RECEIVABLE_CLEARED)) {
                deadlines.clear(disputeId, DeadlineKind.RECEIVABLE_RECOVERY);
                log.info("merchant {} owes nothing any more: the recovery task of dispute {} ended by itself",
                        cleared.merchantId(), disputeId);
            }
        }
    }
}
