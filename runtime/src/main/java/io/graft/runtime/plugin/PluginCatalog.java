package io.graft.runtime.plugin;

import io.graft.api.PluginFactory;
import java.util.List;
import java.util.Optional;

/**
 * Where plugins come from, as the rest of the runtime sees it. The Felix registry implements it; the
 * kernel and the wiring never see Felix.
 */
public interface PluginCatalog {

    /** @return every plugin factory registered now, sorted by id */
    List<PluginInfo> plugins();

    /**
     * @param id a plugin id such as {@code ewc}
     * @return the factory registered under that id now, if any
     */
    Optional<PluginFactory> factory(String id);

    /**
     * Why no plugin answers to an id although a jar declares it: the host refused the jar (allow-list, api
     * version) or the jar failed to load.
     *
     * @param id a plugin id that has no factory
     * @return one line naming the jar, the reason and the fix; empty when no jar declares the id
     */
    default Optional<String> unavailable(String id) {
        return Optional.empty();
    }
}
