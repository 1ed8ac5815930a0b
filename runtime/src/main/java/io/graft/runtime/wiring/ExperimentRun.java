package io.graft.runtime.wiring;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.inject.Inject;
import com.google.inject.name.Named;
import io.graft.runtime.UserException;
import io.graft.runtime.checkpoint.CheckpointFolder;
import io.graft.runtime.config.ExperimentConfig;
import io.graft.runtime.kernel.PluginUpdates;
import io.graft.runtime.plugin.PluginCatalog;
import io.graft.runtime.kernel.ActivePlugin;
import io.graft.runtime.kernel.KernelListener;
import io.graft.runtime.kernel.RunResult;
import io.graft.runtime.kernel.TrainingKernel;
import io.graft.runtime.metrics.MetricsJsonlWriter;
import io.graft.runtime.plugin.ResolvedPlugin;
import io.graft.runtime.report.RunReportWriter;
import io.graft.runtime.report.SummaryWriter;
import io.graft.runtime.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one experiment: records the resolved config, trains with the metrics file and the other listeners
 * attached, then writes {@code summary.json}. On failure the metrics written so far stay on disk.
 */
public final class ExperimentRun {

    /** The resolved config, written before training starts. */
    public static final String CONFIG_FILE = "config.yaml";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final ExperimentConfig config;
    private final Path out;
    private final Scenario scenario;
    private final Device device;
    private final List<ResolvedPlugin> plugins;
    private final List<KernelListener> extra;
    private PluginCatalog catalog;

    @Inject
    ExperimentRun(ExperimentConfig config, @Named(RunModule.OUT) Path out, Scenario scenario, Device device,
                  List<ResolvedPlugin> plugins, @Named("extra") List<KernelListener> extra) {
        this.config = config;
        this.out = out;
        this.scenario = scenario;
        this.device = device;
        this.plugins = plugins;
        this.extra = extra;
    }

    /**
     * @param source the live plugin catalog, where plugins replaced during the run are found (hot swap)
     */
    @Inject(optional = true)
    void catalog(PluginCatalog source) {
        this.catalog = source;
    }

    /**
     * @return the kernel's result; {@code summary.json} is written
     * @throws UserException for anything the user can fix, including a failing plugin
     */
    public RunResult execute() {
        return execute(null);
    }

    /**
     * Goes on with the run in this folder from a checkpoint: the metrics it covers are kept, the rest written anew.
     *
     * @param checkpoint a committed checkpoint folder of this run, or null to start from the beginning
     * @return the kernel's result; {@code summary.json} is written
     * @throws UserException for anything the user can fix, including a failing plugin
     */
    public RunResult execute(Path checkpoint) {
        CheckpointFolder checkpoints = new CheckpointFolder(out);
        List<ActivePlugin> active = new ArrayList<>();
        for (ResolvedPlugin p : plugins) {
            active.add(new ActivePlugin(p.name(), p.info().version(), p.instance(), p.when()));
        }
        writeResolvedConfig(prepare(out));
        if (checkpoint == null) {
            checkpoints.clear();
        }
        long keep = checkpoint == null ? -1 : MetricsJsonlWriter.linesCoveredBy(checkpoint);
        try (MetricsJsonlWriter metrics = new MetricsJsonlWriter(out, config.train().logEvery(), keep)) {
            List<KernelListener> listeners = new ArrayList<>();
            listeners.add(metrics);
            listeners.addAll(extra);
            TrainingKernel kernel;
            try {
                kernel = new TrainingKernel(scenario, config.model(), config.train(), config.seed(), device, active,
                        listeners);
            } catch (RuntimeException e) {
                // the kernel closes the plugins once it runs; before that they are still ours
                plugins.forEach(p -> p.instance().close());
                throw e;
            }
            RunResult result = kernel.checkpointing(checkpoints, checkpoint)
                    .updates(catalog == null ? PluginUpdates.NONE : new CatalogUpdates(catalog, plugins)).run();
            new SummaryWriter().write(out, config, scenario, plugins, result, device.toString());
            RunReportWriter.write(out);
            return result;
        }
    }

    private void writeResolvedConfig(Path dir) {
        Path file = dir.resolve(CONFIG_FILE);
        try {
            // no stale results from an earlier run in the same folder
            Files.deleteIfExists(dir.resolve(SummaryWriter.FILE));
            Files.deleteIfExists(dir.resolve(RunReportWriter.FILE));
            YAML.writeValue(file.toFile(), config);
        } catch (IOException e) {
            throw new UserException(UserException.BAD_CONFIG, "cannot write " + file + " (" + e.getMessage()
                    + "); choose an output folder you can write to with --out");
        }
    }

    /**
     * Creates the output folder.
     *
     * @param out the folder
     * @return the folder
     */
    static Path prepare(Path out) {
        try {
            return Files.createDirectories(out);
        } catch (IOException e) {
            throw new UserException(UserException.BAD_CONFIG, "cannot create output folder " + out + " ("
                    + e.getMessage() + "); choose another with --out");
        }
    }
}
