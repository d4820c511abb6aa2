package cn.kameng.refunddesk.robustness;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Two actions released at the same moment on two threads (a barrier), each after an optional head
 * start of the other side; what each threw is kept, nothing is swallowed. Close it after the test.
 */
final class Race implements AutoCloseable {

    /** What each side threw, or null for the side that went through. */
    record Result(Throwable first, Throwable second) {
        List<Throwable> failures() {
            return Stream.of(first, second).filter(t -> t != null).toList();
        }
    }

    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    Result run(Runnable first, Runnable second) throws Exception {
        return run(0, first, 0, second);
    }

    /** The delays (microseconds, after the common start) vary which side gets there first. */
    Result run(long firstDelayMicros, Runnable first, long secondDelayMicros, Runnable second) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        Future<Throwable> one = threads.submit(side(start, firstDelayMicros, first));
        Future<Throwable> two = threads.submit(side(start, secondDelayMicros, second));
        return new Result(one.get(60, TimeUnit.SECONDS), two.get(60, TimeUnit.SECONDS));
    }

    private static Callable<Throwable> side(CyclicBarrier start, long delayMicros, Runnable action) {
        return () -> {
            start.await(30, TimeUnit.SECONDS);
            if (delayMicros > 0) {
                TimeUnit.MICROSECONDS.sleep(delayMicros);
            }
            try {
                action.run();
                return null;
            } catch (Throwable t) {
                return t;
            }
        };
    }

    @Override
    public void close() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(30, TimeUnit.SECONDS);
    }
}
