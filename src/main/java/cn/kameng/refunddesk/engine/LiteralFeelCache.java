package cn.kameng.refunddesk.engine;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.camunda.bpm.dmn.engine.impl.DefaultDmnEngineConfiguration;
import org.camunda.bpm.dmn.feel.impl.FeelEngine;
import org.camunda.bpm.dmn.feel.impl.scala.ScalaFeelEngineFactory;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.variable.context.VariableContext;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The FEEL engine of the DMN decisions, with the answers to literal-only cells remembered.
 * <p>
 * The Scala FEEL engine builds its whole context of built-in functions for every cell it evaluates;
 * the eligibility table has a few dozen cells, so one decision cost more than everything else in
 * opening a dispute (docs/benchmarks.md). A cell that holds only literals ({@code "A","B"},
 * {@code > 15}, {@code -}) gives the same answer for the same input value whatever else the context
 * holds, so its answer is kept; a literal string output is its own value, and an input expression that
 * only names a text, boolean or number variable is that value (a number as FEEL gives it back: whole numbers as
 * Long, others as Double), so the abuse flags' numeric facts skip the engine too. Any other cell (a function, a number, a comparison with a
 * variable) goes to the FEEL engine as before. Decisions, their history and the models are
 * unchanged; a model deployed later with other cells simply has other keys.
 */
@Component
@ConditionalOnProperty(name = "dispute.engine.literal-feel-cache", havingValue = "true", matchIfMissing = true)
class LiteralFeelCache extends AbstractProcessEnginePlugin {

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        DefaultDmnEngineConfiguration dmn = configuration.getDmnEngineConfiguration() != null
                ? configuration.getDmnEngineConfiguration()
                : (DefaultDmnEngineConfiguration) DefaultDmnEngineConfiguration.createDefaultDmnEngineConfiguration();
        dmn.setFeelEngineFactory(() -> new Engine(new ScalaFeelEngineFactory(
                configuration.getDmnFeelCustomFunctionProviders() == null ? new java.util.ArrayList<>()
                        : configuration.getDmnFeelCustomFunctionProviders()).createInstance()));
        configuration.setDmnEngineConfiguration(dmn);
    }

    static final class Engine implements FeelEngine {

        private static final String STRING = "\"[^\"\\\\]*\"";
        private static final String NUMBER = "-?\\d+(\\.\\d+)?";
        private static final String TEST = "(" + STRING + "|(<=|>=|<|>|=)?\\s*" + NUMBER + "|true|false|null)";
        private static final String TESTS = TEST + "(\\s*,\\s*" + TEST + ")*";
        private static final Pattern LITERAL_TESTS = Pattern.compile("\\s*(-|(not\\(\\s*)?" + TESTS
                + "(\\s*\\))?)?\\s*");
        private static final Pattern LITERAL_STRING = Pattern.compile("\\s*" + STRING + "\\s*");
        private static final Pattern NAME = Pattern.compile("\\s*[A-Za-z_][A-Za-z0-9_]*\\s*");
        private static final java.util.Set<String> KEYWORDS = java.util.Set.of("true", "false", "null", "not",
                "and", "or", "if", "then", "else", "for", "in", "some", "every", "satisfies", "instance", "of",
                "function", "between");
        private static final int MAX_ENTRIES = 10_000;

        private final FeelEngine feel;
        private final Map<String, Boolean> answers = new ConcurrentHashMap<>();

        Engine(FeelEngine feel) {
            this.feel = feel;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T evaluateSimpleExpression(String expression, VariableContext variables) {
            if (expression != null && LITERAL_STRING.matcher(expression).matches()) {
                String literal = expression.trim();
                return (T) literal.substring(1, literal.length() - 1);
            }
            if (expression != null && NAME.matcher(expression).matches() && !KEYWORDS.contains(expression.trim())) {
                TypedValue value = variables.resolve(expression.trim());
                if (value != null) {
                    Object v = value.getValue();
                    if (v instanceof String || v instanceof Boolean) {
                        return (T) v;
                    }
                    Object number = asFeelReturnsIt(v);
                    if (number != null) {
                        return (T) number;
                    }
                }
            }
            return feel.evaluateSimpleExpression(expression, variables);
        }

        @Override
        public boolean evaluateSimpleUnaryTests(String expression, String inputVariable, VariableContext variables) {
            String key = key(expression, inputVariable, variables);
            if (key == null) {
                return feel.evaluateSimpleUnaryTests(expression, inputVariable, variables);
            }
            Boolean known = answers.get(key);
            if (known != null) {
                return known;
            }
            boolean answer = feel.evaluateSimpleUnaryTests(expression, inputVariable, variables);
            if (answers.size() >= MAX_ENTRIES) {
                answers.clear();
            }
            answers.put(key, answer);
            return answer;
        }

        /**
         * A number as the FEEL engine gives a variable that names one back: a whole number as a Long, any other
         * as a Double (its value mapper's rule); null for what is not a plain finite number (left to FEEL).
         */
        static Object asFeelReturnsIt(Object v) {
            BigDecimal d;
            if (v instanceof Long || v instanceof Integer || v instanceof Short) {
                return ((Number) v).longValue();
            } else if (v instanceof Double x && Double.isFinite(x)) {
                d = BigDecimal.valueOf(x);
            } else if (v instanceof BigDecimal b) {
                d = b;
            } else {
                return null;
            }
            if (d.signum() == 0 || d.stripTrailingZeros().scale() <= 0) {
                try {
                    return d.longValueExact();
                } catch (ArithmeticException tooLarge) {
                    return null;
                }
            }
            return d.doubleValue();
        }

        /** The cell and the input value, or null when the answer may depend on more than that. */
        static String key(String expression, String inputVariable, VariableContext variables) {
            if (expression == null || !LITERAL_TESTS.matcher(expression).matches()) {
                return null;
            }
            TypedValue input = variables.resolve(inputVariable);
            Object value = input == null ? null : input.getValue();
            if (value != null && !(value instanceof String || value instanceof Long || value instanceof Integer
                    || value instanceof Short || value instanceof BigDecimal || value instanceof Double
                    || value instanceof Boolean)) {
                return null;
            }
            return expression + '\u0000' + (value == null ? "null" : value.getClass().getName() + ':' + value);
        }
    }
}
