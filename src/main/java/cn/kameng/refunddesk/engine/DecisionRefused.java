package cn.kameng.refunddesk.engine;

import org.camunda.bpm.engine.ProcessEngineException;

/**
 * A staff decision that breaks a rule (amount above the paid amount, a rejection without a reason,
 * an arbiter approving their own ruling). Thrown by {@link TaskDecisionListener}; the engine wraps it,
 * {@link DecisionRefusedAsBadRequest} unwraps it so every client gets a 400 with this sentence.
 */
class DecisionRefused extends ProcessEngineException {

    private static final long serialVersionUID = 1L;

    private final String taskKey;

    DecisionRefused(String taskKey, String message) {
        super(message);
        this.taskKey = taskKey;
    }

    String taskKey() {
        return taskKey;
    }
}
