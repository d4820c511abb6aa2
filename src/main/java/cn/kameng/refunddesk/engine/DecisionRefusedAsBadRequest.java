package cn.kameng.refunddesk.engine;

import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.core.Response;

import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.exception.NullValueException;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.CompleteTaskCmd;
import org.camunda.bpm.engine.impl.cmd.SubmitTaskFormCmd;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.springframework.stereotype.Component;

/**
 * Camunda wraps whatever a task listener throws into a plain ProcessEngineException, which
 * /engine-rest (and so Tasklist) answers with 500 "Exception while invoking TaskListener: …". This
 * outermost command interceptor finds a {@link DecisionRefused} in the cause chain, after the
 * transaction has rolled back, and rethrows it as the engine's form validation exception: /engine-rest
 * answers 400 with the rule's own sentence, and Tasklist shows it under the form; a refused claim
 * becomes a BadUserRequestException, also a 400 with the sentence. Two completions of one task at once
 * are one 204 and, for the other, 409 (the loser's optimistic lock) or 404 (the task is gone), not 500.
 */
@Component
class DecisionRefusedAsBadRequest extends AbstractProcessEnginePlugin {

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        List<CommandInterceptor> pre = configuration.getCustomPreCommandInterceptorsTxRequired() == null
                ? new ArrayList<>() : new ArrayList<>(configuration.getCustomPreCommandInterceptorsTxRequired());
        pre.add(0, new Unwrap());
        configuration.setCustomPreCommandInterceptorsTxRequired(pre);
    }

    static final class Unwrap extends CommandInterceptor {
        @Override
        public <T> T execute(Command<T> command) {
            try {
                return next.execute(command);
            } catch (FormFieldValidationException e) {
                throw e;
            } catch (RuntimeException e) {
                boolean completion = command instanceof CompleteTaskCmd || command instanceof SubmitTaskFormCmd;
                if (completion && e instanceof OptimisticLockingException) {
                    // Two completions of one task at once: one won, this one changed nothing. 409, not 500.
                    throw new RestException(Response.Status.CONFLICT, e, "the task was completed by someone else at the"
                            + " same moment; nothing was changed by this request");
                }
                if (completion && e instanceof NullValueException && String.valueOf(e.getMessage()).contains("Cannot find task")) {
                    throw new RestException(Response.Status.NOT_FOUND, e, "there is no such task (any more): it was "
                            + "completed or never existed");
                }
                DecisionRefused refused = refusal(e);
                if (refused == null) {
                    throw e;
                }
                if (command instanceof CompleteTaskCmd || command instanceof SubmitTaskFormCmd) {
                    throw new FormFieldValidationException(refused.taskKey(), refused.getMessage(), refused);
                }
                // a claim or an assignment: /engine-rest answers BadUserRequestException with 400
                throw new BadUserRequestException(refused.getMessage(), refused);
            }
        }

        static DecisionRefused refusal(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof DecisionRefused refused) {
                    return refused;
                }
            }
            return null;
        }
    }
}
