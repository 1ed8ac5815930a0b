package io.graft.runtime.felix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.api.Protocol;
import io.graft.runtime.UserException;
import io.graft.runtime.config.PluginSpec;
import io.graft.runtime.plugin.PluginInfo;
import io.graft.runtime.plugin.PluginResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;

/** What the host refuses to load: jars off the allow-list, bundles from elsewhere, plugins for another api. */
class PluginGateTest {

    private static final Duration SETTLE = Duration.ofSeconds(20);

    @TempDir
    Path tmp;
    private FelixHost host;

    @AfterEach
    void tearDown() {
        if (host != null) {
            host.close();
        }
    }

    private PluginsReport start(Path allowList) {
        host = FelixHost.builder().osgiBundles(FelixHostTest.osgiBundles()).pluginsDir(tmp.resolve("plugins"))
                .allowList(allowList).pollMillis(200).logFile(tmp.resolve("osgi.log")).start();
        return host.awaitSettled(SETTLE);
    }

    private static TestBundles plugin(String bsn, String id) {
        // graft.plugin.id is what bnd writes from a plugin POM; the fake factory reads graft.test.id
        return TestBundles.plugin(bsn, id).property(PluginJar.PLUGIN_ID_PROPERTY, id);
    }

    private static List<String> ids(FelixHost host) {
        return host.registry().plugins().stream().map(PluginInfo::id).toList();
    }

    @Test
    void onlyJarsOnTheAllowListLoad() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        Path good = plugin("io.graft.test.good", "good").writeTo(plugins.resolve("good.jar"));
        Path other = plugin("io.graft.test.other", "other").writeTo(plugins.resolve("other.jar"));
        String goodSum = TrustList.digest(good);
        String otherSum = TrustList.digest(other);
        Path list = Files.writeString(tmp.resolve("trusted-plugins.txt"), goodSum + "  good.jar\n");

        PluginsReport r = start(list);
        assertTrue(r.settled(), r.format());
        assertTrue(r.bundle("good.jar").orElseThrow().ok(), r.format());
        assertEquals(List.of("good"), ids(host));

        BundleStatus refused = r.bundle("other.jar").orElseThrow();
        assertTrue(refused.refused(), r.format());
        assertEquals("INSTALLED", refused.state(), "never resolved, so no class of it was loaded");
        assertEquals(BundleStatus.REFUSED, refused.shownState());
        String line = "plugin 'other' (bundle io.graft.test.other 1.0.0, other.jar) is not on the allow-list " + list
                + " (sha256 " + otherSum + "); to trust this jar add the line '" + otherSum + "  other.jar' to it";
        assertEquals(line, refused.problem());
        assertEquals(List.of(refused), r.refused());
        assertTrue(r.format().contains("  other.jar  io.graft.test.other 1.0.0  REFUSED"), r.format());
        assertTrue(r.format().contains("      other  (not registered)"), r.format());
        assertTrue(r.format().contains("      REFUSED: " + line), r.format());
        assertTrue(r.format().contains("allow-list: " + list + " (1 checksum)"), r.format());

        // a run that asks for it is refused with that line (plugin failure), an unknown id stays a config error
        PluginResolver resolver = new PluginResolver(host.registry());
        UserException e = assertThrows(UserException.class,
                () -> resolver.resolve(List.of(new PluginSpec("other", null)), List.of(Protocol.CLASS_IL)));
        assertEquals(UserException.PLUGIN_FAILED, e.exitCode());
        assertEquals(line, e.getMessage());
        e = assertThrows(UserException.class,
                () -> resolver.resolve(List.of(new PluginSpec("nothing", null)), List.of(Protocol.CLASS_IL)));
        assertEquals(UserException.BAD_CONFIG, e.exitCode());

