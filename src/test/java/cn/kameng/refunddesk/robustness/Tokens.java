package cn.kameng.refunddesk.robustness;

import java.util.ArrayList;
import java.util.List;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ActivityInstance;
import org.camunda.bpm.engine.runtime.TransitionInstance;

/** Where a process instance's tokens are: the leaves of its activity-instance tree (async waits included). */
final class Tokens {

    private Tokens() {
    }

    static List<String> of(RuntimeService runtime, String processInstanceId) {
        ActivityInstance root = runtime.getActivityInstance(processInstanceId);
        List<String> tokens = new ArrayList<>();
        if (root != null) {
            collect(root, tokens);
        }
        return tokens;
    }

    private static void collect(ActivityInstance instance, List<String> tokens) {
        for (TransitionInstance t : instance.getChildTransitionInstances()) {
            tokens.add(t.getActivityId());
        }
        if (instance.getChildActivityInstances().length == 0 && instance.getChildTransitionInstances().length == 0) {
            tokens.add(instance.getActivityId());
        }
        for (ActivityInstance child : instance.getChildActivityInstances()) {
            collect(child, tokens);
        }
    }
}
