package io.graft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Running {@code bin/graft run} with small settings, and what every command line failure must look like. */
final class Cli {

    /** Generous: a small run takes a few seconds, the JVM and Felix start included. */
    static final Duration TIMEOUT = Duration.ofMinutes(3);

    /**
     * One PyTorch thread: for a 784-64-10 MLP it is as fast as several, gives the same numbers, and keeps a
     * run from crawling when another build keeps the cores busy (idle OpenMP threads spin).
     */
    static final Map<String, String> SMALL_RUN_ENV = Map.of("OMP_NUM_THREADS", "1");

    private Cli() {}

    /** @return the small data set shipped with the distribution (5000 train, 1000 test images) */
    static Path mini(Path home) {
        return home.resolve("examples/data/fashion-mnist-mini");
    }

    /**
     * {@code graft run CONFIG --out OUT --set ...} with the settings that keep a run to seconds on a CPU: the
     * mini data, an MLP with one hidden layer of 64, batch 32, on the CPU (deterministic everywhere).
     *
     * @param home the distribution
     * @param work the working folder
     * @param config a config file
     * @param out the run folder
     * @param moreSets further {@code dotted.key=value} overrides, applied last
     * @return what the process did
     */
    static GraftDistribution.Result run(Path home, Path work, Path config, Path out, String... moreSets) {
        List<String> args = new ArrayList<>(List.of("run", config.toString(), "--out", out.toString()));
        for (String s : List.of("data.dir=" + mini(home), "model.hidden=[64]", "train.batchSize=32",
                "scenario.tasks=5", "device=cpu")) {
            args.add("--set");
            args.add(s);
        }
        for (String s : moreSets) {
            args.add("--set");
            args.add(s);
        }
        return GraftDistribution.graft(home, work, TIMEOUT, SMALL_RUN_ENV, args.toArray(String[]::new));
    }

    /** Asserts that neither stream carries a Java stack trace. */
    static void assertNoStackTrace(GraftDistribution.Result r) {
        for (String stream : List.of(r.stdout(), r.stderr())) {
            assertFalse(stream.contains("\tat "), "stack trace leaked:\n" + r.describe());
            assertFalse(stream.contains("Exception in thread"), "stack trace leaked:\n" + r.describe());
            assertFalse(stream.contains("Caused by:"), "stack trace leaked:\n" + r.describe());
        }
    }

    /**
     * Asserts the contract of a failing command: the exit code, nothing on stdout, stderr exactly one line
     * {@code graft: ...}, no stack trace.
     *
     * @return that line, without the {@code graft: } prefix
     */
    static String assertOneLineFailure(GraftDistribution.Result r, int exitCode) {
        assertFalse(r.timedOut(), r.describe());
        assertEquals(exitCode, r.exitCode(), r.describe());
        assertNoStackTrace(r);
        assertEquals("", r.stdout().strip(), "a failing command prints nothing on stdout\n" + r.describe());
        List<String> lines = r.stderr().lines().toList();
        assertEquals(1, lines.size(), "stderr must be exactly one line\n" + r.describe());
        assertTrue(lines.get(0).startsWith("graft: "), r.describe());
        return lines.get(0).substring("graft: ".length());
    }

    /** @return the last line of stderr */
    static String lastErrorLine(GraftDistribution.Result r) {
        List<String> lines = r.stderr().strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
