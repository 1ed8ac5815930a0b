package io.graft.runtime.felix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

class SystemPackagesTest {

    @Test
    void apiExportsAreTheApiJarsOwnHeader() throws Exception {
        String api = SystemPackages.apiExports();
        Path jar = SystemPackages.location(io.graft.api.Plugin.class);
        String header;
        if (jar.toFile().isDirectory()) {
            try (var in = java.nio.file.Files.newInputStream(jar.resolve("META-INF/MANIFEST.MF"))) {
                header = new java.util.jar.Manifest(in).getMainAttributes().getValue("Export-Package");
            }
        } else {
            try (JarFile j = new JarFile(jar.toFile())) {
                header = j.getManifest().getMainAttributes().getValue("Export-Package");
            }
        }
        assertEquals(header, api, "the exports are the api bundle's own, versions included");
        assertTrue(api.startsWith("io.graft.api;version=\""), api);
        assertTrue(api.contains("io.graft.api.train;version=\""), api);
        assertTrue(SystemPackages.extra().startsWith(api + ","));
    }

    @Test
    void everyDjlApiPackageIsExportedAtDjlsVersion() throws Exception {
        assertEquals("0.35.1", SystemPackages.djlVersion());
        List<String> pkgs = SystemPackages.djlPackages();
        Path jar = SystemPackages.location(ai.djl.ndarray.NDArray.class);
        long expected;
        try (JarFile j = new JarFile(jar.toFile())) {
            expected = j.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class"))
                    .map(n -> n.substring(0, n.lastIndexOf('/'))).distinct().count();
        }
        assertEquals(expected, pkgs.size());
        assertTrue(pkgs.containsAll(List.of("ai.djl", "ai.djl.ndarray", "ai.djl.nn", "ai.djl.training.loss",
                "ai.djl.training.optimizer", "ai.djl.engine", "ai.djl.util")), pkgs.toString());
        String extra = SystemPackages.extra();
        for (String p : pkgs) {
            assertTrue(extra.contains(p + ";version=\"0.35.1\""), p);
        }
    }

    @Test
    void layoutFolders() {
        GraftLayout l = GraftLayout.of(Path.of("/opt/graft"));
        assertEquals(Path.of("/opt/graft/lib"), l.lib());
        assertEquals(Path.of("/opt/graft/lib/osgi"), l.osgiBundles());
        assertEquals(Path.of("/opt/graft/plugins"), l.plugins());
        assertEquals(Path.of("/opt/graft/conf"), l.conf());
        assertEquals(Path.of("/opt/graft/examples"), l.examples());
        assertEquals(Path.of("/opt/graft/bin"), l.bin());
    }
}
