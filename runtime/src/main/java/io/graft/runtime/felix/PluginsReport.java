package io.graft.runtime.felix;

import io.graft.api.Contract;
import io.graft.api.config.ConfigKey;
import io.graft.runtime.plugin.PluginInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The state of the plugins folder: every jar in it, what Felix made of it and which plugins it registers.
 *
 * @param folder the plugins folder
 * @param bundles one entry per jar (and per bundle still installed from a jar that was deleted), sorted by
 *     file name
 * @param settled whether FileInstall and SCR had finished with every jar when the report was made
 * @param api the host's api version with its packages' versions, e.g. {@code 1.1.0 (io.graft.api 1.1.0, ...)};
 *     null when unknown
 * @param allowList the allow-list in force, e.g. {@code /opt/graft/conf/trusted-plugins.txt (3 checksums)},
 *     or null when every jar of the folder is loaded
 */
public record PluginsReport(Path folder, List<BundleStatus> bundles, boolean settled, String api,
        String allowList) {

    public PluginsReport {
        bundles = List.copyOf(bundles);
    }

    /** A report without the api and allow-list lines. */
    public PluginsReport(Path folder, List<BundleStatus> bundles, boolean settled) {
        this(folder, bundles, settled, null, null);
    }

    /** @return the bundles the host refuses to load */
    public List<BundleStatus> refused() {
        return bundles.stream().filter(BundleStatus::refused).collect(Collectors.toList());
    }

    /** @return the bundles that failed */
    public List<BundleStatus> failed() {
        return bundles.stream().filter(BundleStatus::failed).collect(Collectors.toList());
    }

    /**
     * @param file a jar's file name
     * @return its entry
     */
    public Optional<BundleStatus> bundle(String file) {
        return bundles.stream().filter(b -> b.file().equals(file)).findFirst();
    }

    /**
     * @param symbolicName a bundle symbolic name
     * @return the first entry with that name
     */
    public Optional<BundleStatus> bySymbolicName(String symbolicName) {
        return bundles.stream().filter(b -> symbolicName.equals(b.symbolicName())).findFirst();
    }

    /**
     * The report as {@code graft plugins} prints it, e.g.
     * <pre>
     * graft api 1.1.0 (io.graft.api 1.1.0, io.graft.api.config 1.0.0, ...)
     * plugins folder: /opt/graft/plugins
     * allow-list: off (every jar of the plugins folder is loaded)
     *   graft-plugin-ewc-1.0.0.jar  io.graft.plugin.ewc 1.0.0  ACTIVE
     *       ewc  regularizer  Elastic Weight Consolidation
     *   broken.jar  com.example.broken 1.0.0  INSTALLED
     *       broken  (not registered)
     *       FAILED: unresolved import com.example.missing
     *   next.jar  com.example.next 1.0.0  REFUSED
     *       next  (not registered)
     *       REFUSED: plugin 'next' (bundle com.example.next 1.0.0, next.jar) needs Graft api io.graft.api [2.0,3) ...
     * 2 plugins from 3 bundles: 1 active, 1 failed, 1 refused
     * </pre>
     *
     * @return the text, ending with a line break
     */
    public String format() {
        StringBuilder sb = new StringBuilder();
        if (api != null) {
            sb.append("graft api ").append(api).append(System.lineSeparator());
        }
        sb.append("plugins folder: ").append(folder).append(System.lineSeparator());
        if (api != null) {
            sb.append("allow-list: ").append(allowList == null ? "off (every jar of the plugins folder is loaded)"
                    : allowList).append(System.lineSeparator());
        }
        if (bundles.isEmpty()) {
            sb.append("  (no plugin bundles)").append(System.lineSeparator());
        }
        for (BundleStatus b : bundles) {
            sb.append("  ").append(b.file()).append("  ")
                    .append(b.symbolicName() == null ? "?" : b.symbolicName()).append(' ')
                    .append(b.version() == null ? "?" : b.version()).append("  ").append(b.shownState());
            if (b.pending()) {
                sb.append(" (in progress)");
            }
            sb.append(System.lineSeparator());
            for (PluginRegistry.Offer o : b.plugins()) {
                PluginInfo p = o.plugin();
                sb.append("      ").append(p.id()).append("  ").append(contracts(p));
                String name = p.descriptor().name();
                if (name != null && !name.equals(p.id())) {
                    sb.append("  ").append(name);
                }
                if (!o.inUse() && o.shadowedBy() != null) {
                    sb.append("  [not used: ").append(o.shadowedBy().bundle()).append(' ')
                            .append(o.shadowedBy().version()).append(" has a higher version]");
                }
                sb.append(System.lineSeparator());
                for (ConfigKey<?> key : p.descriptor().config().keys()) {
                    Object value = key.defaultValue() instanceof Enum<?> e ? e.name().toLowerCase(Locale.ROOT) : key.defaultValue();
                    sb.append("          ").append(key.name()).append(" = ").append(value)
                            .append("  (").append(key.typeName()).append(") ").append(key.description())
                            .append(System.lineSeparator());
                }
            }
            for (String id : b.declaredIds()) {
                if (b.plugins().stream().noneMatch(o -> o.plugin().id().equals(id))) {
                    sb.append("      ").append(id).append("  (not registered)").append(System.lineSeparator());
                }
            }
            if (b.problem() != null) {
                sb.append(b.refused() ? "      REFUSED: " : "      FAILED: ").append(b.problem()).append(System.lineSeparator());
            }
        }
        sb.append(summary()).append(System.lineSeparator());
        return sb.toString();
    }

    /** @return e.g. {@code 33 plugins from 17 bundles: 16 active, 1 refused} */
    public String summary() {
        long plugins = bundles.stream().mapToLong(b -> b.plugins().size()).sum();
        java.util.Map<String, Long> byState = new java.util.TreeMap<>();
        for (BundleStatus b : bundles) {
            String what = b.refused() ? "refused" : b.failed() ? "failed" : b.pending() ? "in progress"
                    : b.state().toLowerCase(Locale.ROOT).replace('_', ' ');
            byState.merge(what, 1L, Long::sum);
        }
        return plugins + " plugin" + (plugins == 1 ? "" : "s") + " from " + bundles.size() + " bundle"
                + (bundles.size() == 1 ? "" : "s") + (byState.isEmpty() ? "" : ": " + byState.entrySet().stream()
                        .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")));
    }

    /**
     * @param p a plugin
     * @return its contracts in lower case, comma separated ({@code observer} for none)
     */
    public static String contracts(PluginInfo p) {
        if (p.descriptor().contracts().isEmpty()) {
            return "observer";
        }
        return p.descriptor().contracts().stream().map(Contract::name)
                .map(n -> n.toLowerCase(Locale.ROOT).replace('_', '-')).collect(Collectors.joining(","));
    }
}
