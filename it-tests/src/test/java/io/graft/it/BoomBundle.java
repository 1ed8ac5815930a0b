package io.graft.it;

import io.graft.it.boom.BoomFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Packs the classes of {@code io.graft.it.boom} (compiled with the tests against graft-api and DJL) into an
 * OSGi bundle that registers {@link BoomFactory} as a Declarative Services component, the way a third-party
 * plugin would: it imports graft-api and DJL packages only.
 */
final class BoomBundle {

    static final String SYMBOLIC_NAME = "io.graft.it.boom";
    static final String VERSION = "1.2.3";

    private static final String IMPORTS = String.join(",",
            "io.graft.api;version=\"[1.0,2)\"",
            "io.graft.api.config;version=\"[1.0,2)\"",
            "io.graft.api.regularization;version=\"[1.0,2)\"",
            "io.graft.api.train;version=\"[1.0,2)\"",
            "ai.djl.ndarray;version=\"[0.35,1)\"");

    private BoomBundle() {}

    /**
     * Writes the bundle beside the target under a name FileInstall ignores, then moves it in.
     *
     * @param target the jar to write, e.g. {@code plugins/boom.jar}
     * @return the target
     */
    static Path writeTo(Path target) {
        return writeTo(target, VERSION);
    }

    /**
     * @param target the jar to write
     * @param version its Bundle-Version (another version of the same bundle, for hot swap)
     * @return the target
     */
    static Path writeTo(Path target, String version) {
        String component = "OSGI-INF/" + SYMBOLIC_NAME + ".xml";
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", SYMBOLIC_NAME);
        a.putValue("Bundle-Version", version);
        a.putValue("Import-Package", IMPORTS);
        a.putValue("Service-Component", component);
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        try {
            Path root = Path.of(BoomFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            String pkg = BoomFactory.class.getPackageName().replace('.', '/');
            List<Path> classes;
            try (Stream<Path> s = Files.list(root.resolve(pkg))) {
                classes = s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
            }
            try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream jar = new JarOutputStream(out, mf)) {
                for (Path c : classes) {
                    jar.putNextEntry(new JarEntry(pkg + "/" + c.getFileName()));
                    Files.copy(c, jar);
                    jar.closeEntry();
                }
                jar.putNextEntry(new JarEntry(component));
                jar.write(componentXml().getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String componentXml() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="%s.factory">
                  <implementation class="%s"/>
                  <property name="graft.plugin.id" type="String" value="boom"/>
                  <service><provide interface="io.graft.api.PluginFactory"/></service>
                </scr:component>
                """.formatted(SYMBOLIC_NAME, BoomFactory.class.getName());
    }
}
