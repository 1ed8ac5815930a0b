package io.graft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL in the middle of training, resumed with {@code graft resume}, ends with exactly the
 * accuracies of the same run never interrupted, and keeps every metric line its checkpoint covered.
 */
class ResumeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path home;

    @BeforeAll
    static void copyDistribution() {
        home = GraftDistribution.copy(tmp.resolve("graft"));
    }

    private static List<String> args(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("run", home.resolve("examples/split-fmnist-er.yaml").toString(), "--out",
                out.toString()));
        for (String s : List.of("data.dir=" + Cli.mini(home), "model.hidden=[64]", "device=cpu", "train.epochs=3",
                "train.checkpointEvery=25")) {
            a.add("--set");
            a.add(s);
        }
        for (String s : more) {
            a.add("--set");
            a.add(s);
        }
        return a;
    }

    @Test
    void aRunKilledDuringTrainingResumesFromItsLastCheckpointWithTheSameNumbers() throws Exception {
        Path straight = tmp.resolve("runs/straight");
        GraftDistribution.Result full = GraftDistribution.graft(home, tmp.resolve("work"), Cli.TIMEOUT, Cli.SMALL_RUN_ENV,
                args(straight).toArray(String[]::new));
        assertEquals(0, full.exitCode(), full.describe());

        Path killed = tmp.resolve("runs/killed");
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/graft").toString()));
        cmd.addAll(args(killed));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("killed.log").toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        // wait for a checkpoint inside the third task (task index 2), then kill the JVM without warning
        Path state = killed.resolve("checkpoint/state.json");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        boolean seen = false;
        while (!seen && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            try {
                JsonNode s = JSON.readTree(state.toFile());
                seen = s.path("task").asInt() >= 2;
            } catch (IOException notYet) {
                // not there yet, or being replaced: look again
            }
        }
        assertTrue(seen && p.isAlive(), "the run finished before a checkpoint in its third task was seen");
        p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();   // SIGKILL
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertFalse(Files.exists(killed.resolve("summary.json")), "killed before the end");
        List<String> before = Files.readAllLines(killed.resolve("metrics.jsonl"));
        long kept = Long.parseLong(Files.readString(killed.resolve("checkpoint/metrics.lines")).trim());

        GraftDistribution.Result resumed = GraftDistribution.graft(home, tmp.resolve("work"), Cli.TIMEOUT,
                Cli.SMALL_RUN_ENV, "resume", killed.toString());
        assertEquals(0, resumed.exitCode(), resumed.describe());
        JsonNode a = JSON.readTree(straight.resolve("summary.json").toFile());
        JsonNode b = JSON.readTree(killed.resolve("summary.json").toFile());
        for (String protocol : List.of("class_il", "task_il")) {
            assertEquals(a.path(protocol).path("accuracy_matrix"), b.path(protocol).path("accuracy_matrix"), protocol);
        }
        assertEquals(a.path("steps"), b.path("steps"));
        List<String> after = Files.readAllLines(killed.resolve("metrics.jsonl"));
        assertTrue(kept > 0 && after.size() > kept);
        // every line the last checkpoint before the kill covered is still there, unchanged
        long covered = after.stream().takeWhile(l -> !l.contains("\"type\":\"resume\"")).count();
        assertEquals(kept, covered, "the resumed run goes on right after the lines its checkpoint covers");
        assertEquals(before.subList(0, (int) covered), after.subList(0, (int) covered));
        assertTrue(after.stream().anyMatch(l -> l.contains("\"type\":\"resume\"")));
    }

    @Test
    void resumingAFolderWithoutACheckpointSaysSoInOneLine() throws IOException {
        Path empty = tmp.resolve("runs/empty");
        Files.createDirectories(empty);
        Files.writeString(empty.resolve("config.yaml"), "name: x\n");
        GraftDistribution.Result r = GraftDistribution.graft(home, tmp.resolve("work"), Cli.TIMEOUT, "resume",
                empty.toString());
        String line = Cli.assertOneLineFailure(r, 2);
        assertTrue(line.contains("no checkpoint in"), line);
    }
}
