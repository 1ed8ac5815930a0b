package io.graft.runtime.config;

import java.util.List;

/**
 * One experiment as written in a YAML config. Every field has a default except the data location, so a
 * config states only what differs. Bound by {@link ConfigLoader}, which refuses unknown keys and wrong
 * types with one line.
 *
 * @param name a readable name for reports
 * @param seed the seed every random choice derives from
 * @param device {@code auto} (GPU when DJL sees one), {@code cpu} or {@code gpu}
 * @param data where the IDX files are
 * @param scenario how the data is cut into tasks
 * @param model the host network
 * @param train the optimisation settings
 * @param plugins the plugins of the run, in hook order; empty for plain fine-tuning
 */
public record ExperimentConfig(
        String name,
        Long seed,
        DeviceChoice device,
        DataConfig data,
        ScenarioConfig scenario,
        ModelConfig model,
        TrainConfig train,
        List<PluginSpec> plugins) {

    /** Fills in defaults. */
    public ExperimentConfig {
        name = name == null ? "experiment" : name;
        seed = seed == null ? 42L : seed;
        device = device == null ? DeviceChoice.AUTO : device;
        data = data == null ? new DataConfig(null) : data;
        scenario = scenario == null ? new ScenarioConfig(null, null, null, null) : scenario;
        model = model == null ? new ModelConfig(null, null) : model;
        train = train == null ? new TrainConfig(null, null, null, null, null) : train;
        plugins = plugins == null ? List.of() : List.copyOf(plugins);
    }
}
