package io.graft.api.train;

import ai.djl.ndarray.NDManager;
import io.graft.api.Protocol;
import io.graft.api.model.ModelView;
import io.graft.api.model.TaskInfo;
import java.util.List;
import java.util.Random;
import org.osgi.annotation.versioning.ProviderType;

/** The run as a plugin sees it at every hook. */
@ProviderType
public interface RunContext {

    /** @return the network being trained */
    ModelView model();

    /**
     * A manager that lives for the whole run, on the training device. Arrays a plugin keeps across steps
     * (a Fisher, a buffer) belong here or in a sub-manager of it.
     *
     * @return the run manager
     */
    NDManager manager();

    /** @return every task of the scenario, in training order */
    List<TaskInfo> tasks();

    /** @return the protocols this run is evaluated under */
    List<Protocol> protocols();

    /** @return the run's seed */
    long seed();

    /**
     * A random source of this plugin's own, derived from the run's seed and the plugin's id, so that
     * results repeat for the same config and seed whatever other plugins draw.
     *
     * @return the plugin's random source
     */
    Random random();

    /** @return where the plugin records its measurements */
    MetricSink metrics();

    /**
     * Convenience for plugins that support only some protocols.
     *
     * @param protocol a protocol
     * @return whether the run evaluates under it
     */
    default boolean evaluates(Protocol protocol) {
        return protocols().contains(protocol);
    }
}
