package io.graft.runtime.plugin;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.Protocol;
import io.graft.api.Requirement;
import io.graft.api.config.ConfigException;
import io.graft.api.config.PluginConfig;
import io.graft.runtime.UserException;
import io.graft.runtime.config.PluginSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns the {@code plugins} of a config into fresh instances for one run, refusing before training
 * anything that cannot work: an unknown id, a bad plugin config, a protocol or requirement the scenario
 * cannot meet, an instance that does not implement what its descriptor promises.
 */
public final class PluginResolver {

    private final PluginCatalog catalog;

    /**
     * @param catalog where plugins are registered
     */
    public PluginResolver(PluginCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * @param specs the config's plugins, in config order
     * @param protocols the protocols the scenario is evaluated under
     * @return the instances in hook order (descriptor order, then config order)
     */
    public List<ResolvedPlugin> resolve(List<PluginSpec> specs, List<Protocol> protocols) {
        return resolve(specs, RunTraits.of(protocols));
    }

    /**
     * @param specs the config's plugins, in config order
     * @param run what the run offers (protocols, heads, momentum)
     * @return the instances in hook order (descriptor order, then config order)
     */
    public List<ResolvedPlugin> resolve(List<PluginSpec> specs, RunTraits run) {
        List<ResolvedPlugin> resolved = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try {
            for (int i = 0; i < specs.size(); i++) {
                PluginSpec spec = specs.get(i);
                if (!seen.add(spec.name())) {
                    throw refuse(UserException.BAD_CONFIG, "config: plugin '" + spec.name()
                            + "' is listed twice in plugins; list each plugin once, or give the second its own name"
                            + " (name: ...)");
                }
                resolved.add(resolveOne(spec, "plugins." + i, run));
            }
        } catch (RuntimeException e) {
            resolved.forEach(r -> r.instance().close());
            throw e;
        }
        resolved.sort(Comparator.comparingInt(r -> r.info().descriptor().order()));
        return resolved;
    }

    private ResolvedPlugin resolveOne(PluginSpec spec, String where, RunTraits run) {
        PluginFactory factory = catalog.factory(spec.id()).orElseThrow(() -> catalog.unavailable(spec.id())
                .map(why -> refuse(UserException.PLUGIN_FAILED, why))
                .orElseGet(() -> refuse(UserException.BAD_CONFIG, "config: unknown plugin '" + spec.id() + "' in "
                        + where + "; known plugins: " + knownIds() + " (see 'graft plugins')")));
        PluginInfo info = catalog.plugins().stream().filter(p -> p.id().equals(spec.id())).findFirst()
                .orElseThrow(() -> refuse(UserException.PLUGIN_FAILED,
                        "plugin '" + spec.id() + "' disappeared while the run was starting; run again"));
        PluginDescriptor descriptor = info.descriptor();
        checkProtocols(descriptor, run);
        PluginConfig config;
        try {
            config = descriptor.config().bind(spec.config());
        } catch (ConfigException e) {
            throw refuse(UserException.BAD_CONFIG, "config: " + where + ".config (plugin '" + spec.id() + "'): "
                    + e.getMessage());
        }
        Plugin instance;
        try {
            instance = factory.create(config);
        } catch (ConfigException e) {
            throw refuse(UserException.BAD_CONFIG, "config: " + where + ".config (plugin '" + spec.id() + "'): "
                    + e.getMessage());
        } catch (RuntimeException e) {
            throw new UserException(UserException.PLUGIN_FAILED, "plugin '" + spec.id() + "' ("
                    + info.bundle() + " " + info.version() + ") failed to start: " + e, e);
        }
        Set<Contract> missing = EnumSet.noneOf(Contract.class);
        missing.addAll(descriptor.contracts());
        missing.removeAll(Contract.implementedBy(instance));
        if (!missing.isEmpty()) {
            instance.close();
            throw refuse(UserException.PLUGIN_FAILED, "plugin '" + spec.id() + "' (" + info.bundle() + " "
                    + info.version() + ") declares " + missing + " but its instance does not implement it; "
                    + "fix the plugin's descriptor");
        }
        return new ResolvedPlugin(info, config, instance, spec.name(), spec.when());
    }

    private static void checkProtocols(PluginDescriptor d, RunTraits run) {
        List<Protocol> protocols = run.protocols();
        if (d.requirements().contains(Requirement.NO_MOMENTUM) && run.momentum() != 0) {
            throw refuse(UserException.BAD_CONFIG, "config: plugin '" + d.id() + "' keeps weights fixed by zeroing"
                    + " their gradients, which momentum would undo; set train.optimizer.momentum: 0 (now "
                    + run.momentum() + ")");
        }
        if (d.requirements().contains(Requirement.MULTI_HEAD) && !run.multiHead()) {
            throw refuse(UserException.BAD_CONFIG, "config: plugin '" + d.id() + "' trains one head per task;"
                    + " set model.heads: multi (split scenarios only, evaluated task_il)");
        }
        Set<Protocol> unsupported = EnumSet.noneOf(Protocol.class);
        unsupported.addAll(protocols);
        unsupported.removeAll(d.protocols());
        if (!unsupported.isEmpty()) {
            String fix = d.protocols().equals(EnumSet.of(Protocol.TASK_IL)) && protocols.contains(Protocol.TASK_IL)
                    ? "; set model.heads: multi to evaluate task_il only" : "; choose another scenario or plugin";
            throw refuse(UserException.BAD_CONFIG, "config: plugin '" + d.id() + "' supports " + keys(d.protocols())
                    + " but this scenario is evaluated " + keys(unsupported) + fix);
        }
        if (d.requirements().contains(Requirement.TASK_LABELS_AT_TEST) && !protocols.contains(Protocol.TASK_IL)) {
            throw refuse(UserException.BAD_CONFIG, "config: plugin '" + d.id()
                    + "' needs task labels at test time, which only a split scenario (task_il) provides");
        }
    }

    private static String keys(Set<Protocol> protocols) {
        return protocols.stream().map(Protocol::key).collect(Collectors.joining(", "));
    }

    private String knownIds() {
        List<PluginInfo> plugins = catalog.plugins();
        return plugins.isEmpty() ? "(none installed)"
                : plugins.stream().map(PluginInfo::id).sorted().collect(Collectors.joining(", "));
    }

    private static UserException refuse(int code, String message) {
        return new UserException(code, message);
    }
}
