package io.graft.api;

import io.graft.api.config.PluginConfig;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The OSGi service a plugin bundle registers: it describes the plugin and makes a fresh, independent
 * instance for every run, so that state such as a Fisher or a replay buffer never leaks between runs.
 *
 * <p>A bundle typically registers one factory as a Declarative Services component:
 * <pre>{@code
 * @Component(service = PluginFactory.class)
 * public final class EwcFactory implements PluginFactory { ... }
 * }</pre>
 */
@ConsumerType
public interface PluginFactory {

    /**
     * Describes the plugin: id, contracts, protocols, configuration keys. Must be cheap and constant.
     *
     * @return the descriptor
     */
    PluginDescriptor descriptor();

    /**
     * Creates a new plugin instance for one run.
     *
     * @param config the user's configuration, already validated against {@link PluginDescriptor#config()}
     * @return a new instance that implements every contract listed in {@link PluginDescriptor#contracts()}
     */
    Plugin create(PluginConfig config);
}
