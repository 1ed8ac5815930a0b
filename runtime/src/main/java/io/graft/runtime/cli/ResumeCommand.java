package io.graft.runtime.cli;

import io.graft.runtime.UserException;
import io.graft.runtime.checkpoint.CheckpointFolder;
import io.graft.runtime.config.ConfigLoader;
import io.graft.runtime.config.ExperimentConfig;
import io.graft.runtime.felix.FelixHost;
import io.graft.runtime.felix.GraftLayout;
import io.graft.runtime.report.SummaryWriter;
import io.graft.runtime.wiring.ExperimentRun;
import io.graft.runtime.wiring.Runs;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code graft resume DIR}: goes on with an interrupted run in its folder from its last checkpoint, with the config
 * it was started with ({@code DIR/config.yaml}); it ends with the numbers the run would have had uninterrupted.
 */
final class ResumeCommand {

    private final PrintStream out;
    private final PrintStream err;

    ResumeCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int execute(List<String> args) {
        if (args.size() != 1) {
            throw new UserException(UserException.BAD_CONFIG, "usage: graft resume DIR (the folder of an interrupted run)");
        }
        Path dir = Path.of(args.get(0)).toAbsolutePath();
        Path config = dir.resolve(ExperimentRun.CONFIG_FILE);
        if (!Files.isRegularFile(config)) {
            throw new UserException(UserException.BAD_CONFIG, dir + " is not a run folder (no " + ExperimentRun.CONFIG_FILE
                    + "); give the --out folder of the run to resume");
        }
        Path checkpoint = new CheckpointFolder(dir).latest().orElseThrow(() -> new UserException(
                UserException.BAD_CONFIG, "no checkpoint in " + dir + " (the run stopped before its first task ended,"
                + " or train.checkpoints was false); start it again with graft run"));
        ExperimentConfig resolved = ConfigLoader.load(config, List.of());
        GraftLayout layout = Installation.layout();
        ProgressBar progress = new ProgressBar(err, System.console() != null);
        try (FelixHost host = Installation.startHost(layout, dir.resolve("felix.log"))) {
            ErrorLog.useFile(dir.resolve("graft-error.log"));
            Runs.execute(resolved, dir, host.registry(), List.of(progress), checkpoint);
        }
        out.println("graft: resumed; results in " + dir.resolve(SummaryWriter.FILE));
        return 0;
    }
}
