package io.graft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graft.api.Protocol;
import io.graft.api.model.TaskInfo;
import io.graft.runtime.UserException;
import io.graft.runtime.embed.Graft;
import io.graft.runtime.embed.Outcome;
import io.graft.runtime.kernel.KernelListener;
import io.graft.runtime.kernel.StepReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graft embedded in another program with the real distribution: in this JVM through the builder API, and as the
 * shipped single-file example run with plain {@code java}. An embedded run gives the same numbers as the command line.
 */
class EmbeddingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path home;

    @BeforeAll
    static void copyDistribution() {
        home = GraftDistribution.copy(tmp.resolve("graft"));
    }

    @Test
    void anEmbeddedRunReportsItsEventsAndEqualsTheCommandLinesRun() throws IOException {
        Path config = home.resolve("examples/split-fmnist-er.yaml");
        String[][] sets = {{"data.dir", Cli.mini(home).toString()}, {"model.hidden", "[64]"}, {"device", "cpu"}};
        List<String> tasks = new ArrayList<>();
        List<Long> steps = new ArrayList<>();
        Outcome outcome;
        try (Graft graft = Graft.builder().home(home).start()) {
            assertTrue(graft.plugins().stream().anyMatch(p -> p.id().equals("er")), graft.plugins().toString());
            var experiment = graft.experiment(config).out(tmp.resolve("runs/embedded"));
            for (String[] s : sets) {
                experiment.set(s[0], s[1]);
            }
            outcome = experiment.listener(new KernelListener() {
                @Override
                public void onStep(StepReport step) {
                    steps.add(step.step());
                }

                @Override
                public void onTaskEnd(TaskInfo task, double seconds) {
                    tasks.add(task.name());
                }
            }).run();

            UserException bad = assertThrows(UserException.class, () -> graft.experiment(config)
                    .out(tmp.resolve("runs/bad")).set("data.dir", Cli.mini(home).toString())
                    .set("plugins.0.id", "ewk").run());
            assertEquals(2, bad.exitCode());
            assertTrue(bad.getMessage().startsWith("config: unknown plugin 'ewk'"), bad.getMessage());
            assertFalse(bad.getMessage().contains("\n"), bad.getMessage());
        }
        assertEquals(5, tasks.size(), tasks.toString());
        assertFalse(steps.isEmpty());
        assertTrue(Files.isRegularFile(outcome.summary()));
        assertTrue(Files.isRegularFile(outcome.dir().resolve("report.html")));

        GraftDistribution.Result cli = GraftDistribution.graft(home, tmp.resolve("work"), Cli.TIMEOUT, Cli.SMALL_RUN_ENV,
                "run", config.toString(), "--out", tmp.resolve("runs/cli").toString(), "--set", "data.dir=" + Cli.mini(home),
                "--set", "model.hidden=[64]", "--set", "device=cpu");
        assertEquals(0, cli.exitCode(), cli.describe());
        JsonNode fromCli = JSON.readTree(tmp.resolve("runs/cli/summary.json").toFile());
        for (Protocol p : outcome.result().accuracy().keySet()) {
            assertEquals(fromCli.path(p.key()).path("average_accuracy").asDouble(),
                    outcome.result().metrics(p).averageAccuracy(), 0.0, p.key() + ": embedded and command line differ");
        }
    }

    @Test
    void theShippedExampleRunsWithPlainJava() throws IOException {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Path out = tmp.resolve("runs/example");
        GraftDistribution.Result r = GraftDistribution.exec(javaBin, home, Cli.TIMEOUT, Map.of("OMP_NUM_THREADS", "1"),
                "-cp", home.resolve("conf") + java.io.File.pathSeparator + home.resolve("lib") + "/*",
                home.resolve("examples/embedding/EmbedGraft.java").toString(),
                home.resolve("examples/split-fmnist-er.yaml").toString(), out.toString(),
                "data.dir=" + Cli.mini(home), "model.hidden=[64]", "device=cpu");
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("embedded: class_il average accuracy"), r.describe());
        assertEquals(5, r.stdout().lines().filter(l -> l.contains("trained in")).count(), r.describe());
        assertTrue(Files.isRegularFile(out.resolve("summary.json")));
    }
}
