package io.graft.runtime.felix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginsReportTest {

    @Test
    void formatShowsTheApiTheAllowListAndEachBundleWithItsStateAndIds() {
        String refusal = "plugin 'next' (bundle com.example.next 1.0.0, next.jar) needs Graft api io.graft.api"
                + " [2.0,3) but this Graft has io.graft.api 1.1.0; use a build of the plugin for api 1.x, or a Graft"
                + " with api 2";
        PluginsReport r = new PluginsReport(Path.of("/opt/graft/plugins"), List.of(
                new BundleStatus("broken.jar", 7, "com.example.broken", "1.0.0", "INSTALLED", List.of(),
                        "unresolved import com.example.missing", false, false, List.of("broken")),
                new BundleStatus("next.jar", 8, "com.example.next", "1.0.0", "INSTALLED", List.of(), refusal, false,
                        true, List.of("next")),
                new BundleStatus("slow.jar", 9, "com.example.slow", "2.0.0", "RESOLVED", List.of(), null, true)),
                true, "1.1.0 (io.graft.api 1.1.0, io.graft.api.config 1.0.0)", "/opt/graft/conf/trusted-plugins.txt (2 checksums)");
        String n = System.lineSeparator();
        assertEquals("graft api 1.1.0 (io.graft.api 1.1.0, io.graft.api.config 1.0.0)" + n
                + "plugins folder: /opt/graft/plugins" + n
                + "allow-list: /opt/graft/conf/trusted-plugins.txt (2 checksums)" + n
                + "  broken.jar  com.example.broken 1.0.0  INSTALLED" + n
                + "      broken  (not registered)" + n
                + "      FAILED: unresolved import com.example.missing" + n
                + "  next.jar  com.example.next 1.0.0  REFUSED" + n
                + "      next  (not registered)" + n
                + "      REFUSED: " + refusal + n
                + "  slow.jar  com.example.slow 2.0.0  RESOLVED (in progress)" + n
                + "0 plugins from 3 bundles: 1 failed, 1 in progress, 1 refused" + n, r.format());
        assertEquals(List.of("next.jar"), r.refused().stream().map(BundleStatus::file).toList());
    }

    @Test
    void withoutAnAllowListItSaysSo() {
        PluginsReport r = new PluginsReport(Path.of("/p"), List.of(), true, "1.1.0 (io.graft.api 1.1.0)", null);
        assertEquals(List.of("graft api 1.1.0 (io.graft.api 1.1.0)", "plugins folder: /p",
                "allow-list: off (every jar of the plugins folder is loaded)", "  (no plugin bundles)",
                "0 plugins from 0 bundles"), r.format().lines().toList());
    }
}
