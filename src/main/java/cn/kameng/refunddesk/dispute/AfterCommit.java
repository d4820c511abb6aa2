package cn.kameng.refunddesk.dispute;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Runs a side effect (a metric, say) once the current transaction has committed; at once outside one. */
public final class AfterCommit {

    private AfterCommit() {
    }

    public static void run(Runnable effect) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    effect.run();
                }
            });
        } else {
            effect.run();
        }
    }
}
