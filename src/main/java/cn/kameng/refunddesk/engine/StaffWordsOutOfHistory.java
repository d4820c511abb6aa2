package cn.kameng.refunddesk.engine;

import java.util.List;
import java.util.Set;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.history.event.HistoricFormPropertyEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoricVariableUpdateEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.process.ProcessIds.Var;

/**
 * Keeps the free text staff type into a form (notes, a ruling's reasons, the answer to a complainant)
 * out of the engine's history: Tasklist sends it as process variables, {@link TaskDecisionListener}
 * records it in the dispute's tables and removes the variables, and this drops their history events,
 * so Cockpit and the history tables hold ids, amounts and decisions only. Every other event passes.
 */
@Component
class StaffWordsOutOfHistory extends AbstractProcessEnginePlugin {

    static final List<String> FREE_TEXT = List.of(Var.REVIEW_NOTE, Var.RULING_REASON, Var.APPROVAL_NOTE,
            Var.FINANCE_NOTE, Var.COMPLAINT_RESPONSE, Var.RESTRICTION_NOTE, Var.RECOVERY_NOTE,
            Var.APPEAL_NOTE, Var.TIE_ORDER_ID, Var.TIE_NOTE);

    private static final Set<String> NAMES = Set.copyOf(FREE_TEXT);

    @Override
    public void postInit(ProcessEngineConfigurationImpl configuration) {
        configuration.setHistoryEventHandler(new Filter(configuration.getHistoryEventHandler()));
    }

    static boolean holdsStaffWords(HistoryEvent event) {
        if (event instanceof HistoricVariableUpdateEventEntity v) {
            return NAMES.contains(v.getVariableName());
        }
        return event instanceof HistoricFormPropertyEventEntity f && NAMES.contains(f.getPropertyId());
    }

    private record Filter(HistoryEventHandler next) implements HistoryEventHandler {

        @Override
        public void handleEvent(HistoryEvent event) {
            if (!holdsStaffWords(event)) {
                next.handleEvent(event);
            }
        }

        @Override
        public void handleEvents(List<HistoryEvent> events) {
            events.forEach(this::handleEvent);
        }
    }
}
