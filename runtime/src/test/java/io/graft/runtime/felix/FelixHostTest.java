package io.graft.runtime.felix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.api.Contract;
import io.graft.runtime.UserException;
import io.graft.runtime.plugin.PluginInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Boots the real Felix with SCR and FileInstall and drops tiny bundles into the plugins folder. */
class FelixHostTest {

    private static final Duration SETTLE = Duration.ofSeconds(20);

    @TempDir
    Path tmp;
    private Path plugins;
    private FelixHost host;

    static Path osgiBundles() {
        String dir = System.getProperty("graft.test.osgiBundles", "target/osgi-bundles");
        Path p = Path.of(dir);
        assertTrue(Files.isDirectory(p), "run through Maven: the OSGi bundles are copied to " + p);
        return p;
    }

    @BeforeEach
    void setUp() {
        plugins = tmp.resolve("plugins");
    }

    @AfterEach
    void tearDown() {
        if (host != null) {
            host.close();
        }
    }

    private FelixHost start() {
        host = FelixHost.builder().osgiBundles(osgiBundles()).pluginsDir(plugins).pollMillis(200)
                .logFile(tmp.resolve("osgi.log")).start();
        return host;
    }

    @Test
    void startsWithScrAndFileInstallAndExportsApiAndDjl() {
        start();
        List<String> infra = host.infrastructure();
        assertEquals(5, infra.size(), infra.toString());
        assertTrue(infra.stream().allMatch(s -> s.endsWith(" ACTIVE")), infra.toString());
        assertTrue(infra.stream().anyMatch(s -> s.startsWith("org.apache.felix.scr 2.2.12")), infra.toString());
        assertTrue(infra.stream().anyMatch(s -> s.startsWith("org.apache.felix.fileinstall 3.7.4")), infra.toString());

        String extra = host.systemPackagesExtra();
        assertTrue(extra.contains("io.graft.api;version=\"1.2.0\""), extra);
        assertTrue(extra.contains("io.graft.api.regularization;version=\"1.0.0\""), extra);
        for (String djl : List.of("ai.djl", "ai.djl.ndarray", "ai.djl.ndarray.index", "ai.djl.ndarray.types",
                "ai.djl.nn", "ai.djl.nn.core", "ai.djl.training", "ai.djl.training.loss", "ai.djl.engine",
                "ai.djl.util", "ai.djl.translate", "ai.djl.repository")) {
            assertTrue(extra.contains(djl + ";version=\"0.35.1\""), djl + " missing in " + extra);
        }
        assertTrue(extra.contains("org.slf4j;"), extra);

        PluginsReport r = host.awaitSettled(SETTLE);
        assertTrue(r.settled());
        assertTrue(r.bundles().isEmpty());
        assertTrue(Files.isDirectory(plugins), "the plugins folder is created");
        assertTrue(host.registry().plugins().isEmpty());
    }

    @Test
    void bundleDroppedInIsRegisteredAndDeletingItRemovesIt() throws Exception {
        start();
        List<String> changes = new CopyOnWriteArrayList<>();
        host.registry().addListener((id, now) -> changes.add(id + "=" + now.map(PluginInfo::version).orElse("-")));

        Path jar = TestBundles.plugin("io.graft.test.alpha", "alpha").version("1.2.3")
                .property("graft.test.djl", "yes").writeTo(plugins.resolve("alpha.jar"));
        PluginsReport r = host.awaitSettled(SETTLE);
        assertTrue(r.settled(), r.format());
        BundleStatus b = r.bundle("alpha.jar").orElseThrow();
        assertEquals("ACTIVE", b.state(), r.format());
        assertNull(b.problem(), r.format());
        assertEquals("io.graft.test.alpha", b.symbolicName());
        assertEquals("1.2.3", b.version());
        assertEquals(1, b.plugins().size(), r.format());

        PluginInfo info = host.registry().plugin("alpha").orElseThrow();
        assertEquals("1.2.3", info.version());
        assertEquals("io.graft.test.alpha", info.bundle());
        assertEquals(java.util.Set.of(Contract.REGULARIZER), info.descriptor().contracts());
        // the bundle computed with DJL through the host's engine
        assertEquals("sum=6.0", info.descriptor().description());
        assertTrue(host.registry().factory("alpha").isPresent());
        assertEquals(List.of("alpha"), host.registry().plugins().stream().map(PluginInfo::id).toList());
        assertTrue(r.format().contains("alpha  regularizer  Fake alpha"), r.format());

        Files.delete(jar);
        r = host.awaitSettled(SETTLE);
        assertTrue(r.settled(), r.format());
        assertTrue(r.bundles().isEmpty(), r.format());
        assertTrue(host.registry().plugin("alpha").isEmpty());
        assertTrue(host.registry().factory("alpha").isEmpty());
        assertEquals(List.of("alpha=1.2.3", "alpha=-"), changes);
    }

