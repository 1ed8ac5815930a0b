package io.graft.runtime.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graft.runtime.UserException;
import io.graft.runtime.config.ExperimentConfig;
import io.graft.runtime.felix.FelixHost;
import io.graft.runtime.report.CompareSpec;
import io.graft.runtime.report.Comparison;
import io.graft.runtime.report.ComparisonWriter;
import io.graft.runtime.report.RunReportWriter;
import io.graft.runtime.report.SummaryWriter;
import io.graft.runtime.wiring.Runs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code graft compare CONFIG [--out DIR] [--set k=v ...]}: runs a grid of methods × orders × seeds (see
 * {@link CompareSpec}) in this JVM over one plugin host, each run into {@code DIR/<method>/<order>/seed-<n>/},
 * and after every run rewrites {@code DIR/comparison.csv}, {@code comparison.md} and {@code comparison.html}.
 * A run that fails is recorded with its one-line reason and the grid goes on; a bad compare file or base
 * config stops it before any run. Exit code: 0 when every run finished, else that of the first failure.
 */
final class CompareCommand {

    static final String USAGE = "usage: graft compare CONFIG [--out DIR] [--set dotted.key=value ...]";

    private final PrintStream out;
    private final PrintStream err;

    CompareCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int execute(List<String> args) {
        RunArguments a = RunArguments.parse(args, "compare file", USAGE);
        CompareSpec spec = CompareSpec.load(a.config());
        ObjectNode base = spec.baseTree(a.overrides());
        List<CompareSpec.Cell> cells = spec.cells(base);
        Path dir = (a.out() != null ? a.out() : Path.of("runs", spec.name())).toAbsolutePath();
        Comparison comparison = new Comparison(spec, cells.size());
        boolean live = System.console() != null;
        int firstFailure = 0;
        try (FelixHost host = Installation.startHost(Installation.layout(), dir.resolve("felix.log"))) {
            ErrorLog.useFile(dir.resolve("graft-error.log"));
            for (int i = 0; i < cells.size(); i++) {
                CompareSpec.Cell cell = cells.get(i);
                Path runDir = dir.resolve(cell.relativeDir());
                String run = "run " + (i + 1) + "/" + cells.size() + " " + cell.label();
                err.println("graft: " + run + " -> " + runDir);
                UserException failure = runOne(spec, base, cell, runDir, host, live, comparison);
                if (failure != null) {
                    comparison.failed(cell, String.valueOf(failure.getMessage()), failure.exitCode());
                    err.println("graft: " + run + " failed: " + comparison.outcomes().get(i).failure());
                    firstFailure = firstFailure == 0 ? failure.exitCode() : firstFailure;
                }
                ComparisonWriter.write(dir, comparison);
            }
        }
        out.println("graft: results in " + dir.resolve(ComparisonWriter.MARKDOWN) + " (also "
                + ComparisonWriter.CSV + ", " + ComparisonWriter.HTML + ")");
        long failed = comparison.outcomes().stream().filter(o -> !o.ok()).count();
        if (failed > 0) {
            err.println("graft: " + failed + " of " + cells.size() + " runs failed; their reasons are in "
                    + dir.resolve(ComparisonWriter.MARKDOWN));
        }
        return firstFailure;
    }

    /**
     * Runs one cell of the grid and records it in the comparison when it finishes.
     *
     * @return {@code null} when the run finished, else why not, as the user reads it
     */
    private UserException runOne(CompareSpec spec, ObjectNode base, CompareSpec.Cell cell, Path runDir, FelixHost host,
                                 boolean live, Comparison comparison) {
        try {
            ExperimentConfig config = spec.config(base, cell);
            // nothing left from an earlier grid in the same folder may pass for this run's result
            Files.deleteIfExists(runDir.resolve(SummaryWriter.FILE));
            Files.deleteIfExists(runDir.resolve(RunReportWriter.FILE));
            Runs.execute(config, runDir, host.registry(), List.of(new ProgressBar(err, live)));
            comparison.finished(cell, runDir);
            return null;
        } catch (UserException e) {
            if (e.getCause() != null) {
                ErrorLog.write(e);
            }
            return e;
        } catch (IOException e) {
            return new UserException(UserException.BAD_CONFIG, "cannot clear " + runDir + " (" + e.getMessage()
                    + "); choose another folder with --out");
        } catch (RuntimeException e) {
            String where = ErrorLog.write(e);
            return new UserException(UserException.INTERNAL, "internal error: " + e.getClass().getSimpleName() + ": "
                    + io.graft.runtime.kernel.PluginFailure.describe(e) + (where == null ? "" : "; details in " + where));
        }
    }
}
