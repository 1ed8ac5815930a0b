package io.graft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the real distribution refuses to load, and how it says so: a plugin built against the next major
 * api, and, in a locked-down installation ({@code conf/trusted-plugins.txt}), a jar whose checksum is not
 * listed. {@code graft plugins} shows the host's api, the allow-list and each bundle's state; a run that asks
 * for a refused plugin stops before training with one line and exit code 4.
 */
class PluginTrustTest {

    @TempDir
    Path tmp;

    /** The boom test plugin as it would be built against api 2.0: every api import is {@code [2.0,3)}. */
    private static Path api2Bundle(Path target) {
        Path built = BoomBundle.writeTo(target.resolveSibling("boom-built.jar.tmp"));
        try {
            return GraftDistribution.rewriteBundle(built, target, a -> {
                a.putValue("Bundle-SymbolicName", "io.graft.it.boom.api2");
                a.putValue("Import-Package", a.getValue("Import-Package").replace("[1.0,2)", "[2.0,3)"));
            });
        } finally {
            try {
                Files.deleteIfExists(built);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(in.readAllBytes());
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> shippedJars(Path home) throws IOException {
        try (Stream<Path> s = Files.list(home.resolve("plugins"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("graft-plugin-")).sorted().toList();
        }
    }

    @Test
    void aPluginBuiltForApi2IsRefusedWithOneLine() throws Exception {
        Path home = GraftDistribution.copy(tmp.resolve("graft"));
        api2Bundle(home.resolve("plugins/boom-api2.jar"));
        Path work = tmp.resolve("work");
        String line = "plugin 'boom' (bundle io.graft.it.boom.api2 " + BoomBundle.VERSION + ", boom-api2.jar) needs"
                + " Graft api io.graft.api [2.0,3) but this Graft has io.graft.api 1.2.0; use a build of the plugin"
                + " for api 1.x, or a Graft with api 2 (3 more api packages do not match either)";

        GraftDistribution.Result listed = GraftDistribution.graft(home, work, Cli.TIMEOUT, "plugins");
        assertEquals(0, listed.exitCode(), listed.describe());
        List<String> out = listed.stdout().lines().toList();
        assertTrue(out.get(0).startsWith("graft api 1.1.0 (io.graft.api 1.2.0, "), listed.describe());
        assertTrue(out.contains("allow-list: off (every jar of the plugins folder is loaded)"), listed.describe());
        assertTrue(out.contains("  boom-api2.jar  io.graft.it.boom.api2 " + BoomBundle.VERSION + "  REFUSED"),
                listed.describe());
        assertTrue(out.contains("      boom  (not registered)"), listed.describe());
        assertTrue(out.contains("      REFUSED: " + line), listed.describe());
        // the shipped plugins beside it are untouched
        assertTrue(out.stream().anyMatch(l -> l.matches("  graft-plugin-ewc-.*\\.jar  io\\.graft\\.plugin\\.ewc \\S+  ACTIVE")),
                listed.describe());
        assertTrue(out.stream().anyMatch(l -> l.startsWith("      ewc  regularizer")), listed.describe());

        GraftDistribution.Result run = Cli.run(home, work, home.resolve("examples/split-fmnist-er.yaml"),
                tmp.resolve("runs/api2"), "plugins=[{id: boom}]");
        assertEquals(line, Cli.assertOneLineFailure(run, 4));
    }

    @Test
    void aLockedDownInstallationLoadsOnlyListedJars() throws Exception {
        Path home = GraftDistribution.copy(tmp.resolve("graft"));
        Path boom = BoomBundle.writeTo(home.resolve("plugins/boom.jar"));
        String boomSum = sha256(boom);
        StringBuilder list = new StringBuilder("# plugin jars this installation may load (sha256sum plugins/*.jar)\n");
        for (Path jar : shippedJars(home)) {
            list.append(sha256(jar)).append("  ").append(jar.getFileName()).append('\n');
        }
        Path trusted = Files.writeString(home.resolve("conf/trusted-plugins.txt"), list);
        Path work = tmp.resolve("work");
        String line = "plugin 'boom' (bundle " + BoomBundle.SYMBOLIC_NAME + " " + BoomBundle.VERSION + ", boom.jar) is"
                + " not on the allow-list " + trusted.toRealPath() + " (sha256 " + boomSum + "); to trust this jar add"
                + " the line '" + boomSum + "  boom.jar' to it";

        GraftDistribution.Result listed = GraftDistribution.graft(home, work, Cli.TIMEOUT, "plugins");
        assertEquals(0, listed.exitCode(), listed.describe());
        List<String> out = listed.stdout().lines().toList();
        int shipped = GraftDistribution.SHIPPED_BUNDLES.size();
        assertTrue(out.contains("allow-list: " + trusted.toRealPath() + " (" + shipped + " checksums)"),
                listed.describe());
        assertTrue(out.contains("  boom.jar  " + BoomBundle.SYMBOLIC_NAME + " " + BoomBundle.VERSION + "  REFUSED"),
                listed.describe());
        assertTrue(out.contains("      REFUSED: " + line), listed.describe());
        assertEquals(shipped, out.stream().filter(l -> l.matches("  graft-plugin-.*  ACTIVE")).count(),
                listed.describe());

        // a listed plugin runs; the unlisted one is refused before training
        Path config = home.resolve("examples/split-fmnist-er.yaml");
        GraftDistribution.Result er = Cli.run(home, work, config, tmp.resolve("runs/er"), "scenario.tasks=2");
        assertEquals(0, er.exitCode(), er.describe());
        assertTrue(Files.isRegularFile(tmp.resolve("runs/er/summary.json")), er.describe());
        GraftDistribution.Result refused = Cli.run(home, work, config, tmp.resolve("runs/boom"),
                "plugins=[{id: boom, config: {failAfter: 100000}}]");
        assertEquals(line, Cli.assertOneLineFailure(refused, 4));
        assertFalse(Files.exists(tmp.resolve("runs/boom/summary.json")));

        // adding the line the message gives is all it takes
        Files.writeString(trusted, boomSum + "  boom.jar\n", java.nio.file.StandardOpenOption.APPEND);
        listed = GraftDistribution.graft(home, work, Cli.TIMEOUT, "plugins");
        assertTrue(listed.stdout().lines().toList().contains("  boom.jar  " + BoomBundle.SYMBOLIC_NAME + " "
                + BoomBundle.VERSION + "  ACTIVE"), listed.describe());
        assertTrue(listed.stdout().lines().anyMatch(l -> l.startsWith("      boom  regularizer")), listed.describe());
    }

    @Test
    void aMalformedAllowListStopsGraftInsteadOfTrustingEverything() throws Exception {
        Path home = GraftDistribution.copy(tmp.resolve("graft"));
        Files.writeString(home.resolve("conf/trusted-plugins.txt"), "graft-plugin-er.jar\n");
        GraftDistribution.Result r = GraftDistribution.graft(home, tmp.resolve("work"), Cli.TIMEOUT, "plugins");
        String line = Cli.assertOneLineFailure(r, 2);
        assertTrue(line.contains("trusted-plugins.txt line 1: expected '<sha256>  <jar name>'"), r.describe());
    }
}
