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
 */
public record BundleStatus(String file, long bundleId, String symbolicName, String version, String state,
        List<PluginRegistry.Offer> plugins, String problem, boolean pending) {

    /** State name for a jar that is in the folder but not installed. */
    public static final String NOT_INSTALLED = "NOT_INSTALLED";

    public BundleStatus {
        plugins = List.copyOf(plugins);
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