        // starting it by hand does not get past the gate either
        Bundle b = host.bundleContext().getBundle(refused.bundleId());
        b.start();
        assertThrows(BundleException.class, () -> b.start(Bundle.START_TRANSIENT));
        assertEquals(Bundle.INSTALLED, b.getState());
    }

    @Test
    void aRefusedBundleThatNeedsNothingResolvesButNeverStarts() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        // only an optional import: the resolver can resolve it without any provider
        plugin("io.graft.test.bare", "bare").imports("com.example.none;resolution:=optional")
                .writeTo(plugins.resolve("bare.jar"));
        Path list = Files.writeString(tmp.resolve("trusted-plugins.txt"), "# nothing trusted\n");
        PluginsReport r = start(list);
        BundleStatus bare = r.bundle("bare.jar").orElseThrow();
        assertTrue(bare.refused(), r.format());
        Bundle b = host.bundleContext().getBundle(bare.bundleId());
        b.start();
        Thread.sleep(500);
        assertTrue(b.getState() == Bundle.INSTALLED || b.getState() == Bundle.RESOLVED, FelixHost.stateName(b.getState()));
        assertTrue(host.registry().plugins().isEmpty());
    }

    @Test
    void withoutAnAllowListEveryJarOfTheFolderLoads() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        plugin("io.graft.test.good", "good").writeTo(plugins.resolve("good.jar"));
        PluginsReport r = start(tmp.resolve("no-such-list.txt"));
        assertTrue(r.bundle("good.jar").orElseThrow().ok(), r.format());
        assertTrue(r.refused().isEmpty());
        String text = r.format();
        assertTrue(text.startsWith("graft api 1.1.0 (io.graft.api 1.2.0, io.graft.api.config 1.0.0, "), text);
        assertTrue(text.contains("allow-list: off (every jar of the plugins folder is loaded)"), text);
    }

    @Test
    void bundlesInstalledFromOutsideThePluginsFolderDoNotResolve() throws Exception {
        start(null);
        Path elsewhere = plugin("io.graft.test.sneaky", "sneaky").writeTo(
                Files.createDirectories(tmp.resolve("elsewhere")).resolve("sneaky.jar"));
        Bundle b = host.bundleContext().installBundle(elsewhere.toUri().toString());
        b.start();
        assertThrows(BundleException.class, () -> b.start(Bundle.START_TRANSIENT));
        assertEquals(Bundle.INSTALLED, b.getState());
        assertFalse(ids(host).contains("sneaky"));
    }

    @Test
    void subFoldersOfThePluginsFolderAreNotLoaded() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        // FileInstall's default would pack a folder named like a jar and install it
        Path dir = Files.createDirectories(plugins.resolve("exploded.jar"));
        Path jar = plugin("io.graft.test.nested", "nested").writeTo(tmp.resolve("nested.jar"));
        try (java.nio.file.FileSystem zip = java.nio.file.FileSystems.newFileSystem(jar)) {
            for (Path root : zip.getRootDirectories()) {
                try (var files = Files.walk(root)) {
                    for (Path p : files.toList()) {
                        Path dest = dir.resolve(root.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(dest);
                        } else {
                            Files.copy(p, dest);
                        }
                    }
                }
            }
        }
        start(null);
        Thread.sleep(1000); // a few polls
        PluginsReport r = host.awaitSettled(SETTLE);
        assertTrue(r.bundles().isEmpty(), r.format());
        List<String> others = java.util.Arrays.stream(host.bundleContext().getBundles())
                .filter(b -> b.getBundleId() != 0 && host.infrastructure().stream()
                        .noneMatch(i -> i.startsWith(b.getSymbolicName() + " ")))
                .map(Bundle::getLocation).toList();
        assertEquals(List.of(), others);
    }

    @Test
    void aPluginForTheNextMajorApiIsRefusedWithOneLine() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        plugin("io.graft.test.next", "next").imports("io.graft.api;version=\"[2.0,3)\","
                + "io.graft.api.config;version=\"[2.0,3)\"," + TestBundles.DJL_IMPORTS)
                .writeTo(plugins.resolve("next.jar"));
        PluginsReport r = start(null);
        BundleStatus next = r.bundle("next.jar").orElseThrow();
        assertTrue(next.refused(), r.format());
        String line = "plugin 'next' (bundle io.graft.test.next 1.0.0, next.jar) needs Graft api io.graft.api [2.0,3)"
                + " but this Graft has io.graft.api 1.2.0; use a build of the plugin for api 1.x, or a Graft with api 2"
                + " (1 more api package do not match either)";
        assertEquals(line, next.problem());
        assertEquals(List.of("next"), next.declaredIds());
        assertEquals(line, host.registry().unavailable("next").orElseThrow());
    }

    @Test
    void aFailedJarNamesItsPluginToARunThatAsksForIt() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        plugin("io.graft.test.broken", "broken").extraImport("com.example.missing").writeTo(plugins.resolve("broken.jar"));
        start(null);
        assertEquals("plugin 'broken' (broken.jar) does not work: unresolved import com.example.missing; see"
                + " 'graft plugins'", host.registry().unavailable("broken").orElseThrow());
    }
}
