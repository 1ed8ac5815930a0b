package io.graft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A method added later needs nothing outside its own bundle: an installation without the generative-replay
 * bundle (the catalogue's method written last) does not know the plugin; dropping the bundle's jar into
 * {@code plugins/} is all it takes for {@code graft plugins} to list it and {@code graft run} to train with it.
 */
class DropInPluginTest {

    private static final String ID = "genreplay";

    @TempDir
    Path tmp;

    @Test
    void aBundleDroppedIntoPluginsIsAllANewMethodNeeds() throws Exception {
        Path home = GraftDistribution.copy(tmp.resolve("graft"));
        Path jar = GraftDistribution.pluginJar(home, "graft-plugin-" + ID);
        Path aside = Files.move(jar, tmp.resolve(jar.getFileName()));
        Path work = tmp.resolve("work");
        Path config = home.resolve("examples/split-fmnist-" + ID + ".yaml");

        GraftDistribution.Result without = Cli.run(home, work, config, tmp.resolve("runs/without"));
        Cli.assertOneLineFailure(without, 2);
        assertTrue(without.stderr().contains("unknown plugin '" + ID + "'"), without.describe());

        Files.copy(aside, home.resolve("plugins").resolve(aside.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
        GraftDistribution.Result listed = GraftDistribution.graft(home, work, Cli.TIMEOUT, "plugins");
        assertEquals(0, listed.exitCode(), listed.describe());
        assertTrue(listed.stdout().contains(ID), listed.describe());

        Path out = tmp.resolve("runs/with");
        GraftDistribution.Result with = Cli.run(home, work, config, out, "scenario.tasks=2");
        assertEquals(0, with.exitCode(), with.describe());
        assertFalse(with.timedOut(), with.describe());
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(ID, summary.path("plugins").path(0).path("id").asText(), summary.toString());
        assertTrue(summary.path("class_il").path("average_accuracy").asDouble() > 0, summary.toString());
    }
}
