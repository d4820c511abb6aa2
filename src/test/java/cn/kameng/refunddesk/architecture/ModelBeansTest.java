package cn.kameng.refunddesk.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import cn.kameng.refunddesk.process.ProcessIds;
import cn.kameng.refunddesk.support.DisputeServiceTest;

/**
 * The models call Spring beans by name only: every {@code camunda:delegateExpression} names a bean of the
 * right kind (a JavaDelegate for a service task, a TaskListener or ExecutionListener for a listener), and
 * every name another expression reads is a bean or a process variable of ProcessIds.Var.
 */
@DisputeServiceTest
class ModelBeansTest {

    /** A name not preceded by a dot or another name character: the root of a value or method expression. */
    private static final Pattern ROOT_NAME = Pattern.compile("(?<![.\\w])([A-Za-z_]\\w*)");
    private static final Set<String> EL_WORDS = Set.of("true", "false", "null", "empty", "not", "and", "or", "eq",
            "ne", "lt", "gt", "le", "ge", "div", "mod", "instanceof");
    private static final Set<String> ENGINE_NAMES = Set.of("execution", "task");

    @Autowired ApplicationContext context;

    @Test
    void everyDelegateExpressionNamesABeanOfItsKind() {
        Map<String, Class<?>> expected = new LinkedHashMap<>();
        for (var file : Models.files("processes", ".bpmn")) {
            var doc = Models.xml(file);
            for (String kind : new String[] {"serviceTask", "sendTask"}) {
                Models.elements(doc, Models.BPMN, kind).forEach(e ->
                        expected.put(bean(e.getAttributeNS(Models.CAMUNDA, "delegateExpression")), JavaDelegate.class));
            }
            Models.elements(doc, Models.CAMUNDA, "taskListener").forEach(e ->
                    expected.put(bean(e.getAttribute("delegateExpression")), TaskListener.class));
            Models.elements(doc, Models.CAMUNDA, "executionListener").forEach(e ->
                    expected.put(bean(e.getAttribute("delegateExpression")), ExecutionListener.class));
        }
        expected.remove("");
        assertThat(expected).isNotEmpty();
        assertThat(expected).allSatisfy((name, type) -> {
            assertThat(context.containsBean(name)).as("a bean called %s", name).isTrue();
            assertThat(context.getBean(name)).as("bean %s", name).isInstanceOf(type);
        });
    }

    @Test
    void noModelNamesAClassOrAScript() {
        for (var file : Models.files("processes", ".bpmn")) {
            var doc = Models.xml(file);
            assertThat(Models.elements(doc, "*", "*")).allSatisfy(e -> {
                assertThat(e.getAttributeNS(Models.CAMUNDA, "class")).as("%s in %s", e.getAttribute("id"), file).isEmpty();
                assertThat(e.getAttribute("class")).as("%s in %s", e.getAttribute("id"), file).isEmpty();
            });
            assertThat(Models.elements(doc, Models.BPMN, "scriptTask")).as("script tasks in %s", file).isEmpty();
            assertThat(Models.elements(doc, Models.CAMUNDA, "script")).as("scripts in %s", file).isEmpty();
        }
    }

    /**
     * {@code ${deadlines.at(execution, 'REVIEW')}}, {@code ${ruling == 'REJECT' && !fourEyesRequired}}: every name an
     * expression starts from (not a member after a dot, not in quotes) is a bean, a variable of ProcessIds.Var, or
     * the engine's own {@code execution} / {@code task}.
     */
    @Test
    void everyNameAnExpressionReadsIsABeanOrAVariable() {
        var variables = ProcessIdsTest.constants(ProcessIds.Var.class).values();
        for (String expression : Models.bpmnExpressions()) {
            Matcher m = ROOT_NAME.matcher(expression.replaceAll("'[^']*'|\"[^\"]*\"", "''"));
            int names = 0;
            while (m.find()) {
                String name = m.group(1);
                if (EL_WORDS.contains(name)) {
                    continue;
                }
                names++;
                assertThat(variables.contains(name) || ENGINE_NAMES.contains(name) || context.containsBean(name))
                        .as("${%s}: %s is neither a bean nor a variable of ProcessIds.Var", expression, name).isTrue();
            }
            assertThat(names).as("names in ${%s}", expression).isPositive();
        }
    }

    private static String bean(String expression) {
        Matcher m = Models.EXPRESSION.matcher(expression);
        return m.matches() ? m.group(1).trim() : expression;
    }
}
