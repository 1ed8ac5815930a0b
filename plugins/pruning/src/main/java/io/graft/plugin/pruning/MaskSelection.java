package io.graft.plugin.pruning;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses which weights survive a pruning stage: the highest-scoring alive ones, counted per layer or over
 * every pruned layer together. A weight pruned once is never revived. A choice that would leave a layer without
 * any weight is refused, since the network would then be cut in two.
 */
final class MaskSelection {

    /**
     * One pruned weight matrix as the selection sees it.
     *
     * @param name the parameter's name, e.g. {@code fc1.weight}
     * @param scores the importance of each entry (flattened)
     * @param alive whether each entry survived the earlier stages
     */
    record Layer(String name, float[] scores, boolean[] alive) {}

    private MaskSelection() {}

    /**
     * How many of {@code size} weights a sparsity keeps.
     *
     * @param size the number of weights
     * @param sparsity the share to remove
     * @return {@code round((1 − sparsity)·size)}
     */
    static long kept(long size, double sparsity) {
        return Math.round((1 - sparsity) * size);
    }

    /**
     * Selects the survivors.
     *
     * @param layers the pruned layers, in the model's order
     * @param sparsity the share of their weights to have removed after this stage
     * @param scope whether the share holds per layer or over all of them
     * @param who the plugin's id, to start the refusal with
     * @return parameter name to the kept entries
     * @throws IllegalStateException when a layer would keep no weight
     */
    static Map<String, boolean[]> select(List<Layer> layers, double sparsity, Scope scope, String who) {
        Map<String, boolean[]> kept = new LinkedHashMap<>();
        if (scope == Scope.LAYER) {
            for (Layer l : layers) {
                long keep = kept(l.scores().length, sparsity);
                if (keep == 0) {
                    throw emptied(who, l.name(), sparsity, "it has only " + l.scores().length + " weights", Scope.LAYER);
                }
                kept.put(l.name(), Ranking.top(l.scores(), l.alive(), keep));
            }
            return kept;
        }
        int total = 0;
        for (Layer l : layers) {
            total = Math.addExact(total, l.scores().length);
        }
        float[] scores = new float[total];
        boolean[] alive = new boolean[total];
        int at = 0;
        for (Layer l : layers) {
            System.arraycopy(l.scores(), 0, scores, at, l.scores().length);
            System.arraycopy(l.alive(), 0, alive, at, l.alive().length);
            at += l.scores().length;
        }
        boolean[] all = Ranking.top(scores, alive, kept(total, sparsity));
        at = 0;
        for (Layer l : layers) {
            boolean[] own = new boolean[l.scores().length];
            System.arraycopy(all, at, own, 0, own.length);
            at += own.length;
            if (count(own) == 0) {
                throw emptied(who, l.name(), sparsity, "its weights all rank below the other layers'", Scope.GLOBAL);
            }
            kept.put(l.name(), own);
        }
        return kept;
    }

    /**
     * @param kept entries' flags
     * @return how many are set
     */
    static int count(boolean[] kept) {
        int n = 0;
        for (boolean k : kept) {
            if (k) {
                n++;
            }
        }
        return n;
    }

    /**
     * The refusal of a sparsity that empties a layer, with the ways out.
     *
     * @param who the plugin's id
     * @param name the emptied parameter
     * @param sparsity the sparsity asked for
     * @param why why nothing of it is left
     * @param scope the scope in use (the other one is offered)
     * @return the exception to throw
     */
    static IllegalStateException emptied(String who, String name, double sparsity, String why, Scope scope) {
        return new IllegalStateException(who + ": sparsity " + sparsity + " would leave no weight in " + name + " ("
                + why + "); lower sparsity, use scope: " + (scope == Scope.LAYER ? "global" : "layer")
                + ", or exclude that layer");
    }
}
