package io.graft.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aQute.bnd.differ.Baseline;
import aQute.bnd.differ.Baseline.Info;
import aQute.bnd.differ.DiffPluginImpl;
import aQute.bnd.header.Parameters;
import aQute.bnd.osgi.EmbeddedResource;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Processor;
import aQute.bnd.service.diff.Delta;
import aQute.bnd.version.Version;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shows that the semantic-versioning gate of the build (bnd's baseline, as run by bnd-baseline-maven-plugin in
 * the verify phase) accepts the api as built and rejects incompatible changes that do not bump the version of
 * their package. The comparison is the plugin's own: {@link Baseline} with a {@link DiffPluginImpl} that ignores
 * class bytes and build metadata.
 */
class ApiBaselineTest {

    private static final String REGULARIZER = "io/graft/api/regularization/Regularizer.class";
    private static final String METRIC_SINK = "io/graft/api/train/MetricSink.class";

    /** The same ignore list as the build's (api/pom.xml, graft.api.baseline.ignore). */
    private static final String IGNORE =
            System.getProperty("graft.api.baseline.ignore", "*.class,META-INF/maven/*,Build-Jdk-Spec");

    private static File baselineJar;

    @TempDir
    Path temp;

    /** The outcome of one comparison. */
    private record Result(Map<String, Info> packages, Baseline.BundleInfo bundle, String diff) {

        Info get(String pkg) {
            Info info = packages.get(pkg);
            assertNotNull(info, "no baseline information for " + pkg + " in " + packages.keySet());
            return info;
        }

        List<String> mismatched() {
            return packages.values().stream().filter(i -> i.mismatch)
                    .map(i -> i.packageName + " " + i.packageDiff.getDelta() + " " + i.olderVersion + " -> "
                            + i.newerVersion + " (needs " + i.suggestedVersion + ")")
                    .toList();
        }
    }

    @BeforeAll
    static void findBaseline() {
        baselineJar = new File(System.getProperty("graft.api.baseline.jar",
                "baseline/io/graft/graft-api/1.0.0/graft-api-1.0.0.jar"));
        assertTrue(baselineJar.isFile(), "baseline jar missing: " + baselineJar.getAbsolutePath());
    }

    private static Result compare(Jar newer, Jar older) throws Exception {
        try (Processor reporter = new Processor()) {
            DiffPluginImpl differ = new DiffPluginImpl();
            differ.setIgnore(new Parameters(IGNORE, reporter));
            Baseline baseline = new Baseline(reporter, differ);
            Map<String, Info> byPackage = new TreeMap<>();
            for (Info info : baseline.baseline(newer, older, null)) {
                byPackage.put(info.packageName, info);
            }
            return new Result(byPackage, baseline.getBundleInfo(), String.format("%#2S", baseline.getDiff()));
        }
    }

    @Test
    void theApiAsBuiltNeedsNoVersionBump() throws Exception {
        // target/classes holds the classes and the manifest bnd-process wrote for this build
        try (Jar built = new Jar(new File("target/classes")); Jar base = new Jar(baselineJar)) {
            Result r = compare(built, base);
            assertTrue(r.packages().size() >= 10, "every exported package is compared: " + r.packages().keySet());
            assertEquals(List.of(), r.mismatched(), "packages whose version is too low for their change");
            assertFalse(r.bundle().mismatch, "bundle version too low: needs " + r.bundle().suggestedVersion + "\n" + r.diff());
        }
    }

    @Test
    void removingAPublicInterfaceIsAMajorChangeOfItsPackage() throws Exception {
        try (Jar broken = new Jar(baselineJar); Jar base = new Jar(baselineJar)) {
            assertNotNull(broken.remove(REGULARIZER));
            Result r = compare(broken, base);

            Info regularization = r.get("io.graft.api.regularization");
            assertEquals(Delta.MAJOR, regularization.packageDiff.getDelta());
            assertEquals(new Version(1, 0, 0), regularization.newerVersion, "package version kept");
            assertEquals(new Version(2, 0, 0), regularization.suggestedVersion);
            assertTrue(regularization.mismatch, "the build must fail: 1.0.0 is below the required 2.0.0");
            assertEquals(List.of("io.graft.api.regularization MAJOR 1.0.0 -> 1.0.0 (needs 2.0.0)"), r.mismatched());
            assertTrue(r.bundle().mismatch);
            assertEquals(new Version(2, 0, 0), r.bundle().suggestedVersion);
        }
    }

