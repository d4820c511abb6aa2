package cn.kameng.refunddesk.dispute;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The one clock of the service: every deadline, timeline entry and outbox row reads it, so that it and
 * the process engine's timers agree. The engine adapter points it at the engine's clock at start
 * (which tests move); until then it is the system clock.
 */
public final class ServiceClock {

    /** Beijing time: the official calendar's, the dates in dispute ids, the times staff read. */
    public static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

    private static volatile Supplier<Instant> source = Instant::now;

    private ServiceClock() {
    }

    public static Instant now() {
        return source.get();
    }

    /** Called once by the engine adapter; the kernel does not know where its time comes from. */
    public static void use(Supplier<Instant> clock) {
        source = Objects.requireNonNull(clock, "clock");
    }
}
