package cn.kameng.refunddesk.engine;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.TaskEntity;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

import cn.kameng.refunddesk.engine.CaseFacts.StaffTask;
import cn.kameng.refunddesk.process.ProcessIds.Task;
import cn.kameng.refunddesk.process.ProcessIds.Var;

/**
 * Adds the case's facts ({@link CaseFacts}) to the answer of a staff task's {@code form-variables},
 * the call Tasklist makes to fill a form, in the webapp's API and in /engine-rest alike. Only after the
 * engine has answered 200 to the same caller, so whoever may not read the task's variables gets
 * nothing more. The facts exist only in that answer: no variable is written.
 */
@Configuration
class CaseFactsOnForms {

    private static final Pattern FORM_VARIABLES = Pattern.compile("/task/([^/]+)/form-variables$");
    /** Facts that prefill a decision field: only where the process holds no value of that name. */
    private static final Set<String> PREFILLED = Set.of(Var.APPROVED_AMOUNT_FEN);
    private static final Set<String> STAFF_TASKS = Set.of(Task.REVIEW_REFUND_REQUEST, Task.ARBITRATE_DISPUTE,
            Task.APPROVE_RULING, Task.HANDLE_EXTERNAL_COMPLAINT, Task.RESOLVE_REFUND_EXCEPTION,
            Task.REVIEW_ACCOUNT_RESTRICTION, Task.RECOVER_RECEIVABLE, Task.DECIDE_APPEAL);

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> caseFactsOnFormsFilter(ProcessEngine engine, CaseFacts facts,
            ObjectMapper json) {
        var registration = new FilterRegistrationBean<OncePerRequestFilter>(new Filter(engine, facts, json));
        registration.setName("case-facts-on-forms");
        registration.addUrlPatterns("/camunda/api/engine/*", "/engine-rest/*");
        // After the engine's own authentication filters, so the 200 it answers is the caller's.
        registration.setOrder(Integer.MAX_VALUE - 10);
        return registration;
    }

    static final class Filter extends OncePerRequestFilter {

        private final ProcessEngineConfigurationImpl engine;
        private final CaseFacts facts;
        private final ObjectMapper json;

        Filter(ProcessEngine engine, CaseFacts facts, ObjectMapper json) {
            this.engine = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
            this.facts = facts;
            this.json = json;
        }

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            return !"GET".equals(request.getMethod()) || !FORM_VARIABLES.matcher(request.getRequestURI()).find();
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            var buffered = new ContentCachingResponseWrapper(response);
            chain.doFilter(request, buffered);
            byte[] body = buffered.getContentAsByteArray();
            if (buffered.getStatus() == HttpServletResponse.SC_OK) {
                Matcher m = FORM_VARIABLES.matcher(request.getRequestURI());
                m.find();
                StaffTask task = staffTask(m.group(1));
                if (task != null) {
                    body = withFacts(body, asSystem(() -> facts.of(task)), request.getParameter("variableNames"));
                }
            }
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            response.flushBuffer();
        }

        @SuppressWarnings("unchecked")
        private byte[] withFacts(byte[] body, Map<String, Object> caseFacts, String variableNames) throws IOException {
            Map<String, Object> variables = json.readValue(body, LinkedHashMap.class);
            Set<String> wanted = variableNames == null || variableNames.isBlank() ? null
                    : Set.copyOf(Arrays.asList(variableNames.split(",")));
            for (Map.Entry<String, Object> fact : caseFacts.entrySet()) {
                String name = fact.getKey();
                if (wanted == null || wanted.contains(name)) {
                    if (PREFILLED.contains(name)) {
                        variables.putIfAbsent(name, typed(fact.getValue())); // a value the process already holds wins
                    } else {
                        variables.put(name, typed(fact.getValue()));
                    }
                }
            }
            return json.writeValueAsBytes(variables);
        }

        private Map<String, Object> typed(Object value) throws IOException {
            Map<String, Object> v = new LinkedHashMap<>();
            if (value instanceof java.util.Collection<?> list) { // a checklist's options (valuesKey): Tasklist parses Json
                v.put("type", "Json");
                v.put("value", json.writeValueAsString(list));
                v.put("valueInfo", Map.of());
                return v;
            }
            v.put("type", value == null ? "Null" : value instanceof Long || value instanceof Integer ? "Long" : "String");
            v.put("value", value instanceof Number || value == null ? value : value.toString());
            v.put("valueInfo", Map.of());
            return v;
        }

        /**
         * The facts are read as the service, not as the caller: the engine has already let the caller
         * read this task, and the rules the facts use (the required-evidence DMN) are not staff's to run.
         */
        private <T> T asSystem(java.util.function.Supplier<T> work) {
            var identity = engine.getIdentityService();
            var caller = identity.getCurrentAuthentication();
            identity.clearAuthentication();
            try {
                return work.get();
            } finally {
                if (caller != null) {
                    identity.setAuthentication(caller);
                }
            }
        }

        /** The task as the engine knows it; read as the system, since the caller was already let through. */
        private StaffTask staffTask(String taskId) {
            return engine.getCommandExecutorTxRequired().execute(context -> {
                context.disableAuthorizationCheck();
                try {
                    TaskEntity t = context.getTaskManager().findTaskById(taskId);
                    if (t == null || t.getProcessInstanceId() == null || !STAFF_TASKS.contains(t.getTaskDefinitionKey())) {
                        return null;
                    }
                    String disputeId = t.getProcessInstance().getBusinessKey();
                    Object complaintId = t.getExecution().getVariable(Var.COMPLAINT_ID);
                    return disputeId == null ? null : new StaffTask(t.getTaskDefinitionKey(), disputeId,
                            complaintId == null ? null : complaintId.toString(), t.getDueDate());
                } finally {
                    context.enableAuthorizationCheck();
                }
            });
        }
    }
}
