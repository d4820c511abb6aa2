package cn.kameng.refunddesk.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak resident memory of this JVM during one measure: {@code VmRSS} from /proc/self/status sampled
 * every 50 ms, and {@code VmHWM} (the kernel's own high-water mark) where it could be reset at the
 * start by writing 5 to /proc/self/clear_refs. Zero on a system without /proc.
 */
final class PeakRss implements AutoCloseable {

    private static final Path STATUS = Path.of("/proc/self/status");

    private final Thread sampler;
    private final boolean hwmReset;
    private volatile boolean running = true;
    private volatile long maxSampledKb;

    private PeakRss() {
        hwmReset = resetHighWaterMark();
        maxSampledKb = read("VmRSS:");
        sampler = new Thread(() -> {
            while (running) {
                maxSampledKb = Math.max(maxSampledKb, read("VmRSS:"));
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "benchmark-rss");
        sampler.setDaemon(true);
        sampler.start();
    }

    static PeakRss start() {
        return new PeakRss();
    }

    /** The peak in MiB: the reset high-water mark if it could be reset, else the highest sample. */
    long peakMiB() {
        long peak = maxSampledKb;
        if (hwmReset) {
            peak = Math.max(peak, read("VmHWM:"));
        }
        return peak / 1024;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }

    private static boolean resetHighWaterMark() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static long read(String field) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
