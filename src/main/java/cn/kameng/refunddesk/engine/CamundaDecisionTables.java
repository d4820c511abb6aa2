package cn.kameng.refunddesk.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.camunda.bpm.dmn.engine.DmnDecisionResultEntries;
import org.camunda.bpm.engine.DecisionService;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.process.DecisionTables;

/** {@link DecisionTables} on the engine's decision service (the deployed processes/*.dmn, latest version). */
@Component
class CamundaDecisionTables implements DecisionTables {

    private final DecisionService decisions;

    CamundaDecisionTables(DecisionService decisions) {
        this.decisions = decisions;
    }

    @Override
    public Optional<Map<String, Object>> single(String decisionKey, Map<String, Object> input) {
        DmnDecisionResultEntries row = decisions.evaluateDecisionByKey(decisionKey).variables(input).evaluate()
                .getSingleResult();
        return Optional.ofNullable(row).map(r -> new LinkedHashMap<>(r.getEntryMap()));
    }

    @Override
    public List<Map<String, Object>> collect(String decisionKey, Map<String, Object> input) {
        return decisions.evaluateDecisionByKey(decisionKey).variables(input).evaluate().getResultList().stream()
                .<Map<String, Object>>map(LinkedHashMap::new).toList();
    }
}
