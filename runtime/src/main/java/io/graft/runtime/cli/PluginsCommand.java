package io.graft.runtime.cli;

import io.graft.runtime.felix.FelixHost;
import io.graft.runtime.felix.PluginsReport;
import java.io.PrintStream;

/** {@code graft plugins}: every plugin bundle with its state, its plugins and, for a failed one, why. */
final class PluginsCommand {

    private final PrintStream out;

    PluginsCommand(PrintStream out) {
        this.out = out;
    }

    int execute() {
        try (FelixHost host = Installation.startHost(Installation.layout(), null)) {
            PluginsReport report = host.report();
            out.print(report.format());
            return 0;
        }
    }
}
