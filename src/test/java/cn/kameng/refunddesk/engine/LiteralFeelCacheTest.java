package cn.kameng.refunddesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.camunda.bpm.dmn.feel.impl.FeelEngine;
import org.camunda.bpm.dmn.feel.impl.scala.ScalaFeelEngineFactory;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.engine.variable.context.VariableContext;
import org.junit.jupiter.api.Test;

class LiteralFeelCacheTest {

    private final AtomicInteger evaluations = new AtomicInteger();
    private final FeelEngine scala = new ScalaFeelEngineFactory().createInstance();
    private final FeelEngine counting = new FeelEngine() {
        @Override
        public <T> T evaluateSimpleExpression(String expression, VariableContext variables) {
            evaluations.incrementAndGet();
            return scala.evaluateSimpleExpression(expression, variables);
        }

        @Override
        public boolean evaluateSimpleUnaryTests(String expression, String inputVariable, VariableContext variables) {
            evaluations.incrementAndGet();
            return scala.evaluateSimpleUnaryTests(expression, inputVariable, variables);
        }
    };
    private final LiteralFeelCache.Engine engine = new LiteralFeelCache.Engine(counting);

    private boolean test(String cell, Object input) {
        return engine.evaluateSimpleUnaryTests(cell, "cellInput",
                Variables.createVariables().putValue("cellInput", input).asVariableContext());
    }

    @Test
    void aLiteralCellIsAskedOncePerInputValueAndAnswersAsFeelDoes() {
        assertThat(test("\"DUPLICATE_CHARGE\",\"WRONG_ITEM\"", "WRONG_ITEM")).isTrue();
        assertThat(test("\"DUPLICATE_CHARGE\",\"WRONG_ITEM\"", "WRONG_ITEM")).isTrue();
        assertThat(test("\"DUPLICATE_CHARGE\",\"WRONG_ITEM\"", "OTHER")).isFalse();
        assertThat(test("> 15", 16L)).isTrue();
        assertThat(test("> 15", 15L)).isFalse();
        assertThat(test("> 15", 16L)).isTrue();
        assertThat(test("not(\"A\")", "B")).isTrue();
        assertThat(test("not(\"A\")", "A")).isFalse();
        assertThat(evaluations).hasValue(6);
    }

    @Test
    void aCellThatNamesAVariableOrAFunctionIsAlwaysAskedAgain() {
        var context = Variables.createVariables().putValue("cellInput", 16L).putValue("limit", 15L).asVariableContext();
        assertThat(engine.evaluateSimpleUnaryTests("> limit", "cellInput", context)).isTrue();
        assertThat(engine.evaluateSimpleUnaryTests("> limit", "cellInput", context)).isTrue();
        assertThat(test("[1..7]", 3L)).isTrue();
        assertThat(test("[1..7]", 3L)).isTrue();
        assertThat(evaluations).hasValue(4);
    }

    @Test
    void aQuotedOutputIsItsOwnValueATextVariableItsTextAndAnythingElseGoesToFeel() {
        var context = Variables.createVariables().putValue("reason", "NOT_DELIVERED").asVariableContext();
        assertThat((String) engine.evaluateSimpleExpression("\"商家未发货，受理退款争议。\"", context))
                .isEqualTo("商家未发货，受理退款争议。");
        assertThat(evaluations).hasValue(0);
        assertThat((String) engine.evaluateSimpleExpression("reason", context)).isEqualTo("NOT_DELIVERED");
        assertThat(evaluations).hasValue(0);
        assertThat((Object) engine.evaluateSimpleExpression("reason + \"!\"", context)).isEqualTo("NOT_DELIVERED!");
        assertThat(evaluations).hasValue(1);
    }

    @Test
    void aNumberOrBooleanVariableNamedAloneIsTheValueFeelWouldGiveBackWithoutAskingIt() {
        // the abuse flags' facts: counts, fen, shares; the same value and type as the Scala engine answers
        for (Object value : new Object[] {8L, 8, (short) 3, 0.5, 2.0, 0.0, -1.25, new java.math.BigDecimal("3.250"),
                new java.math.BigDecimal("12.00"), true, false}) {
            var context = Variables.createVariables().putValue("fact", value).asVariableContext();
            Object ours = engine.evaluateSimpleExpression("fact", context);
            Object feels = scala.evaluateSimpleExpression("fact", context);
            assertThat(ours).as("fact = %s (%s)", value, value.getClass().getSimpleName()).isEqualTo(feels);
            assertThat(ours.getClass()).as("fact = %s", value).isEqualTo(feels.getClass());
        }
        assertThat(evaluations).hasValue(0);
        var nan = Variables.createVariables().putValue("fact", Double.NaN).asVariableContext();
        engine.evaluateSimpleExpression("fact", nan);
        assertThat(evaluations).as("what is not a plain number goes to FEEL").hasValue(1);
    }
}
