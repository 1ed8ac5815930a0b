package io.graft.runtime.felix;

import io.graft.runtime.felix.testplugin.FakePluginFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Writes tiny plugin bundles at test time: the {@link FakePluginFactory} class with a hand-made manifest. */
final class TestBundles {

    static final String API_IMPORTS =
            "io.graft.api;version=\"[1.0,2)\",io.graft.api.config;version=\"[1.0,2)\"";
    static final String DJL_IMPORTS =
            "ai.djl.ndarray;version=\"[0.35,1)\",ai.djl.ndarray.types;version=\"[0.35,1)\"";

    private final String bsn;
    private String version = "1.0.0";
    private String imports = API_IMPORTS + "," + DJL_IMPORTS;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private boolean component = true;
    private boolean manifest = true;

    private TestBundles(String bsn) {
        this.bsn = bsn;
    }

    /**
     * @param bsn the symbolic name
     * @param pluginId the id the factory registers
     * @return a bundle spec
     */
    static TestBundles plugin(String bsn, String pluginId) {
        TestBundles t = new TestBundles(bsn);
        t.properties.put("graft.test.id", pluginId);
        return t;
    }

    TestBundles version(String v) {
        this.version = v;
        return this;
    }

    TestBundles imports(String importPackage) {
        this.imports = importPackage;
        return this;
    }

    TestBundles extraImport(String clause) {
        this.imports = imports + "," + clause;
        return this;
    }

    TestBundles property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    TestBundles noComponent() {
        this.component = false;
        return this;
    }

    /** A plain jar with no OSGi headers. */
    TestBundles notABundle() {
        this.manifest = false;
        return this;
    }

    /**
     * Writes the jar to a temporary name beside the target and moves it in, so FileInstall never sees a
     * half-written file.
     *
     * @param target the jar to write
     * @return the target
     */
    Path writeTo(Path target) {
        try {
            // FileInstall only looks at *.jar
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Manifest mf = new Manifest();
            Attributes a = mf.getMainAttributes();
            a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
            if (manifest) {
                a.putValue("Bundle-ManifestVersion", "2");
                a.putValue("Bundle-SymbolicName", bsn);
                a.putValue("Bundle-Version", version);
                a.putValue("Import-Package", imports);
                if (component) {
                    a.putValue("Service-Component", "OSGI-INF/" + bsn + ".xml");
                }
            }
            try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream jar = new JarOutputStream(out, mf)) {
                for (Map.Entry<String, Path> e : classes().entrySet()) {
                    jar.putNextEntry(new JarEntry(e.getKey()));
                    Files.copy(e.getValue(), jar);
                    jar.closeEntry();
                }
                if (manifest && component) {
                    jar.putNextEntry(new JarEntry("OSGI-INF/" + bsn + ".xml"));
                    jar.write(componentXml().getBytes(StandardCharsets.UTF_8));
                    jar.closeEntry();
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String componentXml() {
        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"")
                .append(bsn).append(".factory\" activate=\"activate\">\n")
                .append("  <implementation class=\"").append(FakePluginFactory.class.getName()).append("\"/>\n");
        for (Map.Entry<String, String> p : properties.entrySet()) {
            sb.append("  <property name=\"").append(p.getKey()).append("\" value=\"").append(p.getValue())
                    .append("\"/>\n");
        }
        sb.append("  <service><provide interface=\"io.graft.api.PluginFactory\"/></service>\n")
                .append("</scr:component>\n");
        return sb.toString();
    }

    /** @return jar entry name to class file, for every class of the test plugin package */
    private static Map<String, Path> classes() throws IOException {
        Path root;
        try {
            root = Path.of(FakePluginFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        String pkg = FakePluginFactory.class.getPackageName().replace('.', '/');
        Path dir = root.resolve(pkg);
        Map<String, Path> out = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".class")).sorted().collect(Collectors.toList());
        }
        for (Path f : new ArrayList<>(files)) {
            out.put(pkg + "/" + f.getFileName(), f);
        }
        return out;
    }
}
