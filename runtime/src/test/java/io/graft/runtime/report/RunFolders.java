package io.graft.runtime.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Writes small run folders by hand, shaped like the ones ExperimentRun leaves: summary.json and metrics.jsonl. */
final class RunFolders {

    private RunFolders() {}

    /**
     * A finished two-task split run.
     *
     * @param dir the folder to create
     * @param name the run's name
     * @param avg class_il average accuracy
     * @param samplesPerSecond throughput
     * @param rss the rss_mb of the two task_end lines
     */
    static Path run(Path dir, String name, double avg, double samplesPerSecond, int... rss) {
        String summary = String.format(Locale.ROOT, """
                {"name": %s, "seed": 3,
                 "class_il": {"accuracy_matrix": [[0.9, 0.0], [0.4, 0.95]], "baseline_accuracies": [0.1, 0.2],
                              "average_accuracy": %s, "forgetting": 0.5, "bwt": -0.5, "fwt": -0.2},
                 "task_il": {"accuracy_matrix": [[0.9, 0.5], [0.8, 0.95]], "baseline_accuracies": [0.5, 0.5],
                             "average_accuracy": 0.875, "forgetting": "NaN", "bwt": -0.1, "fwt": 0.0},
                 "train_samples_per_second": %s, "wall_seconds": 2.5, "train_seconds": 2.0, "train_samples": 200,
                 "steps": 8, "parameters": 50890, "device": "cpu()",
                 "plugins": [{"id": "er", "version": "1.2.3", "bundle": "io.graft.plugin.er", "config": {"bufferSize": 20}}],
                 "config": {"name": %s, "seed": 3, "plugins": [{"id": "er"}]}}
                """, quote(name), avg, samplesPerSecond, quote(name));
        StringBuilder metrics = new StringBuilder();
        metrics.append("{\"type\":\"run_start\",\"t\":0,\"tasks\":[{\"index\":0,\"name\":\"classes 0,1\",\"classes\":[0,1]},"
                + "{\"index\":1,\"name\":\"classes 2,3\",\"classes\":[2,3]}],\"protocols\":[\"class_il\",\"task_il\"]}\n");
        for (int step = 0; step < 8; step++) {
            int task = step / 4;
            if (step % 2 == 1 || step % 4 == 3) {
                metrics.append(String.format(Locale.ROOT, "{\"type\":\"step\",\"t\":0.1,\"task\":%d,\"epoch\":0,\"step\":%d,"
                        + "\"step_in_task\":%d,\"steps_in_task\":4,\"loss\":%s,\"samples\":25,\"replayed\":0}%n",
                        task, step, step % 4, step == 5 ? "null" : String.valueOf(2.0 / (step + 1))));
            }
            if (step == 6) {
                metrics.append("{\"type\":\"growth\",\"t\":0.25,\"step\":7,\"task\":1,\"plugin\":\"widen\","
                        + "\"operation\":\"widen\",\"layer\":\"fc1\",\"detail\":\"64 -> 128 units, noise 0.0\","
                        + "\"parameters_before\":50890,\"parameters_after\":101770}\n");
            }
            if (step % 4 == 3) {
                metrics.append(String.format(Locale.ROOT, "{\"type\":\"plugin\",\"t\":0.2,\"plugin\":\"er\","
                        + "\"metric\":\"er.buffer_size\",\"value\":%d,\"step\":%d}%n", 10 * (task + 1), step));
                metrics.append(String.format(Locale.ROOT, "{\"type\":\"task_end\",\"t\":0.3,\"task\":%d,\"name\":\"x\","
                        + "\"seconds\":0.1,\"rss_mb\":%d,\"heap_mb\":50}%n", task, rss[task]));
            }
        }
        metrics.append("{\"type\":\"run_end\",\"t\":1.0}\n{\"type\":\"cut sh");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(SummaryWriter.FILE), summary);
            Files.writeString(dir.resolve("metrics.jsonl"), metrics);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
