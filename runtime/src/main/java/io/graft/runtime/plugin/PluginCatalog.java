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
}
