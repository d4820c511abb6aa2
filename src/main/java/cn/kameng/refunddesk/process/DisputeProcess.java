package cn.kameng.refunddesk.process;

import java.util.Optional;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.stereotype.Component;

/** Looks at a dispute's running refund-dispute process instance (business key = dispute id). */
@Component
public class DisputeProcess {

    private final RuntimeService runtime;

    DisputeProcess(RuntimeService runtime) {
        this.runtime = runtime;
    }

    public Optional<ProcessInstance> instance(String disputeId) {
        return Optional.ofNullable(runtime.createProcessInstanceQuery().processInstanceBusinessKey(disputeId)
                .processDefinitionKey(ProcessIds.PROCESS_REFUND_DISPUTE).singleResult());
    }

    /** Whether the dispute's process is waiting for {@code message} right now. */
    public boolean waitsFor(String disputeId, String message) {
        return instance(disputeId)
                .map(pi -> runtime.createEventSubscriptionQuery().processInstanceId(pi.getId()).eventName(message)
                        .count() > 0)
                .orElse(false);
    }
}
