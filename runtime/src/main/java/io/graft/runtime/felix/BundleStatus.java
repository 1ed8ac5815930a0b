package io.graft.runtime.felix;

import java.util.List;

/**
 * One jar of the plugins folder as {@code graft plugins} shows it.
 *
 * @param file the jar's file name in the plugins folder
 * @param bundleId the OSGi bundle id, or -1 when the jar is not installed
 * @param symbolicName the bundle's symbolic name (from the jar's manifest when not installed; may be null)
 * @param version the bundle's version (may be null when not installed)
 * @param state {@code ACTIVE}, {@code RESOLVED}, {@code INSTALLED}, {@code STARTING}, {@code STOPPING},
 *     {@code UNINSTALLED}, or {@code NOT_INSTALLED} for a jar Felix did not accept
 * @param plugins the plugin factories the bundle registers, with whether each is the one in use for its id
 * @param problem one line saying why the bundle does not work (e.g. {@code unresolved import
 *     com.example.missing}), or null when it works or is still being processed
 * @param pending whether FileInstall or SCR is still working on it (the state may change shortly)
 * @param refused whether the host refuses to load it (not on the allow-list, built for another api, from
 *     outside the plugins folder); {@code problem} says why
 * @param declaredIds the plugin ids the jar's components declare ({@code graft.plugin.id}), read from the
 *     jar, so that a bundle that registers nothing can still be named by its ids; may be empty
 */
public record BundleStatus(String file, long bundleId, String symbolicName, String version, String state,
        List<PluginRegistry.Offer> plugins, String problem, boolean pending, boolean refused,
        List<String> declaredIds) {

    /** State name for a jar that is in the folder but not installed. */
    public static final String NOT_INSTALLED = "NOT_INSTALLED";
    /** State shown for a bundle the host refuses to load. */
    public static final String REFUSED = "REFUSED";

    public BundleStatus {
        plugins = List.copyOf(plugins);
        declaredIds = List.copyOf(declaredIds);
    }

    /** A bundle that is not refused and declares no ids beyond what it registers. */
    public BundleStatus(String file, long bundleId, String symbolicName, String version, String state,
            List<PluginRegistry.Offer> plugins, String problem, boolean pending) {
        this(file, bundleId, symbolicName, version, state, plugins, problem, pending, false, List.of());
    }

    /** @return {@value #REFUSED} for a refused bundle, else its {@link #state()} */
    public String shownState() {
        return refused ? REFUSED : state;
    }

    /** @return whether the bundle failed (it has a problem) */
    public boolean failed() {
        return problem != null;
    }

    /** @return whether the bundle is active and has no problem */
    public boolean ok() {
        return problem == null && !pending && "ACTIVE".equals(state);
    }
}
