package io.graft.runtime.wiring;

import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.config.PluginConfig;
import io.graft.runtime.kernel.PluginUpdates;
import io.graft.runtime.plugin.PluginCatalog;
import io.graft.runtime.plugin.PluginInfo;
import io.graft.runtime.plugin.ResolvedPlugin;
import java.util.List;
import java.util.Optional;

/**
 * Answers the kernel's question at task boundaries from the live plugin catalog: a plugin whose id is now offered
 * in another version gets a fresh instance of it, bound to the config the run gave it (re-bound against the new
 * version's keys); one offered by no jar is reported gone.
 */
final class CatalogUpdates implements PluginUpdates {

    private final PluginCatalog catalog;
    private final List<ResolvedPlugin> plugins;

    CatalogUpdates(PluginCatalog catalog, List<ResolvedPlugin> plugins) {
        this.catalog = catalog;
        this.plugins = List.copyOf(plugins);
    }

    @Override
    public Optional<Update> check(String name, String version) {
        ResolvedPlugin running = plugins.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
        if (running == null) {
            return Optional.empty();
        }
        String id = running.info().id();
        Optional<PluginInfo> now = catalog.plugins().stream().filter(p -> p.id().equals(id)).findFirst();
        if (now.isEmpty()) {
            return Optional.of(new Update(version, null, false));
        }
        if (now.get().version().equals(version)) {
            return Optional.empty();
        }
        Optional<PluginFactory> factory = catalog.factory(id);
        if (factory.isEmpty()) {
            return Optional.empty();
        }
        PluginDescriptor next = factory.get().descriptor();
        PluginConfig config = next.config().bind(running.config().asMap());
        Plugin instance = factory.get().create(config);
        String oldFormat = running.info().descriptor().stateFormat();
        boolean compatible = !oldFormat.isEmpty() && oldFormat.equals(next.stateFormat());
        return Optional.of(new Update(now.get().version(), instance, compatible));
    }
}
