package io.graft.plugin.seeds;

import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.Stateful;
import io.graft.api.growth.GrowthPolicy;
import io.graft.api.growth.SeedStage;
import io.graft.api.growth.SlotView;
import io.graft.api.growth.StructureEditor;
import io.graft.api.train.RunContext;
import io.graft.api.train.TaskContext;
import java.util.List;

/**
 * Grows the network with seeds in slots. Each time the run's triggers fire it first culls the seeds whose measured
 * contribution has fallen below {@code cullBelow} (their slots are embargoed), then germinates one seed from its
 * blueprint in the chosen slot; the kernel trains it on the host's detached activations, blends it in with the
 * blend schedule and integrates it (or, for a branch, grafts it at once).
 *
 * <p>With {@code perTask} each seed is germinated at a task boundary for the next task and serves only that task
 * (with {@code freezeHost}, the host's hidden layers stop training at the first germination): growth for
 * continual learning, each task adding a small module instead of a progressive network's whole column.
 *
 * <p>Metrics at each action: {@code germinated}, {@code culled}, {@code live} (seeds), {@code parameters}.
 */
final class SeedGrowth implements GrowthPolicy, Stateful {

    private final SeedSettings settings;
    private final boolean branch;
    private long germinated;
    private long culled;
    private int servedTask = -1;

    /**
     * @param settings the bound configuration
     * @param branch whether seeds are grafted at once (zero-initialised branches) instead of trained and blended
     */
    SeedGrowth(SeedSettings settings, boolean branch) {
        this.settings = settings;
        this.branch = branch;
    }

    @Override
    public void check(RunContext run, StructureEditor editor) {
        settings.where().check(editor.slots(), settings.blueprint());
        if (settings.perTask() && run.tasks().size() < 2) {
            throw new IllegalArgumentException("perTask grows a seed for each task after the first, but the scenario has"
                    + " one task; set perTask: false");
        }
    }

    @Override
    public void grow(TaskContext task, StructureEditor editor) {
        cull(editor);
        int serves = -1;
        if (settings.perTask()) {
            serves = task.task().index() + 1;
            if (serves >= task.tasks().size() || serves <= servedTask) {
                return;
            }
        }
        List<SlotView> grid = editor.slots();
        long live = grid.stream().filter(s -> s.stage().live()).count();
        if (settings.maxSeeds() > 0 && live >= settings.maxSeeds()) {
            return;
        }
        SlotView slot = settings.where().pick(grid);
        if (slot == null) {
            return;
        }
        if (settings.freezeHost()) {
            List<String> layers = editor.layers();
            for (String layer : layers.subList(0, layers.size() - 1)) {
                editor.freeze(layer);
            }
        }
        editor.germinate(slot.address(), settings.blueprint(), settings.plan(serves, branch));
        germinated++;
        servedTask = Math.max(servedTask, serves);
        task.metrics().record("germinated", germinated);
        task.metrics().record("live", live + 1);
        task.metrics().record("parameters", editor.parameterCount());
    }

    private void cull(StructureEditor editor) {
        if (Double.isNaN(settings.cullBelow())) {
            return;
        }
        for (SlotView s : editor.slots()) {
            boolean measured = s.stage().live() && s.stage() != SeedStage.GERMINATED && !Double.isNaN(s.contribution());
            if (measured && s.contribution() < settings.cullBelow()) {
                editor.cull(s.address(), String.format(java.util.Locale.ROOT, "contribution %.4f below %.4f",
                        s.contribution(), settings.cullBelow()), settings.embargo());
                culled++;
            }
        }
    }

    /** @return seeds germinated so far */
    long germinated() {
        return germinated;
    }

    /** @return seeds culled so far */
    long culled() {
        return culled;
    }

    @Override
    public void saveState(StateWriter out) {
        out.putLong("germinated", germinated);
        out.putLong("culled", culled);
        out.putLong("servedTask", servedTask);
    }

    @Override
    public void restoreState(StateReader in) {
        germinated = in.getLong("germinated");
        culled = in.getLong("culled");
        servedTask = (int) in.getLong("servedTask");
    }
}
