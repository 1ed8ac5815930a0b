package io.graft.runtime.cli;

import io.graft.runtime.config.ConfigLoader;
import io.graft.runtime.config.ExperimentConfig;
import io.graft.runtime.felix.FelixHost;
import io.graft.runtime.felix.GraftLayout;
import io.graft.runtime.report.SummaryWriter;
import io.graft.runtime.wiring.Runs;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** {@code graft run CONFIG [--out DIR] [--set k=v ...]}. */
final class RunCommand {

    private final PrintStream out;
    private final PrintStream err;

    RunCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int execute(RunArguments args) {
        ExperimentConfig config = ConfigLoader.load(args.config(), args.overrides());
        Path dir = (args.out() != null ? args.out() : Path.of("runs", config.name())).toAbsolutePath();
        GraftLayout layout = Installation.layout();
        ProgressBar progress = new ProgressBar(err, System.console() != null);
        try (FelixHost host = Installation.startHost(layout, dir.resolve("felix.log"))) {
            ErrorLog.useFile(dir.resolve("graft-error.log"));
            Runs.execute(config, dir, host.registry(), List.of(progress));
        }
        out.println("graft: results in " + dir.resolve(SummaryWriter.FILE));
        return 0;
    }
}
