package io.graft.runtime.felix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The folders of an installed Graft, relative to its home ({@code GRAFT_HOME}, passed by {@code bin/graft}
 * as the system property {@value #HOME_PROPERTY}). The distribution module builds exactly this layout and
 * the CLI finds everything through it:
 *
 * <pre>
 * bin/graft        the launcher
 * lib/             graft-runtime and its dependencies: the class path
 * lib/osgi/        the OSGi bundles the host installs into Felix (SCR and what it needs, FileInstall)
 * plugins/         algorithm bundles, watched by FileInstall (hot deploy)
 * conf/            default configuration
 * examples/        example experiments and a small data set
 * </pre>
 */
public final class GraftLayout {

    /** System property naming the home folder; set by {@code bin/graft}. */
    public static final String HOME_PROPERTY = "graft.home";
    /** Environment variable that names the home folder when the property is not set. */
    public static final String HOME_ENV = "GRAFT_HOME";

    /** The launcher folder. */
    public static final String BIN_DIR = "bin";
    /** The class path folder. */
    public static final String LIB_DIR = "lib";
    /** The folder of the OSGi bundles installed into Felix by the host (not on the class path). */
    public static final String OSGI_DIR = "lib/osgi";
    /** The hot-deploy folder of plugin bundles. */
    public static final String PLUGINS_DIR = "plugins";
    /** The configuration folder. */
    public static final String CONF_DIR = "conf";
    /** The examples folder. */
    public static final String EXAMPLES_DIR = "examples";

    private final Path home;

    private GraftLayout(Path home) {
        this.home = home.toAbsolutePath().normalize();
    }

    /**
     * @param home the home folder of an installed Graft
     * @return its layout
     */
    public static GraftLayout of(Path home) {
        return new GraftLayout(Objects.requireNonNull(home, "home"));
    }

    /**
     * The layout of the running installation: the folder named by {@value #HOME_PROPERTY}, else by the
     * environment variable {@value #HOME_ENV}.
     *
     * @return the layout, or empty when neither is set (e.g. in unit tests)
     */
    public static Optional<GraftLayout> current() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home == null || home.isBlank()) {
            home = System.getenv(HOME_ENV);
        }
        if (home == null || home.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(of(Path.of(home)));
    }

    /** @return the home folder, absolute */
    public Path home() {
        return home;
    }

    /** @return {@code bin/} */
    public Path bin() {
        return home.resolve(BIN_DIR);
    }

    /** @return {@code lib/} */
    public Path lib() {
        return home.resolve(LIB_DIR);
    }

    /** @return {@code lib/osgi/}, the bundles {@link FelixHost} installs */
    public Path osgiBundles() {
        return home.resolve(OSGI_DIR);
    }

    /** @return {@code plugins/}, the folder FileInstall watches */
    public Path plugins() {
        return home.resolve(PLUGINS_DIR);
    }

    /** @return {@code conf/} */
    public Path conf() {
        return home.resolve(CONF_DIR);
    }

    /** @return {@code examples/} */
    public Path examples() {
        return home.resolve(EXAMPLES_DIR);
    }

    /** @return whether the home looks like an installed Graft (it has the bundles folder and the plugins folder) */
    public boolean looksInstalled() {
        return Files.isDirectory(osgiBundles()) && Files.isDirectory(plugins());
    }

    @Override
    public String toString() {
        return home.toString();
    }
}
