package cn.kameng.refunddesk.engine;

import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.ServiceClock;

/** Points the service's clock at the engine's, so that our deadlines and the engine's timers read one time. */
@Component
class EngineClock {

    EngineClock() {
        ServiceClock.use(() -> ClockUtil.getCurrentTime().toInstant());
    }
}
