package io.graft.runtime.kernel;

import io.graft.api.growth.StructureEditor;

/**
 * The kernel's {@link StructureEditor} on its host, which reports each change under the policy acting. An
 * abstract class rather than an interface so that {@link #actingFor} stays package-private.
 */
abstract class HostEditor implements StructureEditor {

    /** Names the policy and position the next changes are reported under. */
    abstract void actingFor(String pluginId, long stepNow, int taskNow);
}
