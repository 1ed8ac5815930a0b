package io.graft.runtime.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graft.api.Protocol;
import io.graft.api.model.TaskInfo;
import io.graft.runtime.UserException;
import io.graft.runtime.kernel.GrowthEvent;
import io.graft.runtime.kernel.SeedEvent;
import io.graft.runtime.kernel.KernelListener;
import io.graft.runtime.kernel.RunInfo;
import io.graft.runtime.kernel.RunResult;
import io.graft.runtime.kernel.StepReport;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a run's events to {@code DIR/metrics.jsonl}, one JSON object per line, flushed after every line so
 * that a crash loses nothing. Every line has {@code type} and {@code t} (seconds since the run started).
 * Non-finite numbers are written as {@code null}.
 * <pre>
 * {"type":"run_start","t":0.0,"tasks":[{"index":0,"name":"classes 0,1","classes":[0,1]},...],
 *  "protocols":["class_il","task_il"],"plugins":["ewc@1.0.0"],"parameters":269322,"device":"cpu()",
 *  "seed":42,"epochs":1,"batch_size":32,"total_steps":1875}
 * {"type":"step","t":1.2,"task":0,"epoch":0,"step":50,"step_in_task":50,"steps_in_task":375,"loss":0.41,
 *  "samples":32,"replayed":0}                                        (every logEvery steps, and a task's last)
 * {"type":"plugin","t":1.3,"plugin":"ewc","metric":"ewc.penalty","value":0.02,"step":51}
 * {"type":"seed","t":2.0,"step":900,"task":0,"plugin":"seeds","slot":"r0c0","layer":"fc1","from":"dormant",
 *  "to":"germinated","reason":"residual(32), ...","parameters_before":25450,"parameters_after":27562,
 *  "contribution":null,"alpha":0.0}                                  (every lifecycle move of a slot's seed)
 * {"type":"alpha","t":2.1,"step":1201,"slot":"r0c0","alpha":0.25}   (every step of a seed's blending)
 * {"type":"eval","t":3.0,"after_task":0,"protocol":"class_il","accuracies":[0.99,0.0,...],"average":0.99}
 *                                         (after_task -1: the untrained model; average over tasks 0..after_task)
 * {"type":"task_end","t":3.1,"task":0,"name":"classes 0,1","seconds":3.1}
 * {"type":"run_end","t":9.0,"wall_seconds":9.0,"train_seconds":7.5,"train_samples_per_second":8000.0,
 *  "parameters":269322,"steps":9375,"metrics":{"class_il":{"average_accuracy":..,"forgetting":..,
 *  "backward_transfer":..,"forward_transfer":..},...}}
 * {"type":"resume","t":0.0,"step":750}                          (first line of a resumed stretch)
 * {"type":"swap","t":3.5,"plugin":"er","from":"1.0.0","to":"1.1.0","note":"state carried over (format er/1)"}
 * {"type":"quarantine","t":4.0,"plugin":"boom","reason":"...","resumed_at":500}   (a plugin dropped; back to step 500)
 * {"type":"failure","t":5.0,"message":"plugin 'ewc' failed in penalty at task 2, step 130: ..."}
 * </pre>
 * The file is closed at run end or failure (or by {@link #close()}).
 */
public final class MetricsJsonlWriter implements KernelListener, AutoCloseable {

    /** The file name inside the run folder. */
    public static final String FILE = "metrics.jsonl";

    private final ObjectMapper json = new ObjectMapper();
    private final Path file;
    private final int logEvery;
    private final BufferedWriter out;
    private final long start = System.nanoTime();
    /** Lines in the file so far (those a resumed run kept included). */
    private long lines;

    /** Name of the file in a checkpoint that says how many metric lines the checkpoint covers. */
    public static final String LINES_FILE = "metrics.lines";
    private boolean closed;

    /**
     * Creates (or replaces) {@code dir/metrics.jsonl}, creating {@code dir} if needed.
     *
     * @param dir the run's output folder
     * @param logEvery write a step line every this many steps (at least 1)
     * @throws UserException (BAD_CONFIG) when the file cannot be created
     */
    public MetricsJsonlWriter(Path dir, int logEvery) {
        this(dir, logEvery, -1);
    }

    /**
     * For a resumed run: keeps the first {@code keep} lines of {@code dir/metrics.jsonl} (what the checkpoint covers;
     * lines of the interrupted stretch after it are dropped, the resumed run writes them again) and appends.
     *
     * @param dir the run's output folder
     * @param logEvery write a step line every this many steps (at least 1)
     * @param keep lines to keep, or -1 to start a new file
     * @throws UserException (BAD_CONFIG) when the file cannot be written
     */
    public MetricsJsonlWriter(Path dir, int logEvery, long keep) {
        if (logEvery < 1) {
            throw new UserException(UserException.BAD_CONFIG, "train.logEvery must be at least 1, got " + logEvery);
        }
        this.logEvery = logEvery;
        this.file = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            if (keep >= 0 && Files.exists(file)) {
                java.util.List<String> kept;
                try (java.util.stream.Stream<String> all = Files.lines(file, StandardCharsets.UTF_8)) {
                    kept = all.limit(keep).toList();
                }
                Files.write(file, kept, StandardCharsets.UTF_8);
                lines = kept.size();
                this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
            } else {
                this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UserException(UserException.BAD_CONFIG, "cannot write " + file + " (" + e.getMessage()
                    + "); choose an output folder you can write to", e);
        }
    }

    /** @return the file written */
    public Path file() {
        return file;
    }

    @Override
    public void onRunStart(RunInfo run) {
        if (run.resumedAt() >= 0) {
            ObjectNode line = line("resume");
            line.put("step", run.resumedAt());
            write(line);
            return;
        }
        ObjectNode line = line("run_start");
        ArrayNode tasks = line.putArray("tasks");
        for (TaskInfo t : run.tasks()) {
            ObjectNode task = tasks.addObject();
            task.put("index", t.index());
            task.put("name", t.name());
            ArrayNode classes = task.putArray("classes");
            for (int c : t.classes()) {
                classes.add(c);
            }
        }
        ArrayNode protocols = line.putArray("protocols");
        run.protocols().forEach(p -> protocols.add(p.key()));
        ArrayNode plugins = line.putArray("plugins");
        run.plugins().forEach(plugins::add);
        line.put("parameters", run.parameterCount());
        line.put("device", run.device());
        line.put("seed", run.seed());
        line.put("epochs", run.epochs());
        line.put("batch_size", run.batchSize());
        line.put("total_steps", run.totalSteps());
        write(line);
    }

    @Override
    public void onStep(StepReport step) {
        boolean lastOfTask = step.stepInTask() + 1 == step.stepsInTask();
        if (step.step() % logEvery != 0 && !lastOfTask) {
            return;
        }
        ObjectNode line = line("step");
        line.put("task", step.task());
        line.put("epoch", step.epoch());
        line.put("step", step.step());
        line.put("step_in_task", step.stepInTask());
        line.put("steps_in_task", step.stepsInTask());
        number(line, "loss", step.loss());
        line.put("samples", step.samples());
        line.put("replayed", step.replayed());
        write(line);
    }

    @Override
    public void onPluginMetric(String pluginId, String name, double value, long step) {
        ObjectNode line = line("plugin");
        line.put("plugin", pluginId);
        line.put("metric", pluginId + "." + name);
        number(line, "value", value);
        line.put("step", step);
        write(line);
    }

    @Override
    public void onGrowth(GrowthEvent event) {
        ObjectNode line = line("growth");
        line.put("step", event.step());
        line.put("task", event.task());
        line.put("plugin", event.plugin());
        line.put("operation", event.operation());
        line.put("layer", event.layer());
        line.put("detail", event.detail());
        line.put("parameters_before", event.parametersBefore());
        line.put("parameters_after", event.parametersAfter());
        write(line);
    }

    @Override
    public void onSeed(SeedEvent event) {
        ObjectNode line = line("seed");
        line.put("step", event.step());
        line.put("task", event.task());
        line.put("plugin", event.plugin());
        line.put("slot", event.slot());
        line.put("layer", event.layer());
        line.put("from", event.from().key());
        line.put("to", event.to().key());
        line.put("reason", event.reason());
        line.put("parameters_before", event.parametersBefore());
        line.put("parameters_after", event.parametersAfter());
        number(line, "contribution", event.contribution());
        number(line, "alpha", event.alpha());
        write(line);
    }

    @Override
    public void onAlpha(long step, String slot, double alpha) {
        ObjectNode line = line("alpha");
        line.put("step", step);
        line.put("slot", slot);
        number(line, "alpha", alpha);
        write(line);
    }

    @Override
    public void onEvaluation(int afterTask, Protocol protocol, double[] accuracies) {
        ObjectNode line = line("eval");
        line.put("after_task", afterTask);
        line.put("protocol", protocol.key());
        ArrayNode acc = line.putArray("accuracies");
        for (double a : accuracies) {
            if (Double.isFinite(a)) {
                acc.add(a);
            } else {
                acc.addNull();
            }
        }
        int seen = afterTask < 0 ? accuracies.length : Math.min(accuracies.length, afterTask + 1);
        double sum = 0;
        for (int j = 0; j < seen; j++) {
            sum += accuracies[j];
        }
        number(line, "average", seen == 0 ? Double.NaN : sum / seen);
        write(line);
    }

    @Override
    public void onTaskEnd(TaskInfo task, double seconds) {
        ObjectNode line = line("task_end");
        line.put("task", task.index());
        line.put("name", task.name());
        number(line, "seconds", seconds);
        // memory at every task boundary: a leak of per-step arrays shows as a resident size that keeps growing
        ProcessMemory.residentBytes().ifPresent(b -> line.put("rss_mb", b / (1024 * 1024)));
        line.put("heap_mb", ProcessMemory.heapUsedBytes() / (1024 * 1024));
        write(line);
    }

    @Override
    public void onRunEnd(RunResult result) {
        ObjectNode line = line("run_end");
        number(line, "wall_seconds", result.wallSeconds());
        number(line, "train_seconds", result.trainSeconds());
        number(line, "train_samples_per_second", result.trainSamplesPerSecond());
        line.put("parameters", result.parameterCount());
        line.put("steps", result.steps());
        ObjectNode metrics = line.putObject("metrics");
        for (Map.Entry<Protocol, AccuracyMatrix> e : result.accuracy().entrySet()) {
            if (e.getValue().trainedTasks() == 0) {
                continue;
            }
            ContinualMetrics m = ContinualMetrics.of(e.getValue());
            ObjectNode p = metrics.putObject(e.getKey().key());
            number(p, "average_accuracy", m.averageAccuracy());
            number(p, "forgetting", m.forgetting());
            number(p, "backward_transfer", m.backwardTransfer());
            number(p, "forward_transfer", m.forwardTransfer());
        }
        write(line);
        close();
    }

    @Override
    public void onRunFailed(Throwable failure) {
        ObjectNode line = line("failure");
        String message = failure.getMessage();
        line.put("message", message == null ? failure.getClass().getName() : message);
        if (failure instanceof UserException u) {
            line.put("exit_code", u.exitCode());
        }
        write(line);
        close();
    }

    /** Closes the file; later events are ignored. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }

    private ObjectNode line(String type) {
        ObjectNode line = json.createObjectNode();
        line.put("type", type);
        line.put("t", Math.round((System.nanoTime() - start) / 1e6) / 1e3);
        return line;
    }

    private static void number(ObjectNode node, String key, double value) {
        if (Double.isFinite(value)) {
            node.put(key, value);
        } else {
            node.putNull(key);
        }
    }

    @Override
    public void onPluginSwap(String pluginId, String from, String to, String note) {
        ObjectNode line = line("swap");
        line.put("plugin", pluginId);
        line.put("from", from);
        line.put("to", to);
        line.put("note", note);
        write(line);
    }

    @Override
    public void onQuarantine(String pluginId, String reason, long resumedAt) {
        ObjectNode line = line("quarantine");
        line.put("plugin", pluginId);
        line.put("reason", reason);
        line.put("resumed_at", resumedAt);
        write(line);
    }

    @Override
    public void onCheckpoint(Path dir) {
        try {
            Files.writeString(dir.resolve(LINES_FILE), Long.toString(lines));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(LINES_FILE) + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param checkpoint a committed checkpoint folder
     * @return the metric lines it covers, or -1 when it does not say
     */
    public static long linesCoveredBy(Path checkpoint) {
        try {
            return Long.parseLong(Files.readString(checkpoint.resolve(LINES_FILE)).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private void write(ObjectNode line) {
        if (closed) {
            return;
        }
        try {
            out.write(json.writeValueAsString(line));
            out.write('\n');
            out.flush();
            lines++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
