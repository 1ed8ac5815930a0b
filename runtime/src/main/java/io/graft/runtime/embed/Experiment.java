package io.graft.runtime.embed;

import io.graft.runtime.config.ExperimentConfig;
import io.graft.runtime.kernel.KernelListener;
import io.graft.runtime.kernel.RunResult;
import io.graft.runtime.report.SummaryWriter;
import io.graft.runtime.wiring.Runs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One experiment on an embedded {@link Graft}: the config with its overrides, where its files go, and who listens.
 * {@link #run()} trains and evaluates exactly as {@code graft run} does and writes the same files
 * ({@code config.yaml}, {@code metrics.jsonl}, {@code summary.json}, {@code report.html}).
 */
public final class Experiment {

    private final Graft graft;
    private final Path file;
    private final ExperimentConfig config;
    private final List<String> overrides = new ArrayList<>();
    private final List<KernelListener> listeners = new ArrayList<>();
    private Path out;

    Experiment(Graft graft, Path file, ExperimentConfig config) {
        this.graft = graft;
        this.file = file;
        this.config = config;
    }

    /**
     * Overrides one config key, like {@code --set key=value} (only for an experiment from a file).
     *
     * @param key a dotted key, e.g. {@code train.epochs} or {@code plugins.0.config.lambda}
     * @param value its value in YAML, e.g. {@code 2} or {@code [64, 64]}
     * @return this
     */
    public Experiment set(String key, String value) {
        if (file == null) {
            throw new IllegalStateException("set() overrides keys of a config file; change the ExperimentConfig itself");
        }
        overrides.add(Objects.requireNonNull(key, "key") + "=" + Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * @param dir the output folder (default: {@code runs/<name>} under the working directory)
     * @return this
     */
    public Experiment out(Path dir) {
        this.out = dir;
        return this;
    }

    /**
     * @param listener told of every event of the run, on the training thread (run start, each step, each
     *     evaluation, growth and seed events, task ends, the end or the failure)
     * @return this
     */
    public Experiment listener(KernelListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Runs the experiment to its end.
     *
     * @return the accuracy matrices and figures, and where the files are
     * @throws io.graft.runtime.UserException for anything the user can fix (config, data, a failing plugin): a
     *     one-line message and the command line's exit code; the files written so far stay
     */
    public Outcome run() {
        ExperimentConfig resolved = file != null ? Graft.load(file, overrides) : config;
        Path dir = (out != null ? out : Path.of("runs", resolved.name())).toAbsolutePath();
        RunResult result = Runs.execute(resolved, dir, graft.host().registry(), List.copyOf(listeners));
        return new Outcome(result, dir, dir.resolve(SummaryWriter.FILE));
    }
}
