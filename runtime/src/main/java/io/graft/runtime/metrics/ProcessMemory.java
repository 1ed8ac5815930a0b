package io.graft.runtime.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The process's memory as the operating system sees it. Resident memory counts what the JVM heap does not:
 * PyTorch's native tensors, so it is the figure that shows an array leak.
 */
public final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {}

    /** @return resident set size in bytes, when the platform exposes it (Linux) */
    public static OptionalLong residentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[1]) * 1024L);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc is hidden: the figure is simply absent
        }
        return OptionalLong.empty();
    }

    /** @return bytes of the JVM heap in use now */
    public static long heapUsedBytes() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
