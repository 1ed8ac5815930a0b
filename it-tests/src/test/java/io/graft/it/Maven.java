package io.graft.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plain {@code mvn}, as a plugin author runs it, over a temporary local repository so that nothing a test
 * installs (the unpublished graft-api and archetype) reaches the user's {@code ~/.m2}.
 *
 * <p>Everything else (DJL, bnd, JUnit, Maven's own plugins) comes from the user's local repository, declared as
 * a {@code file://} remote repository in a temporary settings.xml, so a build with a warm cache downloads
 * nothing. Commands run offline ({@code -o}, with the {@code file} protocol allowed); one that needs something
 * the user's repository lacks is run again online (Maven Central), its downloads kept in the temporary
 * repository.
 */
final class Maven {

    /** System property naming the user's local repository (the it-tests POM sets it from Maven's settings). */
    static final String USER_REPOSITORY = "graft.m2.repository";

    private final Path executable;
    private final Path settings;
    private final Path repository;

    private Maven(Path executable, Path settings, Path repository) {
        this.executable = executable;
        this.settings = settings;
        this.repository = repository;
    }

    /**
     * @param dir a fresh folder for the temporary repository and settings
     * @return Maven from the PATH over a temporary repository in {@code dir}; fails the test when there is no mvn
     */
    static Maven sandbox(Path dir) {
        Path mvn = onPath();
        Path user = Path.of(System.getProperty(USER_REPOSITORY,
                System.getProperty("user.home") + "/.m2/repository")).toAbsolutePath();
        Path repository = dir.resolve("repository");
        Path settings = dir.resolve("settings.xml");
        String remote = "<url>" + user.toUri() + "</url>"
                + "<releases><checksumPolicy>ignore</checksumPolicy></releases>" // a local repository keeps none
                + "<snapshots><enabled>false</enabled></snapshots>";
        String xml = "<settings>\n"
                + "  <localRepository>" + repository + "</localRepository>\n"
                + "  <profiles><profile><id>user-repository</id>\n"
                + "    <repositories><repository><id>user-m2</id>" + remote + "</repository></repositories>\n"
                + "    <pluginRepositories><pluginRepository><id>user-m2</id>" + remote
                + "</pluginRepository></pluginRepositories>\n"
                + "  </profile></profiles>\n"
                + "  <activeProfiles><activeProfile>user-repository</activeProfile></activeProfiles>\n"
                + "</settings>\n";
        try {
            Files.createDirectories(repository);
            Files.writeString(settings, xml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Maven(mvn, settings, repository);
    }

    private static Path onPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "mvn");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail("mvn is not on the PATH: this test builds a plugin project with plain Maven (3.6.3 or later); "
                + "install Maven or put its bin/ folder on the PATH");
    }

    /** @return the temporary local repository */
    Path repository() {
        return repository;
    }

    /**
     * Runs {@code mvn -B ARGS} offline; again online if something was missing from the user's repository.
     *
     * @param workDir the folder to run in
     * @param timeout how long one attempt may take
     * @param args goals and options
     * @return what the last attempt did
     */
    GraftDistribution.Result run(Path workDir, Duration timeout, String... args) {
        GraftDistribution.Result offline = attempt(workDir, timeout, true, args);
        if (offline.exitCode() != 0 && offline.stdout().contains("in offline mode")) {
            return attempt(workDir, timeout, false, args);
        }
        return offline;
    }

    private GraftDistribution.Result attempt(Path workDir, Duration timeout, boolean offline, String... args) {
        List<String> all = new ArrayList<>(List.of("-B", "-ntp", "-s", settings.toString()));
        if (offline) {
            all.add("-o");
            all.add("-Daether.offline.protocols=file"); // offline, yet the file:// repository stays readable
        }
        all.addAll(List.of(args));
        return GraftDistribution.exec(executable, workDir, timeout, Map.of(), all.toArray(String[]::new));
    }
}
