package io.graft.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graft.api.Protocol;
import io.graft.api.model.TaskInfo;
import io.graft.runtime.kernel.PluginFailure;
import io.graft.runtime.kernel.RunInfo;
import io.graft.runtime.kernel.RunResult;
import io.graft.runtime.kernel.StepReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsJsonlWriterTest {

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();

    private List<JsonNode> lines() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("run/metrics.jsonl"))) {
            out.add(json.readTree(l));
        }
        return out;
    }

    @Test
    void writesEveryKindOfLineAndFlushesEachAtOnce() throws IOException {
        MetricsJsonlWriter w = new MetricsJsonlWriter(dir.resolve("run"), 2);
        TaskInfo t0 = new TaskInfo(0, "classes 0,1", new int[] {0, 1});
        TaskInfo t1 = new TaskInfo(1, "classes 2,3", new int[] {2, 3});
        w.onRunStart(new RunInfo(List.of(t0, t1), List.of(Protocol.CLASS_IL), List.of("ewc@1.0.0"), 100, "cpu()", 42,
                1, 32, 6));
        w.onEvaluation(-1, Protocol.CLASS_IL, new double[] {0.1, 0.2});
        for (int s = 0; s < 3; s++) {
            w.onStep(new StepReport(0, 0, s, s, 3, 0.5 - s * 0.1, 32, 0));
        }
        w.onPluginMetric("ewc", "penalty", Double.NaN, 2);
        w.onEvaluation(0, Protocol.CLASS_IL, new double[] {0.9, 0.3});
        w.onTaskEnd(t0, 1.5);
        // flushed: readable before close
        List<JsonNode> l = lines();
        assertEquals(List.of("run_start", "eval", "step", "step", "plugin", "eval", "task_end"),
                l.stream().map(n -> n.get("type").asText()).toList());
        assertEquals("classes 0,1", l.get(0).get("tasks").get(0).get("name").asText());
        assertEquals(0, l.get(2).get("step").asInt());
        assertEquals(2, l.get(3).get("step").asInt(), "step 2 is logged: every 2nd and the task's last");
        assertEquals("ewc.penalty", l.get(4).get("metric").asText());
        assertTrue(l.get(4).get("value").isNull());
        assertEquals(0.9, l.get(5).get("average").asDouble(), 1e-12);
        assertEquals(0.15, l.get(1).get("average").asDouble(), 1e-12);
        assertTrue(l.get(6).get("heap_mb").asLong() > 0, "task_end records the heap in use");
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertTrue(l.get(6).get("rss_mb").asLong() > 0, "task_end records the resident size on Linux");
        }

        AccuracyMatrix m = new AccuracyMatrix(new double[] {0.1, 0.2}, new double[][] {{0.9, 0.3}, {0.5, 0.8}});
        w.onRunEnd(new RunResult(Map.of(Protocol.CLASS_IL, m), 6 * 32, 2.0, 3.0, 100, 6));
        JsonNode end = lines().get(7);
        assertEquals("run_end", end.get("type").asText());
        assertEquals(96.0, end.get("train_samples_per_second").asDouble(), 1e-9);
        assertEquals(0.65, end.get("metrics").get("class_il").get("average_accuracy").asDouble(), 1e-12);
        assertEquals(0.4, end.get("metrics").get("class_il").get("forgetting").asDouble(), 1e-12);
        w.onStep(new StepReport(0, 0, 4, 4, 6, 0.1, 32, 0)); // ignored after close
        assertEquals(8, lines().size());
    }

    @Test
    void aFailedKernelRunLeavesEveryLineOnDisk() throws IOException {
        MetricsJsonlWriter w = new MetricsJsonlWriter(dir.resolve("run"), 1);
        io.graft.api.regularization.Regularizer boom = step -> {
            if (step.task().index() == 1 && step.stepInTask() == 1) {
                throw new IllegalStateException("boom");
            }
            return null;
        };
        org.junit.jupiter.api.Assertions.assertThrows(PluginFailure.class, () -> new io.graft.runtime.kernel.TrainingKernel(
                io.graft.runtime.kernel.TestData.split(2, 2), io.graft.runtime.kernel.TestData.model(4),
                io.graft.runtime.kernel.TestData.train(1, 60, 0.1), 1, ai.djl.Device.cpu(),
                List.of(new io.graft.runtime.kernel.ActivePlugin("boom", "1", boom)), List.of(w)).run());
        List<String> types = lines().stream().map(n -> n.get("type").asText()).toList();
        assertEquals(List.of("run_start", "eval", "eval", "step", "step", "eval", "eval", "task_end", "step",
                "failure"), types);
        assertEquals("plugin 'boom' failed in penalty at task 1, step 3: boom; metrics so far are kept",
                lines().get(9).get("message").asText());
    }

    @Test
    void failureLineCarriesTheMessage() throws IOException {
        MetricsJsonlWriter w = new MetricsJsonlWriter(dir.resolve("run"), 50);
        w.onRunFailed(new PluginFailure("ewc", "penalty", 2, 130, new IllegalStateException("boom")));
        JsonNode l = lines().get(0);
        assertEquals("failure", l.get("type").asText());
        assertEquals("plugin 'ewc' failed in penalty at task 2, step 130: boom; metrics so far are kept",
                l.get("message").asText());
        assertEquals(4, l.get("exit_code").asInt());
    }
}
