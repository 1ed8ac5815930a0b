package io.graft.runtime.kernel;

import ai.djl.ndarray.NDArray;
import io.graft.api.growth.Blueprint;
import io.graft.api.growth.SeedPlan;
import io.graft.api.growth.SlotView;
import io.graft.api.growth.StructureEditor;
import io.graft.api.model.SlotAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The kernel's {@link StructureEditor} on its host, which reports each change under the policy acting: what both
 * hosts' editors share (the optimizer and pruning masks that follow every change, the frozen layers, the seed
 * operations, which act on the run's {@link SeedSlots}). An abstract class rather than an interface so that
 * {@link #actingFor} stays package-private.
 */
abstract class HostEditor implements StructureEditor {

    private final Host network;
    final Sgd optimizer;
    final Map<String, NDArray> pruningMasks;
    final Random random;
    final Consumer<GrowthEvent> events;
    /** The policy acting and where: what the next changes are reported under. */
    String plugin = "";
    long step;
    int task;
    private final Set<String> frozen = new LinkedHashSet<>();
    private SeedSlots seeds;

    /**
     * @param network the host it edits
     * @param optimizer the host's optimizer, whose state follows the changes
     * @param pruningMasks the kernel's pruning masks by parameter name (updated in place)
     * @param random source of random choices and initialisations, seeded by the run
     * @param events where each change is reported
     */
    HostEditor(Host network, Sgd optimizer, Map<String, NDArray> pruningMasks, Random random,
               Consumer<GrowthEvent> events) {
        this.network = network;
        this.optimizer = optimizer;
        this.pruningMasks = pruningMasks;
        this.random = random;
        this.events = events;
    }

    @Override
    public final List<String> layers() {
        return network.layers();
    }

    @Override
    public final long parameterCount() {
        return network.parameterCount();
    }

    /** Names the policy and position the next changes are reported under. */
    final void actingFor(String pluginId, long stepNow, int taskNow) {
        this.plugin = pluginId;
        this.step = stepNow;
        this.task = taskNow;
        if (seeds != null) {
            seeds.actingFor(pluginId, stepNow, taskNow);
        }
    }

    /** Drops a removed parameter's optimizer state and pruning mask. */
    final void forget(String name) {
        optimizer.forget(name);
        NDArray mask = pruningMasks.remove(name);
        if (mask != null) {
            mask.close();
        }
    }

    /** @param slots the run's seed slots, which the seed operations act on */
    void seeds(SeedSlots slots) {
        this.seeds = slots;
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
