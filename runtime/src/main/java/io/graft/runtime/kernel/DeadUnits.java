package io.graft.runtime.kernel;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which units of a hidden layer the pruning masks have switched off entirely, so that removing them physically
 * ({@code model.shrink}) leaves the function unchanged. A dense unit whose incoming weights and bias are all
 * masked outputs ReLU(0) = 0. A convolutional channel needs more: BatchNorm turns a constant 0 into its shift
 * (minus the scaled running mean in evaluation), so the channel is dead only when its filter, its bias and its
 * BatchNorm scale and shift are all masked; then it outputs ReLU(0) = 0 and its max-pool 0, in training and in
 * evaluation.
 */
final class DeadUnits {

    private DeadUnits() {}

    /**
     * @param host the network
     * @param masks the kernel's pruning masks by parameter name
     * @param layer a hidden layer
     * @return the units to keep, ascending; every unit when the masks do not cover the layer
     */
    static int[] alive(Host host, Map<String, NDArray> masks, String layer) {
        int units = Math.toIntExact(host.parameter(layer + ".weight").array().getShape().get(0));
        List<NDArray> incoming = new ArrayList<>();
        incoming.add(masks.get(layer + ".weight"));
        incoming.add(masks.get(layer + ".bias"));
        if (host.parameters().stream().anyMatch(p -> p.name().equals(layer + ".bn.gamma"))) {
            incoming.add(masks.get(layer + ".bn.gamma"));
            incoming.add(masks.get(layer + ".bn.beta"));
        }
        boolean[] alive = new boolean[units];
        if (incoming.contains(null)) {
            java.util.Arrays.fill(alive, true);
        } else {
            for (NDArray mask : incoming) {
                float[] m = mask.toFloatArray();
                int row = m.length / units;
                for (int j = 0; j < units; j++) {
                    for (int k = 0; k < row && !alive[j]; k++) {
                        alive[j] = m[j * row + k] != 0;
                    }
                }
            }
        }
        List<Integer> keep = new ArrayList<>();
        for (int j = 0; j < units; j++) {
            if (alive[j]) {
                keep.add(j);
            }
        }
        return keep.stream().mapToInt(Integer::intValue).toArray();
    }
}