    @Test
    void addingAMethodToAProviderTypeIsMinorButToAConsumerTypeIsMajor() throws Exception {
        assertBaselineDeclares("io.graft.api.train.MetricSink", "record(String,double)");
        byte[] sink = compile("io.graft.api.train.MetricSink", """
                package io.graft.api.train;

                @org.osgi.annotation.versioning.ProviderType
                public interface MetricSink {
                    void record(String name, double value);

                    void recordAll(java.util.Map<String, Double> values);
                }
                """);
        try (Jar changed = new Jar(baselineJar); Jar base = new Jar(baselineJar)) {
            changed.putResource(METRIC_SINK, new EmbeddedResource(sink, 0L));
            Info train = compare(changed, base).get("io.graft.api.train");
            assertEquals(Delta.MINOR, train.packageDiff.getDelta(), "hosts implement @ProviderType: plugins are unaffected");
            assertEquals(new Version(1, 1, 0), train.suggestedVersion);
            assertTrue(train.mismatch, "without a bump of io.graft.api.train the build fails");

            setExportVersion(changed, "io.graft.api.train", "1.1.0");
            Result bumped = compare(changed, base);
            assertFalse(bumped.get("io.graft.api.train").mismatch, "a minor bump of the package is enough");
            assertEquals(List.of(), bumped.mismatched());
        }

        assertBaselineDeclares("io.graft.api.regularization.Regularizer", "penalty(StepContext)");
        byte[] regularizer = compile("io.graft.api.regularization.Regularizer", """
                package io.graft.api.regularization;

                @org.osgi.annotation.versioning.ConsumerType
                public interface Regularizer extends io.graft.api.Plugin {
                    ai.djl.ndarray.NDArray penalty(io.graft.api.train.StepContext step);

                    double weight();
                }
                """);
        try (Jar changed = new Jar(baselineJar); Jar base = new Jar(baselineJar)) {
            changed.putResource(REGULARIZER, new EmbeddedResource(regularizer, 0L));
            setExportVersion(changed, "io.graft.api.regularization", "1.1.0");
            Info regularization = compare(changed, base).get("io.graft.api.regularization");
            assertEquals(Delta.MAJOR, regularization.packageDiff.getDelta(), "plugins implement @ConsumerType");
            assertEquals(new Version(2, 0, 0), regularization.suggestedVersion);
            assertTrue(regularization.mismatch, "a minor bump is not enough for a new abstract method");
        }
    }

    /** Guards the hand-written sources above: they must start from the baseline's own declaration. */
    private static void assertBaselineDeclares(String type, String... methods) throws Exception {
        try (URLClassLoader loader = new BaselineFirst(type)) {
            List<String> declared = Arrays.stream(loader.loadClass(type).getDeclaredMethods())
                    .map(m -> m.getName() + "(" + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
                            .collect(Collectors.joining(",")) + ")")
                    .sorted().toList();
            assertEquals(Arrays.stream(methods).sorted().toList(), declared,
                    type + " changed in the baseline: update the source this test compiles");
        }
    }

    /** Loads one type from the baseline jar, everything else from the test class path. */
    private static final class BaselineFirst extends URLClassLoader {
        private final String type;

        BaselineFirst(String type) throws IOException {
            super(new URL[] {baselineJar.toURI().toURL()}, ApiBaselineTest.class.getClassLoader());
            this.type = type;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(type)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> found = findLoadedClass(name);
                return found != null ? found : findClass(name);
            }
        }
    }

    private byte[] compile(String type, String source) throws IOException {
        String simple = type.substring(type.lastIndexOf('.') + 1);
        Path src = temp.resolve("src").resolve(simple + ".java");
        Path out = temp.resolve("out-" + simple);
        Files.createDirectories(src.getParent());
        Files.createDirectories(out);
        Files.writeString(src, source, StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests need a JDK");
        String classpath = baselineJar.getAbsolutePath() + File.pathSeparator + System.getProperty("java.class.path");
        int rc = javac.run(null, null, null, "--release", "17", "-proc:none", "-classpath", classpath,
                "-d", out.toString(), src.toString());
        assertEquals(0, rc, "compiling the changed " + type);
        return Files.readAllBytes(out.resolve(type.replace('.', '/') + ".class"));
    }

    private static void setExportVersion(Jar jar, String pkg, String version) throws Exception {
        Manifest manifest = jar.getManifest();
        String exports = manifest.getMainAttributes().getValue("Export-Package");
        String changed = exports.replace(pkg + ";version=\"1.0.0\"", pkg + ";version=\"" + version + "\"");
        assertFalse(changed.equals(exports), pkg + " not exported at 1.0.0");
        Manifest copy = new Manifest(manifest);
        copy.getMainAttributes().putValue("Export-Package", changed);
        jar.setManifest(copy);
    }
}
