package io.graft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.runtime.felix.GraftLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distribution's layout and its launcher, {@code bin/graft}. */
class LauncherTest {

    @TempDir
    Path tmp;

    @Test
    void layoutHasEverythingInItsPlace() throws Exception {
        GraftLayout layout = GraftDistribution.layout();
        assertTrue(Files.isExecutable(layout.bin().resolve("graft")));
        List<String> lib = names(layout.lib());
        for (String prefix : List.of("graft-runtime-", "graft-api-", "api-0.35.1", "pytorch-engine-",
                "pytorch-jni-", "pytorch-native-cpu-", "org.apache.felix.framework-", "guice-",
                "jackson-databind-", "jackson-dataformat-yaml-", "slf4j-api-", "org.osgi.service.log-")) {
            assertTrue(lib.stream().anyMatch(n -> n.startsWith(prefix)), prefix + " missing in lib/: " + lib);
        }
        // the OSGi bundles are installed into Felix, never on the class path
        for (String prefix : List.of("org.apache.felix.scr-", "org.apache.felix.fileinstall-", "graft-plugin-")) {
            assertFalse(lib.stream().anyMatch(n -> n.startsWith(prefix)), prefix + " must not be in lib/: " + lib);
        }
        List<String> osgi = names(layout.osgiBundles());
        assertEquals(5, osgi.size(), osgi.toString());
        for (String prefix : List.of("org.apache.felix.scr-2.2.12", "org.apache.felix.fileinstall-3.7.4",
                "org.osgi.util.promise-1.3.0", "org.osgi.util.function-1.2.0", "org.osgi.service.component-1.5.1")) {
            assertTrue(osgi.stream().anyMatch(n -> n.startsWith(prefix)), prefix + " missing in lib/osgi: " + osgi);
        }
        List<String> plugins = names(layout.plugins());
        assertEquals(GraftDistribution.SHIPPED_BUNDLES.size(), plugins.size(), plugins.toString());
        for (String id : GraftDistribution.SHIPPED_BUNDLES) {
            assertTrue(plugins.stream().anyMatch(n -> n.startsWith("graft-plugin-" + id + "-")), plugins.toString());
        }
        assertTrue(Files.isDirectory(layout.conf()));
        assertTrue(Files.isDirectory(layout.examples()));
    }

    @Test
    void launcherPassesHomeOfflineAndClassPath() throws Exception {
        // through a symbolic link, from another folder: the home is still found
        Path home = GraftDistribution.copy(tmp.resolve("graft"));
        Path link = tmp.resolve("elsewhere/graft-link");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, home.resolve("bin/graft"));
        // java prints its settings (to standard error) before it loads Graft's main class; what Graft
        // itself does with --help is the CLI's business, not checked here
        GraftDistribution.Result r = GraftDistribution.graft(home, tmp, Duration.ofSeconds(60),
                Map.of("JAVA_OPTS", "-XshowSettings:properties", "GRAFT_OPTS", "-Dgraft.it=yes"), "--help");
        assertFalse(r.timedOut(), r.describe());
        String settings = r.stderr();
        assertTrue(settings.contains("graft.home = " + home.toRealPath()), r.describe());
        assertTrue(settings.contains("ai.djl.offline = true"), r.describe());
        assertTrue(settings.contains("graft.it = yes"), r.describe());
        assertTrue(settings.contains(home.toRealPath().resolve("lib") + "/"), r.describe());

        ProcessBuilder pb = new ProcessBuilder(link.toString()).directory(tmp.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("JAVA_OPTS", "-XshowSettings:properties");
        pb.command().add("--help");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        assertTrue(out.contains("graft.home = " + home.toRealPath()), out);
    }

    @Test
    void launcherExplainsABadJavaHome() {
        GraftDistribution.Result r = GraftDistribution.graft(GraftDistribution.home(), tmp, Duration.ofSeconds(30),
                Map.of("JAVA_HOME", tmp.resolve("no-java").toString()), "plugins");
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains("JAVA_HOME"), r.describe());
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
