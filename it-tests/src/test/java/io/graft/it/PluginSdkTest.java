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
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin SDK as a third party uses it (docs/writing-a-plugin.md): a project generated from
 * {@code graft-plugin-archetype} in a folder outside this repository, built with plain {@code mvn package}
 * against the graft-api jar of the installation, dropped into the {@code plugins/} folder of a Graft, listed by
 * {@code graft plugins} and trained with by {@code graft run}.
 *
 * <p>The archetype and graft-api are not published: the test installs them into a temporary local repository
 * ({@link Maven}); everything else comes from the user's Maven repository.
 */
class PluginSdkTest {

    // set by the it-tests POM: this build's version and archetype jar, the Maven plugin versions it pins
    private static final String VERSION = System.getProperty("graft.version");
    private static final Path ARCHETYPE = Path.of(System.getProperty("graft.archetype.jar",
            "../plugins/archetype/target/graft-plugin-archetype-" + VERSION + ".jar")).toAbsolutePath();
    private static final String ARCHETYPE_PLUGIN = "org.apache.maven.plugins:maven-archetype-plugin:"
            + System.getProperty("graft.archetype.plugin.version") + ":generate";
    private static final String INSTALL_PLUGIN = "org.apache.maven.plugins:maven-install-plugin:"
            + System.getProperty("graft.install.plugin.version") + ":install-file";

    private static final String GROUP = "org.example.cl";
    private static final String ARTIFACT = "anchor-plugin";
    private static final String PLUGIN_ID = "sdk-anchor";
    private static final Duration MAVEN_TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    Path tmp;

    @Test
    void aPluginGeneratedFromTheArchetypeBuildsWithPlainMavenAndRunsInGraft() throws IOException {
        Path home = GraftDistribution.copy(tmp.resolve("graft"));
        assertTrue(Files.isRegularFile(ARCHETYPE), "no archetype at " + ARCHETYPE
                + "; build it first: mvn -B package -pl plugins/archetype");
        Path api = home.resolve("lib/graft-api-" + VERSION + ".jar");
        assertTrue(Files.isRegularFile(api), "the distribution has no " + api.getFileName());

        Maven mvn = Maven.sandbox(tmp.resolve("maven"));
        Path outside = Files.createDirectories(tmp.resolve("elsewhere"));
        install(mvn, outside, api, "graft-api");
        install(mvn, outside, ARCHETYPE, "graft-plugin-archetype");

        succeeds(mvn.run(outside, MAVEN_TIMEOUT, ARCHETYPE_PLUGIN,
                "-DarchetypeGroupId=io.graft", "-DarchetypeArtifactId=graft-plugin-archetype",
                "-DarchetypeVersion=" + VERSION, "-DarchetypeCatalog=local",
                "-DgroupId=" + GROUP, "-DartifactId=" + ARTIFACT, "-Dpackage=org.example.cl.anchor",
                "-DpluginId=" + PLUGIN_ID));
        Path project = outside.resolve(ARTIFACT);
        GraftDistribution.Result built = succeeds(mvn.run(project, MAVEN_TIMEOUT, "package"));
        assertTrue(Pattern.compile("Tests run: [1-9][0-9]*, Failures: 0, Errors: 0").matcher(built.stdout()).find(),
                "the example's unit tests did not run\n" + built.describe());
        Path jar = project.resolve("target/" + ARTIFACT + "-1.0.0-SNAPSHOT.jar");

        Files.copy(jar, home.resolve("plugins").resolve(jar.getFileName()));
        GraftDistribution.Result listed = GraftDistribution.graft(home, tmp, Cli.TIMEOUT, "plugins");
        assertEquals(0, listed.exitCode(), listed.describe());
        assertTrue(listed.stdout().lines().anyMatch(l -> l.contains(jar.getFileName().toString())
                && l.contains(GROUP + "." + ARTIFACT) && l.contains("ACTIVE")), listed.describe());
        assertTrue(listed.stdout().lines().anyMatch(l -> l.strip().startsWith(PLUGIN_ID + " ")), listed.describe());

        Path out = tmp.resolve("runs/sdk");
        GraftDistribution.Result run = Cli.run(home, tmp.resolve("work"), project.resolve("example.yaml"), out,
                "plugins.0.config.metricEvery=10");
        assertFalse(run.timedOut(), run.describe());
        assertEquals(0, run.exitCode(), run.describe());
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        JsonNode plugin = summary.path("plugins").path(0);
        assertEquals(PLUGIN_ID, plugin.path("id").asText(), summary.toString());
        assertEquals(GROUP + "." + ARTIFACT, plugin.path("bundle").asText(), summary.toString());
        assertEquals("1.0.0.SNAPSHOT", plugin.path("version").asText(), summary.toString());
        assertEquals(5, summary.path("class_il").path("accuracy_matrix").size(), summary.toString());
        assertTrue(summary.path("class_il").path("average_accuracy").asDouble() > 0, summary.toString());

        List<JsonNode> penalties = penalties(out.resolve("metrics.jsonl"));
        assertFalse(penalties.isEmpty(), "no " + PLUGIN_ID + ".penalty line in metrics.jsonl");
        assertTrue(penalties.stream().allMatch(p -> p.path("value").asDouble() > 0), penalties.toString());
    }

    /** Installs a jar of this build into the temporary repository, as a plugin author installs the api jar. */
    private static void install(Maven mvn, Path workDir, Path jar, String artifactId) {
        succeeds(mvn.run(workDir, MAVEN_TIMEOUT, INSTALL_PLUGIN,
                "-Dfile=" + jar, "-DgroupId=io.graft", "-DartifactId=" + artifactId, "-Dversion=" + VERSION,
                "-Dpackaging=jar", "-DgeneratePom=true"));
    }

    private static GraftDistribution.Result succeeds(GraftDistribution.Result r) {
        assertFalse(r.timedOut(), r.describe());
        assertEquals(0, r.exitCode(), r.describe());
        return r;
    }

    private List<JsonNode> penalties(Path metrics) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> found = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            JsonNode node = json.readTree(line);
            if ((PLUGIN_ID + ".penalty").equals(node.path("metric").asText())) {
                found.add(node);
            }
        }
        return found;
    }
}
