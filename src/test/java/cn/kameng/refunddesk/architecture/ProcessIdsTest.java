package cn.kameng.refunddesk.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import cn.kameng.refunddesk.process.ProcessIds;

/**
 * ProcessIds is the one place the Java code names what the models define. Every constant must name
 * something that exists in processes/*.bpmn, processes/*.dmn or forms/*.form, so that renaming an element
 * in the Modeler without renaming it here fails the build instead of a dispute at run time.
 */
class ProcessIdsTest {

    /** Set by the service when it starts external-complaint.bpmn and read by its delegates; no model names it. */
    private static final Set<String> VARIABLES_ONLY_JAVA_SETS = Set.of(ProcessIds.Var.COMPLAINT_ID);

    @Test
    void everyProcessKeyIsAProcessOfTheModels() {
        Set<String> processes = Models.attributeValues("processes", ".bpmn", Models.BPMN, "process", null, "id");
        assertThat(processes).contains(ProcessIds.PROCESS_REFUND_DISPUTE, ProcessIds.PROCESS_EXTERNAL_COMPLAINT);
    }

    @Test
    void everyDecisionKeyIsADecisionOfTheTables() {
        Set<String> decisions = Models.attributeValues("processes", ".dmn", "*", "decision", null, "id");
        assertThat(decisions).contains(ProcessIds.DECISION_ELIGIBILITY, ProcessIds.DECISION_REQUIRED_EVIDENCE);
    }

    @Test
    void everyMessageIsAMessageOfTheModels() {
        Set<String> messages = Models.attributeValues("processes", ".bpmn", Models.BPMN, "message", null, "name");
        assertThat(constants(ProcessIds.Message.class)).allSatisfy((name, value) ->
                assertThat(messages).as("ProcessIds.Message.%s", name).contains(value));
    }

    @Test
    void everyElementIdIsAnElementOfTheModels() {
        Set<String> ids = Models.bpmnIds();
        assertThat(constants(ProcessIds.Element.class)).allSatisfy((name, value) ->
                assertThat(ids).as("ProcessIds.Element.%s", name).contains(value));
    }

    @Test
    void everyTaskKeyIsAUserTaskWithItsOwnForm() {
        Set<String> forms = Models.formIds();
        Map<String, String> formOfTask = new LinkedHashMap<>();
        for (var file : Models.files("processes", ".bpmn")) {
            for (var task : Models.elements(Models.xml(file), Models.BPMN, "userTask")) {
                formOfTask.put(task.getAttribute("id"), task.getAttributeNS(Models.CAMUNDA, "formRef"));
            }
        }
        assertThat(constants(ProcessIds.Task.class)).allSatisfy((name, value) -> {
            assertThat(formOfTask).as("ProcessIds.Task.%s is a user task", name).containsKey(value);
            assertThat(forms).as("the form of user task %s", value).contains(formOfTask.get(value));
        });
        assertThat(formOfTask.keySet()).as("every user task has its key in ProcessIds.Task")
                .containsExactlyInAnyOrderElementsOf(constants(ProcessIds.Task.class).values());
    }

    @Test
    void everyVariableIsReadByAModelOrAForm() {
        List<String> expressions = Models.bpmnExpressions();
        Set<String> formKeys = Models.formKeys();
        Set<String> unread = constants(ProcessIds.Var.class).values().stream()
                .filter(v -> formKeys.stream().noneMatch(v::equals)
                        && expressions.stream().noneMatch(e -> e.matches("(?s).*\\b" + v + "\\b.*")))
                .collect(Collectors.toSet());
        assertThat(unread).as("variables neither a model's expression nor a form's field names")
                .isEqualTo(VARIABLES_ONLY_JAVA_SETS);
    }

    /** The public String constants of an id class, by field name. */
    static Map<String, String> constants(Class<?> ids) {
        Map<String, String> result = new LinkedHashMap<>();
        for (Field f : ids.getDeclaredFields()) {
            int m = f.getModifiers();
            if (Modifier.isStatic(m) && Modifier.isFinal(m) && Modifier.isPublic(m) && f.getType() == String.class) {
                try {
                    result.put(f.getName(), (String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        assertThat(result).as("constants of %s", ids.getSimpleName()).isNotEmpty();
        return result;
    }
}
