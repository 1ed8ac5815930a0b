package io.graft.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to {@code graft run} (and {@code graft summary}): the documented exit code (README: 2 config,
 * 3 data, 4 plugin), exactly one line on stderr that starts with {@code graft: } and names the problem,
 * nothing on stdout, no stack trace anywhere, and no {@code summary.json}.
 */
class BadInputTest {

    static final int BAD_CONFIG = 2;
    static final int BAD_DATA = 3;
    /**
     * An unknown plugin id is a typo in the config: the runtime answers with the config code (its
     * PluginResolver and unit test agree), although UserException.PLUGIN_FAILED's javadoc lists "unknown".
     */
    static final int UNKNOWN_PLUGIN = BAD_CONFIG;

    static final String[] IMAGE_FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    @TempDir
    static Path tmp;
    static Path home;
    static Path config;

    @BeforeAll
    static void copyDistribution() {
        home = GraftDistribution.copy(tmp.resolve("graft"));
        config = home.resolve("examples/split-fmnist-er.yaml");
    }

    private static String fails(String name, int exitCode, String... sets) {
        Path out = tmp.resolve("runs").resolve(name);
        GraftDistribution.Result r = Cli.run(home, tmp.resolve("work"), config, out, sets);
        String message = Cli.assertOneLineFailure(r, exitCode);
        assertFalse(Files.exists(out.resolve("summary.json")), "no summary.json after a failure\n" + r.describe());
        return message;
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    @Test
    void unknownConfigKeyIsNamed() {
        String m = fails("typo", BAD_CONFIG, "train.batchSzie=3");
        assertMentions(m, "'train.batchSzie'", "batchSize");
    }

    @Test
    void wrongTypeIsNamed() {
        String m = fails("type", BAD_CONFIG, "train.batchSize=abc");
        assertMentions(m, "train.batchSize", "abc");
    }

    @Test
    void unknownPluginListsTheKnownOnes() {
        String m = fails("plugin", UNKNOWN_PLUGIN, "plugins.0.id=ewx");
        assertMentions(m, "'ewx'", "er, ewc");
    }

    @Test
    void badPluginConfigValueIsNamed() {
        String m = fails("buffer", BAD_CONFIG, "plugins.0.config.bufferSize=-1");
        assertMentions(m, "bufferSize", "-1", "'er'");
    }

    @Test
    void aPerTaskMethodWithoutPerTaskHeadsIsRefusedBeforeTraining() {
        String m = fails("hat-single", BAD_CONFIG, "plugins.0.id=hat", "plugins.0.config={}");
        assertMentions(m, "'hat'", "model.heads: multi");
        String permuted = fails("multi-permuted", BAD_CONFIG, "model.heads=multi", "scenario.type=permuted");
        assertMentions(permuted, "model.heads: multi", "split", "permuted");
        String momentum = fails("hat-momentum", BAD_CONFIG, "plugins.0.id=hat", "plugins.0.config={}", "model.heads=multi",
                "train.optimizer.momentum=0.9");
        assertMentions(momentum, "'hat'", "train.optimizer.momentum: 0");
    }

    @Test
    void runningOutOfMemoryIsOneLineNamingTheFix() {
        Path out = tmp.resolve("runs").resolve("oom");
        List<String> args = List.of("run", config.toString(), "--out", out.toString(), "--set", "data.dir=" + Cli.mini(home));
        GraftDistribution.Result r = GraftDistribution.graft(home, tmp.resolve("work"), Cli.TIMEOUT,
                Map.of("JAVA_OPTS", "-Xmx20m", "OMP_NUM_THREADS", "1"), args.toArray(String[]::new));
        String m = Cli.assertOneLineFailure(r, 5);
        assertMentions(m, "out of memory", "JAVA_OPTS=-Xmx");
    }

    @Test
    void missingDataFolderIsNamed() {
        Path missing = tmp.resolve("no-such-data");
        String m = fails("missing", BAD_DATA, "data.dir=" + missing);
        assertMentions(m, missing.toString(), "data.dir");
    }

    @Test
    void randomBytesInsteadOfAnIdxFileAreRefused() throws IOException {
        Path data = copyOfMini("random");
        Path images = data.resolve("train-images-idx3-ubyte.gz");
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(images))) {
            out.write(noise);
        }
        String m = fails("random", BAD_DATA, "data.dir=" + data);
        assertMentions(m, images.toString(), "not an IDX");
    }

    @Test
    void plainTextNamedGzIsRefused() throws IOException {
        Path data = copyOfMini("text");
        Path images = data.resolve("train-images-idx3-ubyte.gz");
        Files.writeString(images, "these are not the images you are looking for\n");
        String m = fails("text", BAD_DATA, "data.dir=" + data);
        assertMentions(m, images.toString(), "not an IDX");
    }

    @Test
    void truncatedIdxFileIsRefused() throws IOException {
        Path data = copyOfMini("truncated");
        Path gz = data.resolve("train-images-idx3-ubyte.gz");
        byte[] all;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            all = in.readAllBytes();
        }
        Files.delete(gz);
        Path images = data.resolve("train-images-idx3-ubyte");
        try (OutputStream out = Files.newOutputStream(images)) {
            out.write(all, 0, all.length / 2);
        }
        String m = fails("truncated", BAD_DATA, "data.dir=" + data);
        assertMentions(m, images.toString(), "truncated");
    }

    @Test
    void configThatIsNotYamlIsOneLine() throws IOException {
        Path broken = tmp.resolve("broken.yaml");
        Files.writeString(broken, "name: broken\nseed: [1\n");
        GraftDistribution.Result r = GraftDistribution.graft(home, tmp.resolve("work"), Cli.TIMEOUT,
                "run", broken.toString());
        String m = Cli.assertOneLineFailure(r, BAD_CONFIG);
        assertMentions(m, broken.toString(), "not valid YAML", "line 2");
    }

    @Test
    void summaryOfACorruptSummaryIsOneLine() throws IOException {
        Path run = tmp.resolve("corrupt-run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("summary.json"), "{\"name\": ");
        GraftDistribution.Result r = GraftDistribution.graft(home, tmp.resolve("work"), Cli.TIMEOUT,
                "summary", run.toString());
        String m = Cli.assertOneLineFailure(r, BAD_DATA);
        assertMentions(m, run.resolve("summary.json").toString());
    }

    private static Path copyOfMini(String name) throws IOException {
        Path data = tmp.resolve("data").resolve(name);
        Files.createDirectories(data);
        for (String f : IMAGE_FILES) {
            Files.copy(Cli.mini(home).resolve(f + ".gz"), data.resolve(f + ".gz"));
        }
        return data;
    }
}
