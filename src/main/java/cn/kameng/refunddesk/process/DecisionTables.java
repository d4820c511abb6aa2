package cn.kameng.refunddesk.process;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The DMN tables process owners edit (processes/*.dmn), asked by their key ({@link ProcessIds}).
 * Implemented by the engine adapter; the inputs and outputs are plain values of the tables' columns.
 */
public interface DecisionTables {

    /** A table with a single result (hit policy UNIQUE or FIRST): its output row, or empty when no rule matched. */
    Optional<Map<String, Object>> single(String decisionKey, Map<String, Object> input);

    /** A table that collects: every output row of the rules that matched, in the table's order. */
    List<Map<String, Object>> collect(String decisionKey, Map<String, Object> input);
}
