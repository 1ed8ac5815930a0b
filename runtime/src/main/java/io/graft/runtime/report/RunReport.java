package io.graft.runtime.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code report.html} shows of one run: the data model that is written into the page as JSON and drawn
 * there. Made from the run's files by {@link #of(RunFiles)}; absent numbers are {@code null}.
 *
 * @param name the run's name
 * @param seed its seed
 * @param device the training device, e.g. {@code cpu()}
 * @param parameters scalar weights of the host network
 * @param trainSamplesPerSecond incoming training samples per second of training time
 * @param wallSeconds wall time of the run
 * @param trainSeconds time spent in training steps
 * @param steps training steps
 * @param peakRssMb largest resident size at a task end
 * @param plugins the plugins used, in hook order
 * @param configYaml the resolved config as YAML
 * @param tasks the task names, in training order
 * @param protocols per protocol, the accuracy matrix and its summary numbers
 * @param loss the training loss per task: points {@code [step, loss]}
 * @param taskStarts the global step at which each task starts
 * @param pluginMetrics per plugin metric (e.g. {@code ewc.penalty}): points {@code [step, value]}
 * @param memory {@code rss_mb} and {@code heap_mb} at each task end: points {@code [task number, MB]}
 * @param structure the network's shape changes (growth and shrinking), in order
 * @param seeds every lifecycle move of a slot's seed, in order (the timeline)
 * @param alphas per slot, its alpha at each blending step: points {@code [step, alpha]}
 * @param isolationViolations the isolation verifier's count, or {@code null} for a run without it
 * @param pluginChanges plugins replaced, gone or quarantined during the run ({@code swap} and {@code quarantine}
 *     lines), in order
 */
