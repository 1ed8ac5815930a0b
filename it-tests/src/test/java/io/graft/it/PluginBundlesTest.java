package io.graft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.api.Contract;
import io.graft.runtime.felix.BundleStatus;
import io.graft.runtime.felix.FelixHost;
import io.graft.runtime.felix.GraftLayout;
import io.graft.runtime.felix.PluginsReport;
import io.graft.runtime.plugin.PluginInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots {@link FelixHost} in this JVM over a copy of the built distribution (its {@code lib/osgi} bundles
 * and its real {@code plugins/} jars), as {@code bin/graft} does.
 */
class PluginBundlesTest {

    private static final Duration SETTLE = Duration.ofSeconds(30);

    @TempDir
    Path tmp;
    private Path home;
    private FelixHost host;

    @BeforeEach
    void copyDistribution() {
        home = GraftDistribution.copy(tmp.resolve("graft"));
    }

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    private PluginsReport start() {
        host = FelixHost.builder(GraftLayout.of(home)).pollMillis(250).logFile(tmp.resolve("osgi.log")).start();
        return host.awaitSettled(SETTLE);
    }

    private List<String> ids() {
        return host.registry().plugins().stream().map(PluginInfo::id).toList();
    }

    @Test
    void shippedPluginsResolveAndRegister() {
        PluginsReport r = start();
        assertTrue(r.settled(), r.format());
        assertTrue(r.failed().isEmpty(), r.format());
        assertEquals(GraftDistribution.SHIPPED_BUNDLES.size(), r.bundles().size(), r.format());
        assertTrue(r.bundles().stream().allMatch(BundleStatus::ok), r.format());
        assertEquals(GraftDistribution.SHIPPED_PLUGINS, ids());

        PluginInfo ewc = host.registry().plugin("ewc").orElseThrow();
        assertEquals("io.graft.plugin.ewc", ewc.bundle());
        assertTrue(ewc.descriptor().contracts().contains(Contract.REGULARIZER), ewc.toString());
        PluginInfo er = host.registry().plugin("er").orElseThrow();
        assertEquals("io.graft.plugin.er", er.bundle());
        assertTrue(er.descriptor().contracts().contains(Contract.REHEARSAL), er.toString());
        assertTrue(host.registry().factory("ewc").isPresent());
        assertTrue(host.registry().factory("er").isPresent());
    }

    @Test
    void bundleCopiedInWhileRunningIsListedAndDeletedOneDisappears() throws Exception {
        PluginsReport r = start();
        assertEquals(GraftDistribution.SHIPPED_PLUGINS, ids());
        String originalErVersion = host.registry().plugin("er").orElseThrow().version();

        // a newer build of er arrives: same plugin id, another bundle, a higher version
        Path er = GraftDistribution.pluginJar(home, "graft-plugin-er");
        Path newer = GraftDistribution.rewriteBundle(er, home.resolve("plugins/er-hotfix.jar"), a -> {
            a.putValue("Bundle-SymbolicName", "io.graft.it.er.hotfix");
            a.putValue("Bundle-Version", "99.0.0");
        });
        r = host.awaitSettled(SETTLE);
        assertTrue(r.settled(), r.format());
        BundleStatus hotfix = r.bundle("er-hotfix.jar").orElseThrow();
        assertTrue(hotfix.ok(), r.format());
        assertEquals("io.graft.it.er.hotfix", hotfix.symbolicName());
        assertEquals(List.of("er"), hotfix.plugins().stream().map(o -> o.plugin().id()).toList());
        // the higher version answers to the id; the shipped er is shadowed, not gone
        assertEquals("99.0.0", host.registry().plugin("er").orElseThrow().version());
        assertFalse(r.bundle(er.getFileName().toString()).orElseThrow().plugins().get(0).inUse(), r.format());
        assertEquals(GraftDistribution.SHIPPED_PLUGINS, ids());

        Files.delete(newer);
        r = host.awaitSettled(SETTLE);
        assertTrue(r.settled(), r.format());
        assertTrue(r.bundle("er-hotfix.jar").isEmpty(), r.format());
        assertEquals(GraftDistribution.SHIPPED_BUNDLES.size(), r.bundles().size(), r.format());
        PluginInfo back = host.registry().plugin("er").orElseThrow();
        assertEquals("io.graft.plugin.er", back.bundle());
        assertEquals(originalErVersion, back.version());
    }

    @Test
    void bundleWithUnresolvedImportFailsWhileEwcAndErWork() throws Exception {
        Path er = GraftDistribution.pluginJar(home, "graft-plugin-er");
        GraftDistribution.rewriteBundle(er, home.resolve("plugins/broken.jar"), a -> {
            a.putValue("Bundle-SymbolicName", "io.graft.it.broken");
            a.putValue("Import-Package", a.getValue("Import-Package") + ",com.example.missing");
        });
        PluginsReport r = start();
        assertTrue(r.settled(), r.format());
        BundleStatus broken = r.bundle("broken.jar").orElseThrow();
        assertEquals("INSTALLED", broken.state(), r.format());
        assertEquals("unresolved import com.example.missing", broken.problem(), r.format());
        assertTrue(broken.plugins().isEmpty());
        assertEquals(List.of(broken), r.failed());
        assertTrue(r.format().contains("FAILED: unresolved import com.example.missing"), r.format());

        assertEquals(GraftDistribution.SHIPPED_PLUGINS, ids());
        assertTrue(r.bySymbolicName("io.graft.plugin.ewc").orElseThrow().ok(), r.format());
        assertTrue(r.bySymbolicName("io.graft.plugin.er").orElseThrow().ok(), r.format());
        assertNull(r.bySymbolicName("io.graft.plugin.er").orElseThrow().problem());
    }
}
