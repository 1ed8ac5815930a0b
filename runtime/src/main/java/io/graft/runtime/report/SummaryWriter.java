package io.graft.runtime.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graft.api.Protocol;
import io.graft.runtime.UserException;
import io.graft.runtime.config.ExperimentConfig;
import io.graft.runtime.kernel.RunResult;
import io.graft.runtime.metrics.AccuracyMatrix;
import io.graft.runtime.metrics.ContinualMetrics;
import io.graft.runtime.plugin.ResolvedPlugin;
import io.graft.runtime.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Writes a finished run's {@code summary.json}: per protocol the accuracy matrix and the continual-learning
 * metrics, then throughput, size, the resolved config, the seed and the plugins used. The file appears
 * whole or not at all (written beside, then moved).
 */
public final class SummaryWriter {

    /** The file name inside the run folder. */
    public static final String FILE = "summary.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * @param dir the run folder
     * @param config the resolved config
     * @param scenario the scenario trained on (task order, difficulties, angles)
     * @param plugins the plugins of the run
     * @param result the kernel's result
     * @param device the training device, e.g. {@code cpu()}
     * @return the written file
     */
    public Path write(Path dir, ExperimentConfig config, Scenario scenario, List<ResolvedPlugin> plugins,
                      RunResult result, String device) {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", config.name());
        root.put("seed", config.seed());
        root.put("regime", config.train().regime());
        root.put("heads", config.model().heads());
        for (Protocol protocol : result.accuracy().keySet()) {
            root.set(protocol.key(), protocol(result.matrix(protocol)));
        }
        root.put("train_samples_per_second", result.trainSamplesPerSecond());
        root.put("wall_seconds", result.wallSeconds());
        root.put("train_seconds", result.trainSeconds());
        root.put("train_samples", result.trainSamples());
        root.put("steps", result.steps());
        root.put("parameters", result.parameterCount());
        root.put("isolation_violations", result.isolationViolations());
        root.put("isolation_checked_steps", result.isolationCheckedSteps());
        root.put("device", device);
        root.set("scenario", scenario(scenario));
        ArrayNode used = root.putArray("plugins");
        for (ResolvedPlugin p : plugins) {
            ObjectNode node = used.addObject();
            node.put("id", p.info().id());
            node.put("version", p.info().version());
            node.put("bundle", p.info().bundle());
            node.set("config", JSON.valueToTree(p.config().asMap()));
        }
        root.set("config", JSON.valueToTree(config));
        Path file = dir.resolve(FILE);
        Path partial = dir.resolve(FILE + ".partial");
        try {
            JSON.writeValue(partial.toFile(), root);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UserException(UserException.INTERNAL, "cannot write " + file + ": " + e.getMessage()
                    + "; check that the output folder is writable", e);
        }
        return file;
    }

    private static ObjectNode scenario(Scenario s) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", s.type().name().toLowerCase(java.util.Locale.ROOT));
        ArrayNode tasks = node.putArray("tasks");
        s.tasks().forEach(t -> tasks.add(t.name()));
        node.put("order_rule", s.orderRule());
        node.set("order", JSON.valueToTree(s.order()));
        // measured only for the difficulty orders: measuring costs up to seconds on large scenarios
        if (s.orderRule().contains("easy")) {
            node.set("difficulties", JSON.valueToTree(s.difficulties()));
            node.put("difficulty_measure", s.difficultyMeasure());
        }
        if (s.angle(0).isPresent()) {
            ArrayNode angles = node.putArray("angles");
            for (int t = 0; t < s.taskCount(); t++) {
                angles.add(s.angle(t).getAsDouble());
            }
        }
        return node;
    }

    private static ObjectNode protocol(AccuracyMatrix m) {
        ObjectNode node = JSON.createObjectNode();
        node.set("accuracy_matrix", JSON.valueToTree(m.rows()));
        node.set("baseline_accuracies", JSON.valueToTree(m.baseline()));
        ContinualMetrics c = ContinualMetrics.of(m);
        node.put("average_accuracy", c.averageAccuracy());
        node.put("forgetting", c.forgetting());
        node.put("bwt", c.backwardTransfer());
        node.put("fwt", c.forwardTransfer());
        return node;
    }
}
