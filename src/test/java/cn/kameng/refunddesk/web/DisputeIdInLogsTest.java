package cn.kameng.refunddesk.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** A request about one dispute logs with its id; any other request, and the next one, without. */
class DisputeIdInLogsTest {

    private final DisputeIdInLogs filter = new DisputeIdInLogs();

    private String duringRequestTo(String path) throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        filter.doFilter(new MockHttpServletRequest("GET", path), new MockHttpServletResponse(),
                (request, response) -> seen.set(MDC.get("disputeId")));
        return seen.get();
    }

    @Test
    void theDisputesIdIsInTheLogContextWhileItsRequestRuns() throws Exception {
        assertThat(duringRequestTo("/api/v1/disputes/D-2026-0001/evidence")).isEqualTo("D-2026-0001");
        assertThat(duringRequestTo("/api/v1/disputes/D-2026-0001")).isEqualTo("D-2026-0001");
        assertThat(MDC.get("disputeId")).isNull();
        assertThat(duringRequestTo("/api/v1/disputes")).isNull();
        assertThat(duringRequestTo("/api/v1/external-complaints")).isNull();
    }
}
