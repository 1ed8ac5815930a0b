package io.graft.runtime.embed;

import io.graft.runtime.UserException;
import io.graft.runtime.config.ConfigLoader;
import io.graft.runtime.config.ExperimentConfig;
import io.graft.runtime.felix.FelixHost;
import io.graft.runtime.felix.GraftLayout;
import io.graft.runtime.felix.PluginsReport;
import io.graft.runtime.plugin.PluginInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A running Graft embedded in an application: the plugin host (Apache Felix with the installation's plugins folder)
 * started once, and experiments run on it one after the other. Not thread-safe: run experiments from one thread.
 * Close it to stop the plugin host.
 *
 * <p>Setting up, {@link Builder#start()} sets the system property {@code ai.djl.offline=true} unless the application
 * has set it: the PyTorch native library ships in the installation's {@code lib/}, and DJL must not go online.
 */
public final class Graft implements AutoCloseable {

    private final GraftLayout layout;
    private final FelixHost host;
    private boolean closed;

    private Graft(GraftLayout layout, FelixHost host) {
        this.layout = layout;
        this.host = host;
    }

    /** @return a builder; the installation defaults to {@code -Dgraft.home} or {@code GRAFT_HOME} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the plugins the host offers now, sorted by id */
    public List<PluginInfo> plugins() {
        check();
        return host.registry().plugins();
    }

    /** @return the installation this Graft runs on */
    public Path home() {
        return layout.home();
    }

    /**
     * Starts describing an experiment from a config file ({@code graft run FILE}); relative paths in it resolve
     * against the file's folder, as on the command line.
     *
     * @param config a YAML config file
     * @return the experiment, to set up and run
     */
    public Experiment experiment(Path config) {
        check();
        return new Experiment(this, Objects.requireNonNull(config, "config"), null);
    }

    /**
     * Starts describing an experiment from a config built in code.
     *
     * @param config the config
     * @return the experiment, to set up and run
     */
    public Experiment experiment(ExperimentConfig config) {
        check();
        return new Experiment(this, null, Objects.requireNonNull(config, "config"));
    }

    FelixHost host() {
        check();
        return host;
    }

    static ExperimentConfig load(Path file, List<String> overrides) {
        return ConfigLoader.load(file, overrides);
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("this Graft is closed; start another with Graft.builder().start()");
        }
    }

    /** Stops the plugin host; the experiments' files stay. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            host.close();
        }
    }

    /** Sets up and starts a {@link Graft}. */
    public static final class Builder {
        private Path home;
        private Path log;
        private Duration settle = Duration.ofSeconds(60);

        private Builder() {
        }

        /**
         * @param installation the unpacked distribution (with {@code lib/osgi} and {@code plugins/})
         * @return this
         */
        public Builder home(Path installation) {
            this.home = installation;
            return this;
        }

        /**
         * @param file where the plugin host logs (default: none)
         * @return this
         */
        public Builder log(Path file) {
            this.log = file;
            return this;
        }

        /**
         * @param timeout how long to wait for the plugins folder to settle at start (default 60 s)
         * @return this
         */
        public Builder settle(Duration timeout) {
            this.settle = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Starts the plugin host and waits until every bundle of the plugins folder is installed.
         *
         * @return the running Graft
         * @throws UserException when no installation is found or the plugins folder does not settle
         */
        public Graft start() {
            if (System.getProperty("ai.djl.offline") == null) {
                System.setProperty("ai.djl.offline", "true");
            }
            GraftLayout layout = home != null ? GraftLayout.of(home.toAbsolutePath()) : GraftLayout.current()
                    .orElseThrow(() -> new UserException(UserException.INTERNAL, "no Graft installation given: call"
                            + " home(path) with the unpacked distribution, or set GRAFT_HOME"));
            if (!layout.looksInstalled()) {
                throw new UserException(UserException.INTERNAL, "Graft home " + layout.home() + " has no lib/osgi or"
                        + " plugins folder; give the unpacked distribution");
            }
            if (log != null) {
                try {
                    Files.createDirectories(log.toAbsolutePath().getParent());
                } catch (IOException e) {
                    throw new UserException(UserException.BAD_CONFIG, "cannot create the log folder of " + log + ": "
                            + e.getMessage());
                }
            }
            FelixHost host = FelixHost.builder(layout).logFile(log).start();
            PluginsReport report = host.awaitSettled(settle);
            if (!report.settled()) {
                host.close();
                throw new UserException(UserException.PLUGIN_FAILED, "the plugins folder " + layout.plugins()
                        + " did not settle within " + settle.toSeconds() + "s");
            }
            return new Graft(layout, host);
        }
    }
}
