package io.graft.plugin.triggers;

/**
 * Whether the network is still below its capacity budget.
 *
 * <p>Forward FLOPs are derived from the parameter count alone, which is all {@code TrainingSignals} gives: in a
 * dense MLP every weight costs one multiply and one add per sample and every bias one add, so the true cost is
 * {@code 2·parameters − biases}; counting {@code 2·parameters} errs by the number of biases (hidden units plus
 * outputs, under 0.2 % for 784-256-256-10) on the safe side. It does not hold for hosts whose cost depends on
 * more than their weights (convolutions: spatial size), nor does it subtract weights a mask switches off.
 */
final class Budget {

    private final BudgetSettings settings;

    Budget(BudgetSettings settings) {
        this.settings = settings;
    }

    /**
     * @param parameters the network's scalar weights now
     * @return whether every limit that is set is still above the network's size
     */
    boolean allows(long parameters) {
        boolean parametersBelow = settings.maxParameters() == 0 || parameters < settings.maxParameters();
        boolean flopsBelow = settings.maxFlops() == 0 || forwardFlops(parameters) < settings.maxFlops();
        return parametersBelow && flopsBelow;
    }

    /**
     * @param parameters a dense MLP's scalar weights
     * @return the floating-point operations of one sample's forward pass, rounded up to 2 per parameter
     */
    static long forwardFlops(long parameters) {
        return Math.multiplyExact(2L, parameters);
    }
}
