package cn.kameng.refunddesk.engine;

import java.util.Date;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.calendar.DeadlineKind;
import cn.kameng.refunddesk.calendar.Deadlines;

/**
 * The {@code deadlines} the BPMN's timers and due dates name: {@code ${deadlines.at(execution, 'MERCHANT_REPLY')}}
 * computes the deadline from {@code dispute.sla}, records it on the dispute and gives the engine that instant;
 * {@code ${deadlines.refundRetryCycle}} is the retry cycle of calls to payment gateways. Public: the expression
 * language calls public methods of public classes only.
 */
@Component("deadlines")
public class DeadlineExpressions {

    private final Deadlines deadlines;

    DeadlineExpressions(Deadlines deadlines) {
        this.deadlines = deadlines;
    }

    public Date at(VariableScope scope, String kind) {
        return Date.from(deadlines.start(businessKey(scope), DeadlineKind.valueOf(kind)));
    }

    public String getRefundRetryCycle() {
        return deadlines.refundRetryCycle();
    }

    private static String businessKey(VariableScope scope) {
        if (scope instanceof DelegateTask task) {
            return task.getExecution().getProcessBusinessKey();
        }
        return ((DelegateExecution) scope).getProcessBusinessKey();
    }
}