    @Test
    void unresolvedBundleIsReportedWhileOthersWork() throws Exception {
        Files.createDirectories(plugins);
        TestBundles.plugin("io.graft.test.good", "good").writeTo(plugins.resolve("good.jar"));
        TestBundles.plugin("io.graft.test.broken", "broken").extraImport("com.example.missing")
                .writeTo(plugins.resolve("broken.jar"));
        TestBundles.plugin("io.graft.test.newer", "newer").imports(
                "io.graft.api;version=\"[1.3,2)\",io.graft.api.config;version=\"[1.0,2)\"")
                .writeTo(plugins.resolve("newer-api.jar"));
        start();
        PluginsReport r = host.awaitSettled(SETTLE);
        assertTrue(r.settled(), r.format());

        BundleStatus broken = r.bundle("broken.jar").orElseThrow();
        assertEquals("INSTALLED", broken.state());
        assertEquals("unresolved import com.example.missing", broken.problem());
        assertTrue(broken.plugins().isEmpty());

        BundleStatus newer = r.bundle("newer-api.jar").orElseThrow();
        // a plugin built for a newer api than the host's is refused with what it needs and what is there
        assertEquals("bundle io.graft.test.newer 1.0.0 (newer-api.jar) needs Graft api io.graft.api [1.3,2) but this"
                + " Graft has io.graft.api 1.2.0; use a build of the plugin for api 1.1 or earlier, or a Graft with"
                + " api 1.3 or later", newer.problem());
        assertTrue(newer.refused(), r.format());

        BundleStatus good = r.bundle("good.jar").orElseThrow();
        assertTrue(good.ok(), r.format());
        assertEquals(List.of("good"), host.registry().plugins().stream().map(PluginInfo::id).toList());
        assertEquals(2, r.failed().size());
        assertTrue(r.format().contains("FAILED: unresolved import com.example.missing"), r.format());

        // the good one keeps working when another bundle arrives later
        TestBundles.plugin("io.graft.test.late", "late").writeTo(plugins.resolve("late.jar"));
        r = host.awaitSettled(SETTLE);
        assertTrue(r.bundle("late.jar").orElseThrow().ok(), r.format());
        assertEquals(List.of("good", "late"), host.registry().plugins().stream().map(PluginInfo::id).toList());
    }

    @Test
    void higherBundleVersionWinsForTheSameId() throws Exception {
        start();
        TestBundles.plugin("io.graft.test.old", "dup").version("1.0.0").writeTo(plugins.resolve("dup-old.jar"));
        TestBundles.plugin("io.graft.test.new", "dup").version("2.1.0").writeTo(plugins.resolve("dup-new.jar"));
        PluginsReport r = host.awaitSettled(SETTLE);
        assertTrue(r.settled(), r.format());
        assertEquals("2.1.0", host.registry().plugin("dup").orElseThrow().version());
        assertEquals(1, host.registry().plugins().size());
        PluginRegistry.Offer oldOffer = r.bundle("dup-old.jar").orElseThrow().plugins().get(0);
        assertFalse(oldOffer.inUse());
        assertEquals("io.graft.test.new", oldOffer.shadowedBy().bundle());
        assertTrue(r.bundle("dup-new.jar").orElseThrow().plugins().get(0).inUse());
        assertTrue(r.format().contains("[not used: io.graft.test.new 2.1.0 has a higher version]"), r.format());

        Files.delete(plugins.resolve("dup-new.jar"));
        r = host.awaitSettled(SETTLE);
        assertTrue(r.settled(), r.format());
        assertEquals("1.0.0", host.registry().plugin("dup").orElseThrow().version());
        assertEquals("io.graft.test.old", host.registry().plugin("dup").orElseThrow().bundle());
    }

