package io.graft.runtime.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The results of a {@code graft compare} grid as they come in: one {@link Outcome} per run, finished or
 * failed, and per method × order the {@link MeanStd} of every {@link Metric} over the seeds that finished.
 */
public final class Comparison {

    /** The continual-learning numbers of each protocol, as named in {@code summary.json}. */
    private static final List<Metric> PER_PROTOCOL = List.of(
            new Metric("average_accuracy", "average accuracy", null, 4, true),
            new Metric("forgetting", "forgetting", null, 4, false),
            new Metric("bwt", "BWT", null, 4, true),
            new Metric("fwt", "FWT", null, 4, true));
    /** Cost: throughput and wall time from {@code summary.json}, memory from {@code metrics.jsonl}. */
    private static final List<Metric> COST = List.of(
            new Metric("train_samples_per_second", "train samples/s", null, 0, true),
            new Metric("wall_seconds", "wall s", null, 1, false),
            new Metric("peak_rss_mb", "peak RSS MB", null, 0, false));

    /**
     * A number compared across runs.
     *
     * @param key its column key: {@code class_il.average_accuracy} for a protocol's number, else e.g.
     *     {@code wall_seconds}
     * @param label a short human name
     * @param protocol the protocol, or {@code null} for a cost number
     * @param decimals how many decimals tables show
     * @param higherIsBetter which way is better
     */
    public record Metric(String key, String label, String protocol, int decimals, boolean higherIsBetter) {}

    /**
     * What one run of the grid gave.
     *
     * @param cell the run
     * @param failure {@code null} when it finished, else the one-line reason
     * @param exitCode 0 when it finished, else the exit code its failure would have had
     * @param values its numbers by {@link Metric#key()} (empty when it failed)
     */
    public record Outcome(CompareSpec.Cell cell, String failure, int exitCode, Map<String, Double> values) {

        /** @return whether the run finished */
        public boolean ok() {
            return failure == null;
        }
    }

    /**
     * The seeds of one method × order together.
     *
     * @param method the method
     * @param order the order
     * @param finished runs that finished
     * @param failed runs that failed
     * @param failures the failed runs' reasons, e.g. {@code seed 2: plugin 'er' failed ...}
     * @param stats per {@link Metric#key()}, over the finished runs
     */
    public record Row(String method, String order, int finished, int failed, List<String> failures,
                      Map<String, MeanStd> stats) {}

    private final CompareSpec spec;
    private final int planned;
    private final List<Outcome> outcomes = new ArrayList<>();

    /**
     * @param spec the grid
     * @param planned how many runs the grid has
     */
    public Comparison(CompareSpec spec, int planned) {
        this.spec = spec;
        this.planned = planned;
    }

    /** @return the grid */
    public CompareSpec spec() {
        return spec;
    }

    /** @return how many runs the grid has (recorded or not) */
    public int planned() {
        return planned;
    }

    /**
     * Records a finished run, reading its numbers from its folder.
     *
     * @param cell the run
     * @param dir its folder
     */
    public void finished(CompareSpec.Cell cell, Path dir) {
        RunFiles files = RunFiles.read(dir);
        Map<String, Double> values = new LinkedHashMap<>();
        for (String protocol : files.protocols()) {
            for (Metric m : PER_PROTOCOL) {
                values.put(protocol + "." + m.key(), RunFiles.number(files.summary().path(protocol).path(m.key())));
            }
        }
        values.put("train_samples_per_second", RunFiles.number(files.summary().path("train_samples_per_second")));
        values.put("wall_seconds", RunFiles.number(files.summary().path("wall_seconds")));
        values.put("peak_rss_mb", files.peakRssMb().isPresent() ? files.peakRssMb().getAsDouble() : null);
        outcomes.add(new Outcome(cell, null, 0, values));
    }

    /**
     * Records a failed run.
     *
     * @param cell the run
     * @param reason one line
     * @param exitCode the exit code its failure means
     */
    public void failed(CompareSpec.Cell cell, String reason, int exitCode) {
        outcomes.add(new Outcome(cell, reason.strip().replaceAll("\\s*\\R\\s*", " "), exitCode, Map.of()));
    }

    /** @return every run recorded so far, in grid order */
    public List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** @return the protocols of the finished runs, in order of first appearance */
    public List<String> protocols() {
        Set<String> out = new LinkedHashSet<>();
        for (Outcome o : outcomes) {
            o.values().keySet().stream().filter(k -> k.contains(".")).forEach(k -> out.add(k.substring(0, k.indexOf('.'))));
        }
        return List.copyOf(out);
    }

    /** @return every metric compared: each protocol's four numbers, then the cost numbers */
    public List<Metric> metrics() {
        List<Metric> out = new ArrayList<>();
        for (String protocol : protocols()) {
            for (Metric m : PER_PROTOCOL) {
                out.add(new Metric(protocol + "." + m.key(), m.label(), protocol, m.decimals(), m.higherIsBetter()));
            }
        }
        out.addAll(COST);
        return out;
    }

    /** @return one row per method × order that has a recorded run, in grid order */
    public List<Row> rows() {
        Map<String, List<Outcome>> groups = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            groups.computeIfAbsent(o.cell().method() + "\n" + o.cell().order(), k -> new ArrayList<>()).add(o);
        }
        List<Metric> metrics = metrics();
        List<Row> rows = new ArrayList<>();
        for (List<Outcome> group : groups.values()) {
            List<Outcome> done = group.stream().filter(Outcome::ok).toList();
            Map<String, MeanStd> stats = new LinkedHashMap<>();
            for (Metric m : metrics) {
                stats.put(m.key(), MeanStd.of(done.stream().map(o -> o.values().get(m.key())).toList()));
            }
            List<String> failures = group.stream().filter(o -> !o.ok())
                    .map(o -> "seed " + o.cell().seed() + ": " + o.failure()).collect(Collectors.toList());
            CompareSpec.Cell first = group.get(0).cell();
            rows.add(new Row(first.method(), first.order(), done.size(), failures.size(), failures, stats));
        }
        return rows;
    }
}
