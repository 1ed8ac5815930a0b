package io.graft.plugin.blend;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Alpha held on plateaus and moved in equal jumps: after the k-th of n jump points it has come k/n of the way.
 * A jump point is a fraction of the blend's steps; the last one at 1 means the final jump lands on the blend's
 * last step.
 */
final class StepCurve implements BlendCurve {

    private final double[] jumps;

    /**
     * @param jumps the jump points, strictly increasing, in {@code (0, 1]}
     */
    StepCurve(double[] jumps) {
        if (jumps.length == 0) {
            throw new IllegalArgumentException("a step curve needs at least one jump point");
        }
        double previous = 0;
        for (double jump : jumps) {
            if (!(jump > previous) || jump > 1) {
                throw new IllegalArgumentException("jump points must rise strictly within (0, 1], got "
                        + Arrays.toString(jumps));
            }
            previous = jump;
        }
        this.jumps = jumps.clone();
    }

    /**
     * @param stages the number of equal jumps, the last one on the blend's last step
     * @return jumps at 1/n, 2/n, ..., 1
     */
    static StepCurve evenly(int stages) {
        double[] jumps = new double[stages];
        for (int k = 1; k <= stages; k++) {
            // k/n rounds the same real number as steps·k/n / steps, so a jump lands exactly on the step it names
            jumps[k - 1] = (double) k / stages;
        }
        return new StepCurve(jumps);
    }

    @Override
    public double at(double progress) {
        int passed = 0;
        while (passed < jumps.length && progress >= jumps[passed]) {
            passed++;
        }
        return (double) passed / jumps.length;
    }

    @Override
    public String describe() {
        return "step(at=" + Arrays.stream(jumps).mapToObj(Double::toString).collect(Collectors.joining(", ")) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StepCurve other && Arrays.equals(jumps, other.jumps);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(jumps);
    }

    @Override
    public String toString() {
        return describe();
    }
}
