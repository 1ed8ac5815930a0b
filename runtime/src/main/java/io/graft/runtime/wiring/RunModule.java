package io.graft.runtime.wiring;

import ai.djl.Device;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.name.Named;
import com.google.inject.name.Names;
import io.graft.runtime.config.ExperimentConfig;
import io.graft.runtime.kernel.KernelListener;
import io.graft.runtime.plugin.PluginCatalog;
import io.graft.api.Protocol;
import io.graft.runtime.UserException;
import io.graft.runtime.plugin.PluginResolver;
import io.graft.runtime.plugin.RunTraits;
import io.graft.runtime.plugin.ResolvedPlugin;
import io.graft.runtime.scenario.ImageData;
import io.graft.runtime.scenario.Scenario;
import io.graft.runtime.scenario.Scenarios;
import java.nio.file.Path;
import java.util.List;

/**
 * The composition root of one run: config, device, data and scenario, the run's plugin instances and the
 * listeners. One injector per run, so nothing stateful is shared between runs. This is the only place
 * Guice is used; nothing here knows a plugin class.
 */
public final class RunModule extends AbstractModule {

    /** Name of the bound output folder. */
    public static final String OUT = "out";

    private final ExperimentConfig config;
    private final Path out;
    private final PluginCatalog catalog;
    private final List<KernelListener> extraListeners;

    /**
     * @param config the resolved config
     * @param out the run's output folder
     * @param catalog where plugins come from (the Felix registry in the CLI)
     * @param extraListeners listeners beyond the metrics file, e.g. a progress bar
     */
    public RunModule(ExperimentConfig config, Path out, PluginCatalog catalog, List<KernelListener> extraListeners) {
        this.config = config;
        this.out = out;
        this.catalog = catalog;
        this.extraListeners = List.copyOf(extraListeners);
    }

    @Override
    protected void configure() {
        bind(ExperimentConfig.class).toInstance(config);
        bind(PluginCatalog.class).toInstance(catalog);
        bind(Path.class).annotatedWith(Names.named(OUT)).toInstance(out);
    }

    @Provides
    @Singleton
    Device device(ExperimentConfig c) {
        return DeviceSelector.select(c.device());
    }

    @Provides
    @Singleton
    Scenario scenario(ExperimentConfig c) {
        Scenario scenario = Scenarios.create(c.scenario(), ImageData.load(Path.of(c.data().dir())), c.seed());
        if (!c.model().multiHead()) {
            return scenario;
        }
        if (!scenario.protocols().contains(Protocol.TASK_IL)) {
            throw new UserException(UserException.BAD_CONFIG, "config: model.heads: multi needs a split scenario"
                    + " (one head per task of its own classes); scenario.type " + c.scenario().type().name()
                    .toLowerCase(java.util.Locale.ROOT) + " has the same classes in every task; use model.heads: single");
        }
        return scenario.withProtocols(List.of(Protocol.TASK_IL));
    }

    @Provides
    @Singleton
    List<ResolvedPlugin> plugins(ExperimentConfig c, PluginCatalog plugins, Scenario scenario) {
        return new PluginResolver(plugins).resolve(c.plugins(), new RunTraits(scenario.protocols(), c.model().multiHead(),
                c.train().optimizer().momentum()));
    }

    @Provides
    @Named("extra")
    List<KernelListener> listeners() {
        return extraListeners;
    }
}
