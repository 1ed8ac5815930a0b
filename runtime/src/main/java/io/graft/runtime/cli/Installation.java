package io.graft.runtime.cli;

import io.graft.runtime.UserException;
import io.graft.runtime.felix.FelixHost;
import io.graft.runtime.felix.GraftLayout;
import io.graft.runtime.felix.PluginsReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Finds the installed layout and starts the plugin host over it, waiting until the plugins folder is settled. */
final class Installation {

    private static final Duration SETTLE = Duration.ofSeconds(60);

    private Installation() {}

    static GraftLayout layout() {
        GraftLayout layout = GraftLayout.current().orElseThrow(() -> new UserException(UserException.INTERNAL,
                "no Graft installation found: start Graft with its bin/graft launcher (it sets -Dgraft.home) or set"
                        + " GRAFT_HOME to the unpacked distribution"));
        if (!layout.looksInstalled()) {
            throw new UserException(UserException.INTERNAL, "Graft home " + layout.home()
                    + " has no lib/osgi or plugins folder; reinstall the distribution");
        }
        return layout;
    }

    static FelixHost startHost(GraftLayout layout, Path logFile) {
        if (logFile != null) {
            try {
                Files.createDirectories(logFile.getParent());
            } catch (IOException e) {
                throw new UserException(UserException.BAD_CONFIG, "cannot create output folder " + logFile.getParent()
                        + " (" + e.getClass().getSimpleName() + "); choose another with --out");
            }
        }
        FelixHost host = FelixHost.builder(layout).logFile(logFile).start();
        PluginsReport report = host.awaitSettled(SETTLE);
        if (!report.settled()) {
            host.close();
            throw new UserException(UserException.PLUGIN_FAILED, "the plugins folder " + layout.plugins()
                    + " did not settle within " + SETTLE.toSeconds() + "s; check 'graft plugins'");
        }
        return host;
    }
}
