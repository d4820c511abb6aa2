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

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DecisionRefusedAsBadRequest.class);

    /**
     * The engine logs every command that throws as ERROR with a stack trace (ENGINE-16004). A decision refused
     * by a rule is the caller's 400, not a fault: that entry is dropped, and {@link Unwrap} logs it at INFO.
     */
    static final class RefusalIsNotAnError extends ch.qos.logback.classic.turbo.TurboFilter {
        @Override
        public ch.qos.logback.core.spi.FilterReply decide(org.slf4j.Marker marker, ch.qos.logback.classic.Logger logger,
                ch.qos.logback.classic.Level level, String format, Object[] params, Throwable t) {
            if (level != ch.qos.logback.classic.Level.ERROR || !logger.getName().startsWith("org.camunda.bpm.engine")) {
                return ch.qos.logback.core.spi.FilterReply.NEUTRAL;
            }
            Throwable thrown = t;
            if (thrown == null && params != null) {
                for (Object p : params) {
                    if (p instanceof Throwable th) {
                        thrown = th;
                    }
                }
            }
            return thrown != null && Unwrap.refusal(thrown) != null ? ch.qos.logback.core.spi.FilterReply.DENY
                    : ch.qos.logback.core.spi.FilterReply.NEUTRAL;
        }
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback
                && logback.getTurboFilterList().stream().noneMatch(RefusalIsNotAnError.class::isInstance)) {
            logback.addTurboFilter(new RefusalIsNotAnError());
        }
        List<CommandInterceptor> pre = configuration.getCustomPreCommandInterceptorsTxRequired() == null
                ? new ArrayList<>() : new ArrayList<>(configuration.getCustomPreCommandInterceptorsTxRequired());
        pre.add(0, new Unwrap(configuration));
        configuration.setCustomPreCommandInterceptorsTxRequired(pre);
    }

    static final class Unwrap extends CommandInterceptor {

        private final ProcessEngineConfigurationImpl configuration;

        Unwrap(ProcessEngineConfigurationImpl configuration) {
            this.configuration = configuration;
        }

        /** The task a completion command names, read from the command (Camunda keeps it in a field). */
        private static String taskId(Command<?> command) {
            try {
                java.lang.reflect.Field field = command.getClass().getDeclaredField("taskId");
                field.setAccessible(true);
                return (String) field.get(command);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        private boolean gone(String taskId) {
            return taskId != null && configuration.getTaskService().createTaskQuery().taskId(taskId).count() == 0;
        }

        @Override
        public <T> T execute(Command<T> command) {
            try {
                return next.execute(command);
            } catch (FormFieldValidationException e) {
                throw e;
            } catch (RuntimeException e) {
                boolean completion = command instanceof CompleteTaskCmd || command instanceof SubmitTaskFormCmd;
                if (completion && refusal(e) == null && gone(taskId(command))) {
                    // Completed by another request at the same moment: whatever this one tripped over on the way
                    // (the task, its execution or its authorizations vanishing under it), it changed nothing.
                    throw new RestException(Response.Status.NOT_FOUND, e, "there is no such task (any more): it was "
                            + "completed or never existed; nothing was changed by this request");
                }
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
                log.info("Staff decision refused (400): {}", refused.getMessage());
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
