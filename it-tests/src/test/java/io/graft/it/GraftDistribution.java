package io.graft.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.runtime.felix.GraftLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The built distribution ({@code distribution/target/graft}, named by the system property
 * {@code graft.dist} that the it-tests POM sets) and what tests do with it: copy it, run its
 * {@code bin/graft}, make variants of its plugin jars.
 *
 * <p>End-to-end tests of the CLI use {@link #copy(Path)} then {@link #graft(Path, Path, Duration, String...)}:
 * <pre>{@code
 * Path home = GraftDistribution.copy(tmp.resolve("graft"));
 * GraftDistribution.Result r = GraftDistribution.graft(home, tmp, Duration.ofMinutes(2),
 *         "run", home.resolve("examples/split-fmnist-ewc.yaml").toString());
 * assertEquals(0, r.exitCode(), r.describe());
 * }</pre>
 */
public final class GraftDistribution {

    /** The ids of the plugins the distribution ships in {@code plugins/}, sorted. */
    public static final List<String> SHIPPED_PLUGINS = List.of("adahat", "agem", "blend-cosine", "blend-linear", "blend-sigmoid", "blend-step", "branch", "budget", "contribution", "deepen", "der", "derpp", "er", "ewc", "gem", "genreplay", "gradient", "hat", "independent", "lottery", "lwf", "magnitude", "mas", "packnet", "plateau", "pnn", "pnn-grow", "schedule", "seeds", "si", "structured", "task-boundary", "widen");

    /** The plugin bundles in {@code plugins/}, as {@code graft-plugin-<name>} jars, sorted (der holds der and derpp, hat holds hat and adahat, pnn holds pnn, pnn-grow and independent, triggers holds budget, contribution, plateau, schedule and task-boundary, net2net holds widen and deepen, pruning holds magnitude, lottery, gradient and structured, blend holds blend-linear, blend-sigmoid, blend-cosine and blend-step, seeds holds seeds and branch). */
    public static final List<String> SHIPPED_BUNDLES = List.of("agem", "blend", "der", "er", "ewc", "gem", "genreplay", "hat", "lwf", "mas", "net2net", "packnet", "pnn", "pruning", "seeds", "si", "triggers");

    /** System property naming the distribution folder. */
    public static final String PROPERTY = "graft.dist";

    private GraftDistribution() {}

    /** @return the built distribution; fails the test with the build command when it is missing */
    public static Path home() {
        String dir = System.getProperty(PROPERTY, "../distribution/target/graft");
        Path home = Path.of(dir).toAbsolutePath().normalize();
        assertTrue(GraftLayout.of(home).looksInstalled() && Files.isRegularFile(home.resolve("bin/graft")),
                "no distribution at " + home + "; build it first: mvn -B package -pl distribution -am -DskipTests");
        return home;
    }

    /** @return the layout of the built distribution */
    public static GraftLayout layout() {
        return GraftLayout.of(home());
    }

    /**
     * Copies the distribution so a test can change its plugins folder or conf. {@code lib/} (large, never
     * changed by tests) is linked, not copied.
     *
     * @param target a folder that does not exist yet
     * @return the copy's home
     */
    public static Path copy(Path target) {
        Path home = home();
        try {
            Files.createDirectories(target);
            for (String dir : List.of(GraftLayout.BIN_DIR, GraftLayout.CONF_DIR, GraftLayout.PLUGINS_DIR,
                    GraftLayout.EXAMPLES_DIR)) {
                copyTree(home.resolve(dir), target.resolve(dir));
            }
            Files.createSymbolicLink(target.resolve(GraftLayout.LIB_DIR), home.resolve(GraftLayout.LIB_DIR));
            Path launcher = target.resolve("bin/graft");
            if (Files.exists(launcher)) {
                launcher.toFile().setExecutable(true, false);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            Files.createDirectories(to);
            return;
        }
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.collect(Collectors.toList())) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /**
     * @param home a distribution (or copy)
     * @param prefix the start of a jar's file name, e.g. {@code graft-plugin-er}
     * @return the plugin jar of that name in its plugins folder
     */
    public static Path pluginJar(Path home, String prefix) {
        try (Stream<Path> s = Files.list(home.resolve(GraftLayout.PLUGINS_DIR))) {
            List<Path> found = s.filter(p -> p.getFileName().toString().startsWith(prefix + "-")
                    && p.getFileName().toString().endsWith(".jar")).sorted().collect(Collectors.toList());
            assertTrue(found.size() == 1, "expected one " + prefix + " jar in plugins/, found " + found);
            return found.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a copy of a bundle with its manifest changed (e.g. another symbolic name, version or imports).
     * The copy is written beside the target under a name FileInstall ignores, then moved in.
     *
     * @param source a bundle jar
     * @param target where to write the copy
     * @param edit changes the main attributes of the manifest
     * @return the target
     */
    public static Path rewriteBundle(Path source, Path target, Consumer<Attributes> edit) {
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        try (InputStream in = Files.newInputStream(source); JarInputStream jin = new JarInputStream(in)) {
            Manifest mf = new Manifest(jin.getManifest());
            edit.accept(mf.getMainAttributes());
            try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream jout = new JarOutputStream(out, mf)) {
                JarEntry e;
                while ((e = jin.getNextJarEntry()) != null) {
                    jout.putNextEntry(new JarEntry(e.getName()));
                    jin.transferTo(jout);
                    jout.closeEntry();
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code bin/graft} of a distribution with the JVM that runs the tests ({@code JAVA_HOME}).
     *
     * @param home the distribution (or copy)
     * @param workDir the working folder of the process
     * @param timeout how long it may run; it is killed after
     * @param args the command line
     * @return exit code and output
     */
    public static Result graft(Path home, Path workDir, Duration timeout, String... args) {
        return graft(home, workDir, timeout, Map.of(), args);
    }

    /**
     * @param home the distribution (or copy)
     * @param workDir the working folder of the process
     * @param timeout how long it may run; it is killed after
     * @param env extra environment variables (e.g. {@code JAVA_OPTS})
     * @param args the command line
     * @return exit code and output
     */
    public static Result graft(Path home, Path workDir, Duration timeout, Map<String, String> env,
            String... args) {
        return exec(home.resolve("bin/graft"), workDir, timeout, env, args);
    }

    /**
     * Runs an executable of the distribution (the launcher, an example script) and waits for it.
     *
     * @param executable the program
     * @param workDir the working folder (created)
     * @param timeout how long it may run before it is killed
     * @param env environment variables to set on top of this JVM's
     * @param args its arguments
     * @return what it did
     */
    public static Result exec(Path executable, Path workDir, Duration timeout, Map<String, String> env,
            String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable.toString());
        cmd.addAll(List.of(args));
        try {
            Files.createDirectories(workDir);
            Path out = Files.createTempFile(workDir, "graft-", ".out");
            Path err = Files.createTempFile(workDir, "graft-", ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            pb.environment().remove("GRAFT_OPTS");
            pb.environment().remove("JAVA_OPTS");
            pb.environment().putAll(env);
            long t0 = System.nanoTime();
            Process p = pb.start();
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            Result r = new Result(cmd, done ? p.exitValue() : -1, !done,
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8), took);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + cmd, e);
        }
    }

    /**
     * What a run of {@code bin/graft} did.
     *
     * @param command the command line
     * @param exitCode the exit code, -1 when it timed out
     * @param timedOut whether it was killed at the timeout
     * @param stdout its standard output
     * @param stderr its standard error
     * @param took how long it ran
     */
    public record Result(List<String> command, int exitCode, boolean timedOut, String stdout, String stderr,
            Duration took) {
        /** @return everything, for assertion messages */
        public String describe() {
            return String.join(" ", command) + "\nexit " + exitCode + (timedOut ? " (timed out)" : "")
                    + " after " + took.toMillis() + " ms\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }
}
