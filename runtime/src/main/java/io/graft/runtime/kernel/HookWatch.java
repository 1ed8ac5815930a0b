package io.graft.runtime.kernel;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * A watchdog for plugin hooks ({@code train.hookTimeout}): a daemon thread looks at the hook in progress every
 * tenth of a second, and when one has run longer than the limit it hands a {@link PluginFailure} naming the plugin,
 * the hook, the task and the step to the run's failure handling (the metrics get their {@code failure} line) and
 * stops the process with exit code 4. A hung plugin cannot be taken back safely inside the JVM, so this is the
 * clean stop: what was written (metrics, the last checkpoint) stays on disk and {@code graft resume} goes on from it.
 * Without a limit there is no thread and a call costs two volatile writes.
 */
final class HookWatch {

    private final long limitNanos;
    private volatile String plugin;
    private volatile String hook;
    private volatile int task;
    private volatile long step;
    private volatile long since;
    private Thread thread;

    /** @param seconds the limit, 0 for none */
    HookWatch(double seconds) {
        this.limitNanos = seconds > 0 ? (long) (seconds * 1e9) : 0;
    }

    /**
     * Starts watching (when there is a limit).
     *
     * @param onHang told of the hung hook before the process stops
     */
    void start(Consumer<PluginFailure> onHang) {
        if (limitNanos == 0 || thread != null) {
            return;
        }
        thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                String p = plugin;
                long t0 = since;
                if (p != null && System.nanoTime() - t0 > limitNanos) {
                    PluginFailure f = new PluginFailure(p, hook, task, step, new IllegalStateException(String.format(
                            Locale.ROOT, "it did not return within train.hookTimeout (%.1f s)", limitNanos / 1e9)));
                    try {
                        onHang.accept(f);
                    } finally {
                        System.err.println("graft: " + f.getMessage() + "; the run is stopped (metrics and the last"
                                + " checkpoint are on disk: graft resume goes on from it)");
                        System.err.flush();
                        Runtime.getRuntime().halt(io.graft.runtime.UserException.PLUGIN_FAILED);
                    }
                }
            }
        }, "graft-hook-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** A hook call begins. */
    void begin(String pluginId, String hookName, int taskIndex, long stepIndex) {
        if (limitNanos == 0) {
            return;
        }
        hook = hookName;
        task = taskIndex;
        step = stepIndex;
        since = System.nanoTime();
        plugin = pluginId;
    }

    /** The hook call returned (or threw). */
    void end() {
        plugin = null;
    }

    /** Stops watching. */
    void stop() {
        if (thread != null) {
            thread.interrupt();
            thread = null;
        }
    }
}