    @Test
    void componentThatFailsToActivateIsReported() throws Exception {
        start();
        TestBundles.plugin("io.graft.test.failing", "failing").property("graft.test.fail", "yes")
                .writeTo(plugins.resolve("failing.jar"));
        TestBundles.plugin("io.graft.test.fine", "fine").writeTo(plugins.resolve("fine.jar"));
        PluginsReport r = host.awaitSettled(SETTLE);
        assertTrue(r.settled(), r.format());
        BundleStatus failing = r.bundle("failing.jar").orElseThrow();
        assertEquals("ACTIVE", failing.state());
        assertTrue(failing.failed(), r.format());
        assertEquals("its plugin factory failed to start: The activate method has thrown an exception: "
                + "IllegalStateException: boom from failing", failing.problem());
        assertTrue(r.bundle("fine.jar").orElseThrow().ok(), r.format());
        assertEquals(List.of("fine"), host.registry().plugins().stream().map(PluginInfo::id).toList());
        // SCR's error went to the log file, with its stack trace
        String log = Files.readString(tmp.resolve("osgi.log"));
        assertTrue(log.contains("boom from failing"), log);
    }

    @Test
    void jarsFelixRefusesAreReported() throws Exception {
        Files.createDirectories(plugins);
        TestBundles.plugin("x", "x").notABundle().writeTo(plugins.resolve("plain.jar"));
        TestBundles.plugin("io.graft.test.one", "one").writeTo(plugins.resolve("one.jar"));
        TestBundles.plugin("io.graft.test.one", "one").writeTo(plugins.resolve("one-copy.jar"));
        start();
        PluginsReport r = host.awaitSettled(SETTLE);
        assertTrue(r.settled(), r.format());
        BundleStatus plain = r.bundle("plain.jar").orElseThrow();
        assertTrue(plain.failed(), r.format());
        // FileInstall installs one of the two copies; the other is refused as a duplicate
        BundleStatus one = r.bundle("one.jar").orElseThrow();
        BundleStatus copy = r.bundle("one-copy.jar").orElseThrow();
        BundleStatus installed = one.ok() ? one : copy;
        BundleStatus refused = one.ok() ? copy : one;
        assertTrue(installed.ok(), r.format());
        assertEquals(BundleStatus.NOT_INSTALLED, refused.state(), r.format());
        assertTrue(refused.problem().contains("same symbolic name and version as the installed " + installed.file()),
                r.format());
    }

    @Test
    void missingBundlesFolderIsAUserError() {
        UserException e = assertThrows(UserException.class, () -> FelixHost.builder()
                .osgiBundles(tmp.resolve("nowhere")).pluginsDir(plugins).start());
        assertEquals(UserException.INTERNAL, e.exitCode());
        assertTrue(e.getMessage().contains("reinstall Graft"), e.getMessage());
    }

    @Test
    void quietWithoutLogFileOrDebug() throws Exception {
        FelixHost.initEngine(); // DJL's own start-up warnings (e.g. no GPU) are not Felix's
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream oldOut = System.out;
        java.io.PrintStream oldErr = System.err;
        System.setOut(new java.io.PrintStream(out, true));
        System.setErr(new java.io.PrintStream(err, true));
        try {
            Files.createDirectories(plugins);
            TestBundles.plugin("io.graft.test.broken", "broken").extraImport("com.example.missing")
                    .writeTo(plugins.resolve("broken.jar"));
            TestBundles.plugin("io.graft.test.failing", "failing").property("graft.test.fail", "yes")
                    .writeTo(plugins.resolve("failing.jar"));
            host = FelixHost.builder().osgiBundles(osgiBundles()).pluginsDir(plugins).pollMillis(200).start();
            PluginsReport r = host.awaitSettled(SETTLE);
            assertEquals(2, r.failed().size(), r.format());
            host.close();
            host = null;
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        assertEquals("", out.toString(), "stdout");
        assertEquals("", err.toString(), "stderr");
    }
}
