package io.graft.plugin.pruning;

import io.graft.api.model.ModelView;
import io.graft.api.model.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which parameters a pruner may prune: the weight matrices (two or more dimensions), never biases, less the
 * layers the user excluded (by layer, {@code out}, or by parameter, {@code out.weight}).
 */
final class PrunedLayers {

    private PrunedLayers() {}

    /**
     * Parses the comma-separated {@code exclude} setting.
     *
     * @param exclude e.g. {@code "out, fc1"}; blank for none
     * @return the names, trimmed
     */
    static Set<String> parse(String exclude) {
        Set<String> names = new LinkedHashSet<>();
        for (String s : exclude.split(",")) {
            if (!s.isBlank()) {
                names.add(s.trim());
            }
        }
        return names;
    }

    /**
     * The parameters to prune.
     *
     * @param model the model
     * @param exclude layers or parameters to leave dense
     * @param who the plugin's id, for the refusal
     * @return their names, in the model's order
     * @throws IllegalArgumentException when an excluded name matches nothing or nothing is left to prune
     */
    static List<String> of(ModelView model, Set<String> exclude, String who) {
        Set<String> unmatched = new LinkedHashSet<>(exclude);
        List<String> names = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            String layer = layerOf(p.name());
            boolean excluded = exclude.contains(layer) || exclude.contains(p.name());
            unmatched.remove(layer);
            unmatched.remove(p.name());
            if (!excluded && p.array().getShape().dimension() >= 2) {
                names.add(p.name());
            }
        }
        if (!unmatched.isEmpty()) {
            throw new IllegalArgumentException(who + ": exclude names " + unmatched + ", which is no layer or parameter"
                    + " of the model (it has " + Arrays.toString(model.parameters().stream().map(Parameter::name)
                    .toArray()) + ")");
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException(who + ": exclude leaves no weight matrix to prune");
        }
        return names;
    }

    /**
     * @param parameter a parameter name such as {@code fc1.weight}
     * @return its layer, {@code fc1}
     */
    static String layerOf(String parameter) {
        int dot = parameter.lastIndexOf('.');
        return dot < 0 ? parameter : parameter.substring(0, dot);
    }

    /**
     * Refuses before training a sparsity that would empty a layer: per layer, any layer whose share rounds to no
     * weight; globally, fewer survivors than layers.
     *
     * @param model the model
     * @param names the pruned parameters
     * @param sparsity the final sparsity
     * @param scope how it is counted
     * @param who the plugin's id
     * @throws IllegalArgumentException naming the layer
     */
    static void checkReachable(ModelView model, List<String> names, double sparsity, Scope scope, String who) {
        long total = 0;
        for (String n : names) {
            long size = model.parameter(n).array().size();
            total += size;
            if (scope == Scope.LAYER && MaskSelection.kept(size, sparsity) == 0) {
                throw new IllegalArgumentException(MaskSelection.emptied(who, n, sparsity, "it has only " + size
                        + " weights", Scope.LAYER).getMessage());
            }
        }
        if (scope == Scope.GLOBAL && MaskSelection.kept(total, sparsity) < names.size()) {
            throw new IllegalArgumentException(who + ": sparsity " + sparsity + " keeps " + MaskSelection.kept(total,
                    sparsity) + " of " + total + " weights, fewer than the " + names.size() + " pruned layers: some"
                    + " layer would be left without a weight; lower sparsity or exclude layers");
        }
    }
}
