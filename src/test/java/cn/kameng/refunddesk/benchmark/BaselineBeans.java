package cn.kameng.refunddesk.benchmark;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The bare baseline's side of the benchmark, in the same application (same engine configuration, same
 * HTTP stack and HTTP Basic sign-in under /api): a no-op delegate and an endpoint that starts the
 * baseline process and correlates its messages. Present only when {@code benchmark.baseline=true}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "benchmark.baseline", havingValue = "true")
class BaselineBeans {

    static final String PROCESS = "baselineDispute";
    static final String TIMER_MERCHANT_REPLY_DUE = "b_timer_merchantReplyDue";
    static final String SILENCE = "b_silence";
    static final String ARBITRATE = "b_arbitrate";
    static final String ACCEPTED = "BaselineAccepted";
    static final String SETTLED = "BaselineSettled";
    static final String ARRIVED = "BaselineArrived";

    @Bean
    JavaDelegate baselineNoOp() {
        return execution -> { };
    }

    @RestController
    @ConditionalOnProperty(name = "benchmark.baseline", havingValue = "true")
    @RequestMapping("/api/v1/benchmark-baseline/disputes")
    static class BaselineController {

        private final RuntimeService runtime;

        BaselineController(RuntimeService runtime) {
            this.runtime = runtime;
        }

        @PostMapping
        @Transactional
        ResponseEntity<Map<String, String>> open(@RequestBody Map<String, String> body) {
            String id = body.getOrDefault("id", "BSL-" + UUID.randomUUID());
            runtime.startProcessInstanceByKey(PROCESS, id);
            return ResponseEntity.created(URI.create("/api/v1/benchmark-baseline/disputes/" + id))
                    .body(Map.of("id", id));
        }

        @PostMapping("/{id}/messages/{message}")
        @Transactional
        Map<String, String> message(@PathVariable String id, @PathVariable String message) {
            runtime.createMessageCorrelation(message).processInstanceBusinessKey(id).correlateWithResult();
            return Map.of("id", id);
        }
    }
}
