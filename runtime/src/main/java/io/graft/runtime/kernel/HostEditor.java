package io.graft.runtime.kernel;

import io.graft.api.growth.Blueprint;
import io.graft.api.growth.SeedPlan;
import io.graft.api.growth.SlotView;
import io.graft.api.model.SlotAddress;
import java.util.LinkedHashSet;
import java.util.List;
import io.graft.api.growth.StructureEditor;
import java.util.Set;

/**
 * The kernel's {@link StructureEditor} on its host, which reports each change under the policy acting. An
 * abstract class rather than an interface so that {@link #actingFor} stays package-private.
 */
abstract class HostEditor implements StructureEditor {

    private final Set<String> frozen = new LinkedHashSet<>();
    private SeedSlots seeds;

    /** Names the policy and position the next changes are reported under. */
    abstract void actingFor(String pluginId, long stepNow, int taskNow);

    /** Drops a removed parameter's optimizer state and pruning mask. */
    abstract void forget(String name);

    /** @param slots the run's seed slots, which the seed operations act on */
    void seeds(SeedSlots slots) {
        this.seeds = slots;
    }

    /** Passes the acting policy on to the seed slots. */
    void seedsActingFor(String pluginId, long stepNow, int taskNow) {
        if (seeds != null) {
            seeds.actingFor(pluginId, stepNow, taskNow);
        }
    }

    /** @return whether a slot of {@code layer} holds a live seed (its width cannot change under it) */
    boolean seeded(String layer) {
        return seeds != null && seeds.occupied(layer);
    }

    /** @return the layers frozen now, by name */
    Set<String> frozenLayers() {
        return Set.copyOf(frozen);
    }

    @Override
    public List<SlotView> slots() {
        return seeds == null ? List.of() : seeds.views();
    }

    @Override
    public void germinate(SlotAddress slot, Blueprint blueprint, SeedPlan plan) {
        seedSlots().germinate(slot, blueprint, plan);
    }

    @Override
    public void cull(SlotAddress slot, String reason, long embargoSteps) {
        seedSlots().cull(slot, reason, embargoSteps, names -> names.forEach(this::forget));
    }

    @Override
    public double contribution(SlotAddress slot) {
        return seedSlots().contribution(slot);
    }

    @Override
    public void freeze(String layer) {
        known(layer);
        frozen.add(layer);
    }

    @Override
    public void unfreeze(String layer) {
        known(layer);
        frozen.remove(layer);
    }

    private void known(String layer) {
        if (!layers().contains(layer)) {
            throw new IllegalArgumentException("no layer '" + layer + "'; the layers are " + layers());
        }
    }

    private SeedSlots seedSlots() {
        if (seeds == null) {
            throw new IllegalArgumentException("this host has no slots; set model.slots to the number of columns per"
                    + " row (e.g. 1)");
        }
        return seeds;
    }
}
