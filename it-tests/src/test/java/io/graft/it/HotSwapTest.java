package io.graft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins replaced or removed in {@code plugins/} while a run is going on: a new version takes over at the next
 * task boundary with an event in the metrics, and a deleted jar does not stop the run.
 */
class HotSwapTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** Starts a long run with boom 1.2.3 and, once task 0 has ended, applies {@code change} to its jar. */
    private List<JsonNode> runAndChange(String name, java.util.function.Consumer<Path> change) throws Exception {
        Path home = GraftDistribution.copy(tmp.resolve("graft-" + name));
        Path jar = home.resolve("plugins/boom.jar");
        BoomBundle.writeTo(jar);
        Path out = tmp.resolve("runs/" + name);
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/graft").toString(), "run",
                home.resolve("examples/split-fmnist-er.yaml").toString(), "--out", out.toString()));
        for (String s : List.of("data.dir=" + Cli.mini(home), "model.hidden=[32]", "device=cpu", "train.epochs=100",
                "plugins=[{id: boom, config: {failAfter: 1000000}}]")) {
            cmd.add("--set");
            cmd.add(s);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".log").toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        boolean ended = false;
        while (!ended && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            ended = Files.exists(out.resolve("metrics.jsonl"))
                    && Files.readString(out.resolve("metrics.jsonl")).contains("\"type\":\"task_end\"");
        }
        assertTrue(ended && p.isAlive(), "the run ended before its first task did; see " + tmp.resolve(name + ".log"));
        change.accept(jar);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "the run did not finish");
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve(name + ".log")));
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            lines.add(JSON.readTree(line));
        }
        assertTrue(Files.isRegularFile(out.resolve("summary.json")));
        return lines;
    }

    @Test
    void aNewVersionTakesOverAtTheNextTaskBoundaryWithAnEvent() throws Exception {
        List<JsonNode> lines = runAndChange("swap", jar -> BoomBundle.writeTo(jar, "2.0.0"));
        int swap = indexOf(lines, "swap");
        assertTrue(swap > 0, "a swap line: " + lines);
        JsonNode s = lines.get(swap);
        assertEquals("boom", s.path("plugin").asText());
        assertEquals("1.2.3", s.path("from").asText());
        assertEquals("2.0.0", s.path("to").asText());
        assertEquals("started afresh: the plugin keeps no state", s.path("note").asText());
        // at a boundary: right after a task's end (and its evaluation), before the next task's first step
        assertEquals("task_end", lines.get(swap - 1).path("type").asText(), lines.get(swap - 1).toString());
        JsonNode next = lines.get(swap + 1);
        assertEquals("step", next.path("type").asText(), next.toString());
        assertEquals(0, next.path("step_in_task").asInt(), next.toString());
    }

    @Test
    void aJarDeletedMidRunDoesNotStopTheRun() throws Exception {
        List<JsonNode> lines = runAndChange("delete", jar -> {
            try {
                Files.delete(jar);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        int gone = indexOf(lines, "swap");
        assertTrue(gone > 0, "an event for the missing jar: " + lines);
        assertEquals("its jar is gone from plugins/; the running instance goes on", lines.get(gone).path("note").asText());
        assertEquals(1, lines.stream().filter(l -> l.path("type").asText().equals("swap")).count(), "said once");
    }

    private static int indexOf(List<JsonNode> lines, String type) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).path("type").asText().equals(type)) {
                return i;
            }
        }
        return -1;
    }
}