public record RunReport(String name, Long seed, String device, Long parameters, Double trainSamplesPerSecond,
                        Double wallSeconds, Double trainSeconds, Long steps, Double peakRssMb,
                        List<PluginUse> plugins, String configYaml, List<String> tasks,
                        List<ProtocolResult> protocols, List<Series> loss, List<Long> taskStarts,
                        List<Series> pluginMetrics, List<Series> memory, List<StructureChange> structure,
                        List<SeedMove> seeds, List<Series> alphas, Long isolationViolations,
                        List<PluginChange> pluginChanges) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    /**
     * A plugin of the run.
     *
     * @param id its id
     * @param version its bundle's version
     * @param config its bound config
     */
    public record PluginUse(String id, String version, JsonNode config) {}

    /**
     * One protocol's results.
     *
     * @param key e.g. {@code class_il}
     * @param matrix row i: accuracies after training task i; column j: task j
     * @param baseline the untrained model's accuracy per task
     * @param averageAccuracy mean of the last row
     * @param forgetting mean drop from each task's best accuracy to its final one
     * @param bwt backward transfer
     * @param fwt forward transfer
     */
    public record ProtocolResult(String key, List<List<Double>> matrix, List<Double> baseline,
                                 Double averageAccuracy, Double forgetting, Double bwt, Double fwt) {}

    /**
     * One change of the network's shape (a {@code growth} line of metrics.jsonl).
     *
     * @param step steps taken when it happened
     * @param task the task in progress
     * @param plugin the plugin that asked for it
     * @param operation {@code widen}, {@code insert_identity} or {@code remove_units}
     * @param layer the layer changed
     * @param detail the change in words
     * @param parametersBefore scalar weights before
     * @param parametersAfter scalar weights after
     */
    public record StructureChange(long step, int task, String plugin, String operation, String layer, String detail,
                                  long parametersBefore, long parametersAfter) {}

    /**
     * One lifecycle move of a slot's seed (a {@code seed} line of metrics.jsonl).
     *
     * @param step steps taken when it happened
     * @param task the task in progress
     * @param plugin who moved it: the growth policy, or {@code kernel} for the schedule's moves
     * @param slot the slot, e.g. {@code r1c0}
     * @param layer the host layer the slot sees
     * @param from the stage before
     * @param to the stage after
     * @param reason why
     * @param contribution the seed's last measured contribution, or {@code null}
     * @param parametersBefore scalar weights before
     * @param parametersAfter scalar weights after
     */
    public record SeedMove(long step, int task, String plugin, String slot, String layer, String from, String to,
                           String reason, Double contribution, long parametersBefore, long parametersAfter) {}

    /**
     * A plugin replaced (hot swap), gone from {@code plugins/}, or quarantined after a failure.
     *
     * @param kind {@code swap} or {@code quarantine}
     * @param plugin the plugin
     * @param what the change in words (versions, state, reason)
     */
    public record PluginChange(String kind, String plugin, String what) {}

    /**
     * A named line of points.
     *
     * @param name the legend name
     * @param points {@code [x, y]} pairs
     */
    public record Series(String name, List<double[]> points) {}

    /**
     * @param files a finished run's files
     * @return the report's model
     */
    public static RunReport of(RunFiles files) {
        JsonNode s = files.summary();
        List<PluginUse> plugins = new ArrayList<>();
        for (JsonNode p : s.path("plugins")) {
            plugins.add(new PluginUse(p.path("id").asText(), p.path("version").asText(), p.path("config")));
        }
        List<ProtocolResult> protocols = new ArrayList<>();
        for (String key : files.protocols()) {
            JsonNode p = s.path(key);
            List<List<Double>> matrix = new ArrayList<>();
            p.path("accuracy_matrix").forEach(row -> matrix.add(numbers(row)));
            protocols.add(new ProtocolResult(key, matrix, numbers(p.path("baseline_accuracies")),
                    RunFiles.number(p.path("average_accuracy")), RunFiles.number(p.path("forgetting")),
                    RunFiles.number(p.path("bwt")), RunFiles.number(p.path("fwt"))));
        }
        int taskCount = protocols.isEmpty() ? 0 : protocols.get(0).baseline().size();
        return new RunReport(s.path("name").asText(), integer(s.path("seed")), s.path("device").asText(null),
                integer(s.path("parameters")), RunFiles.number(s.path("train_samples_per_second")),
                RunFiles.number(s.path("wall_seconds")), RunFiles.number(s.path("train_seconds")),
                integer(s.path("steps")), files.peakRssMb().isPresent() ? files.peakRssMb().getAsDouble() : null,
                plugins, yaml(s.path("config")), taskNames(files, taskCount), protocols, loss(files),
                taskStarts(files), pluginMetrics(files), memory(files), structure(files), seeds(files), alphas(files),
                integer(s.path("isolation_violations")), pluginChanges(files));
    }

    private static List<String> taskNames(RunFiles files, int count) {
        List<String> names = new ArrayList<>();
        for (JsonNode start : files.events("run_start")) {
            start.path("tasks").forEach(t -> names.add(t.path("name").asText()));
        }
        for (int i = names.size(); i < count; i++) {
            names.add("task " + (i + 1));
        }
        return names;
    }

    private static List<Series> loss(RunFiles files) {
        Map<Integer, List<double[]>> byTask = new LinkedHashMap<>();
        for (JsonNode step : files.events("step")) {
            Double loss = RunFiles.number(step.path("loss"));
            if (loss != null) {
                byTask.computeIfAbsent(step.path("task").asInt(), t -> new ArrayList<>())
                        .add(new double[] {step.path("step").asDouble(), loss});
            }
        }
        List<Series> out = new ArrayList<>();
        byTask.forEach((task, points) -> out.add(new Series("T" + (task + 1), points)));
        return out;
    }

    private static List<Long> taskStarts(RunFiles files) {
        List<Long> starts = new ArrayList<>();
        for (JsonNode step : files.events("step")) {
            int task = step.path("task").asInt();
            if (task == starts.size()) {
                starts.add(step.path("step").asLong() - step.path("step_in_task").asLong());
            }
        }
        return starts;
    }

    private static List<Series> pluginMetrics(RunFiles files) {
        Map<String, List<double[]>> byMetric = new LinkedHashMap<>();
        for (JsonNode m : files.events("plugin")) {
            Double value = RunFiles.number(m.path("value"));
            if (value != null) {
                byMetric.computeIfAbsent(m.path("metric").asText(), k -> new ArrayList<>())
                        .add(new double[] {m.path("step").asDouble(), value});
            }
        }
        List<Series> out = new ArrayList<>();
        byMetric.forEach((name, points) -> out.add(new Series(name, points)));
        return out;
    }

    private static List<Series> memory(RunFiles files) {
        List<double[]> rss = new ArrayList<>();
        List<double[]> heap = new ArrayList<>();
        for (JsonNode end : files.events("task_end")) {
            double task = end.path("task").asInt() + 1;
            if (end.path("rss_mb").isNumber()) {
                rss.add(new double[] {task, end.path("rss_mb").asDouble()});
            }
            if (end.path("heap_mb").isNumber()) {
                heap.add(new double[] {task, end.path("heap_mb").asDouble()});
            }
        }
        List<Series> out = new ArrayList<>();
        if (!rss.isEmpty()) {
            out.add(new Series("resident (rss_mb)", rss));
        }
        if (!heap.isEmpty()) {
            out.add(new Series("JVM heap (heap_mb)", heap));
        }
        return out;
    }

    private static List<StructureChange> structure(RunFiles files) {
        List<StructureChange> out = new ArrayList<>();
        for (JsonNode g : files.events("growth")) {
            out.add(new StructureChange(g.path("step").asLong(), g.path("task").asInt(), g.path("plugin").asText(),
                    g.path("operation").asText(), g.path("layer").asText(), g.path("detail").asText(),
                    g.path("parameters_before").asLong(), g.path("parameters_after").asLong()));
        }
        return out;
    }

    private static List<SeedMove> seeds(RunFiles files) {
        List<SeedMove> out = new ArrayList<>();
        for (JsonNode e : files.events("seed")) {
            out.add(new SeedMove(e.path("step").asLong(), e.path("task").asInt(), e.path("plugin").asText(),
                    e.path("slot").asText(), e.path("layer").asText(), e.path("from").asText(), e.path("to").asText(),
                    e.path("reason").asText(), RunFiles.number(e.path("contribution")),
                    e.path("parameters_before").asLong(), e.path("parameters_after").asLong()));
        }
        return out;
    }

    private static List<PluginChange> pluginChanges(RunFiles files) {
        List<PluginChange> out = new ArrayList<>();
        for (JsonNode e : files.events("swap")) {
            out.add(new PluginChange("swap", e.path("plugin").asText(), e.path("from").asText() + " → "
                    + e.path("to").asText() + ": " + e.path("note").asText()));
        }
        for (JsonNode e : files.events("quarantine")) {
            out.add(new PluginChange("quarantine", e.path("plugin").asText(), e.path("reason").asText()
                    + "; the run went back to step " + e.path("resumed_at").asLong()));
        }
        return out;
    }

    private static List<Series> alphas(RunFiles files) {
        java.util.Map<String, List<double[]>> bySlot = new java.util.TreeMap<>();
        for (JsonNode e : files.events("alpha")) {
            bySlot.computeIfAbsent(e.path("slot").asText(), k -> new ArrayList<>())
                    .add(new double[] {e.path("step").asDouble(), e.path("alpha").asDouble()});
        }
        List<Series> out = new ArrayList<>();
        bySlot.forEach((slot, points) -> out.add(new Series(slot, points)));
        return out;
    }

    private static List<Double> numbers(JsonNode array) {
        List<Double> out = new ArrayList<>();
        array.forEach(n -> out.add(RunFiles.number(n)));
        return out;
    }

    private static Long integer(JsonNode node) {
        return node.isIntegralNumber() ? node.asLong() : null;
    }

    private static String yaml(JsonNode config) {
        if (config.isMissingNode()) {
            return "";
        }
        try {
            return YAML.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            return config.toPrettyString();
        }
    }
}
