package io.graft.plugin.genreplay;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.model.Parameter;
import io.graft.plugin.support.Tensors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The layout of the plugin's saved state: the generator's weights and its Adam moments and step count, and,
 * while a task after the first is in progress, the generator and the model frozen at that task's start
 * ({@code servedTask}, -1 when there are none). Entries: {@code generator.*}, {@code adam.steps},
 * {@code adam.m.*}, {@code adam.v.*}, {@code servedTask}, {@code old.*}, {@code labeller.*}.
 *
 * <p>Read back, the arrays wait here until the plugin has a run manager and a model to rebuild the labeller
 * from; {@link #clear} releases them.
 */
final class SavedState {

    final Map<String, NDArray> generator;
    final long adamSteps;
    final Map<String, NDArray> adamFirst;
    final Map<String, NDArray> adamSecond;
    final int servedTask;
    final Map<String, NDArray> oldGenerator;
    final Map<String, NDArray> labeller;

    private SavedState(Map<String, NDArray> generator, long adamSteps, Map<String, NDArray> adamFirst,
                       Map<String, NDArray> adamSecond, int servedTask, Map<String, NDArray> oldGenerator,
                       Map<String, NDArray> labeller) {
        this.generator = generator;
        this.adamSteps = adamSteps;
        this.adamFirst = adamFirst;
        this.adamSecond = adamSecond;
        this.servedTask = servedTask;
        this.oldGenerator = oldGenerator;
        this.labeller = labeller;
    }

    /**
     * A view of live state, for writing (nothing is copied).
     *
     * @param generator the generator, or {@code null} before the first step
     * @param adam its optimizer
     * @param old the frozen generator of the task start, or {@code null}
     * @param labeller the frozen model of the task start, or {@code null}
     * @return the view
     */
    static SavedState of(Vae generator, Adam adam, Vae old, Labeller labeller) {
        Map<String, NDArray> model = new LinkedHashMap<>();
        boolean previous = old != null && labeller != null;
        if (previous) {
            for (Parameter p : labeller.model().parameters()) {
                model.put(p.name(), p.array());
            }
        }
        return new SavedState(generator == null ? Map.of() : generator.weights(), adam.steps(), adam.firstMoments(),
                adam.secondMoments(), previous ? labeller.task() : -1, previous ? old.weights() : Map.of(), model);
    }

    /**
     * @param in what {@link #write} wrote
     * @param manager owner of the arrays read
     * @return the state
     */
    static SavedState read(StateReader in, NDManager manager) {
        int served = Math.toIntExact(in.getLong("servedTask"));
        return new SavedState(Tensors.load(in, "generator.", manager), in.getLong("adam.steps"),
                Tensors.load(in, "adam.m.", manager), Tensors.load(in, "adam.v.", manager), served,
                served >= 0 ? Tensors.load(in, "old.", manager) : new LinkedHashMap<>(),
                served >= 0 ? Tensors.load(in, "labeller.", manager) : new LinkedHashMap<>());
    }

    /** @param out where to write every entry */
    void write(StateWriter out) {
        Tensors.save(out, "generator.", generator);
        out.putLong("adam.steps", adamSteps);
        Tensors.save(out, "adam.m.", adamFirst);
        Tensors.save(out, "adam.v.", adamSecond);
        out.putLong("servedTask", servedTask);
        if (servedTask >= 0) {
            Tensors.save(out, "old.", oldGenerator);
            Tensors.save(out, "labeller.", labeller);
        }
    }

    /** @return whether a generator was saved */
    boolean hasGenerator() {
        return !generator.isEmpty();
    }

    /** @param manager the new owner of every array read */
    void moveTo(NDManager manager) {
        for (Map<String, NDArray> map : maps()) {
            Tensors.moveTo(map, manager);
        }
    }

    /** Closes every array read. */
    void clear() {
        for (Map<String, NDArray> map : maps()) {
            Tensors.clear(map);
        }
    }

    private List<Map<String, NDArray>> maps() {
        return List.of(generator, adamFirst, adamSecond, oldGenerator, labeller);
    }
}
