package io.graft.api.growth;

import io.graft.api.model.SlotAddress;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The changes to the network's shape that the kernel offers a {@link GrowthPolicy}. The kernel applies
 * each change safely (function-preserving initialisation, new parameters added to the optimizer with zero
 * state, old ones keeping theirs) and records it as an event. Operations arrive with the hosts that support
 * them, as minor versions of this package: 1.1 brought Net2Net widening, identity insertion and the physical
 * removal of units for the MLP host; 1.2 brought the slot grid, seeds and their lifecycle, and frozen layers. Parameters change identity when the network grows: look them up by name after a change.
 */
@ProviderType
public interface StructureEditor {

    /** @return the names of the network's layers, input to output, e.g. {@code fc1, fc2, out} */
    List<String> layers();

    /**
     * @param layer a layer name
     * @return its output width (neurons or channels)
     * @throws IllegalArgumentException for an unknown layer
     */
    int width(String layer);

    /** @return the number of scalar weights now */
    long parameterCount();

    /**
     * Widens a hidden layer the Net2Net way, preserving the network's function: each new unit copies the
     * incoming weights and bias of an existing unit chosen at random (from the run's seed), and the next
     * layer's weights from every unit so replicated are divided by its number of copies. The layer's old
     * parameters keep their optimizer state; the new entries start at zero state. With {@code noise > 0},
     * Gaussian noise of that standard deviation is added to the copies' incoming weights to break their
     * symmetry, and the function changes by about that much.
     *
     * @param layer a hidden layer, e.g. {@code fc1}
     * @param width its new number of units, larger than now
     * @param noise standard deviation of the noise on the copies' incoming weights, 0 for an exact copy
     * @throws IllegalArgumentException for an unknown or non-hidden layer or a width not larger than now
     * @since 1.1
     */
    void widen(String layer, int width, double noise);

    /**
     * Widens like {@link #widen(String, int, double)}, but shares each replicated unit's outgoing weights among
     * its copies unequally: random shares around {@code 1/copies}, drawn in {@code [(1 − spread)/copies,
     * (1 + spread)/copies]} and normalised to sum to one. The function is still preserved (up to float rounding),
     * and the copies, which see gradients in proportion to their shares, drift apart under training without
     * the function-changing noise that equal shares need to break their symmetry.
     *
     * @param layer a hidden layer, e.g. {@code fc1}
     * @param width its new number of units, larger than now
     * @param noise standard deviation of the noise on the copies' incoming weights, 0 for an exact copy
     * @param spread how unequal the outgoing shares are, in {@code [0, 1)}; 0 gives equal shares
     * @throws IllegalArgumentException for an unknown or non-hidden layer, a width not larger than now, or a
     *     spread outside {@code [0, 1)}
     * @since 1.1
     */
    void widen(String layer, int width, double noise, double spread);

    /**
     * Inserts a hidden layer right after {@code layer}, initialised to the identity (weights {@code I}, bias
     * 0): the ReLU outputs it receives are non-negative, so it passes them on unchanged and the function is
     * preserved exactly. Its parameters start at zero optimizer state.
     *
     * @param layer a hidden layer, e.g. {@code fc1}
     * @return the new layer's name (a fresh {@code fcN}; existing layers keep their names)
     * @throws IllegalArgumentException for an unknown or non-hidden layer
     * @since 1.1
     */
    String insertIdentity(String layer);

    /**
     * Appends fresh units to a hidden layer: their incoming weights and bias are initialised like a new layer's
     * (PyTorch's default, from the run's seed) and their outgoing weights in the next layer start at zero, so the
     * function is preserved exactly; the new entries start at zero optimizer state and unpruned. The new units are
     * the last {@code count} of the layer, so a policy can tell old and new apart by position (a progressive
     * network's column).
     *
     * @param layer a hidden layer, e.g. {@code fc1}
     * @param count units to append, at least 1
     * @throws IllegalArgumentException for an unknown or non-hidden layer, a count below 1, or a host that cannot add
     *     units there
     * @since 1.2
     */
    void addUnits(String layer, int count);

    /**
     * Physically removes hidden units: the layer keeps only the listed units (its weight rows and biases), the
     * next layer keeps only the matching input columns, and the optimizer's state and pruning masks shrink with
     * them. The function changes only by what the removed units contributed: nothing when structured pruning
     * has already zeroed them.
     *
     * @param layer a hidden layer, e.g. {@code fc1}
     * @param keep the units to keep, ascending, at least one
     * @throws IllegalArgumentException for an unknown or non-hidden layer, an empty, unsorted or out-of-range list
     * @since 1.1
     */
    void removeUnits(String layer, int[] keep);

    /**
     * The slot grid: row {@code r} sits after the {@code r}-th hidden layer (from 0), with {@code model.slots}
     * columns per row; every slot, empty or not, row by row.
     *
     * @return the slots as they are now
     * @since 1.2
     */
    List<SlotView> slots();

    /**
     * Germinates a seed in an empty slot: the kernel builds the blueprint to fit the slot's layer, adds its
     * parameters to the optimizer with zero state (the host's parameters keep theirs), and moves the slot from
     * {@link SeedStage#DORMANT} to {@link SeedStage#GERMINATED}; from the next step the seed trains, blends and
     * is integrated as its plan says.
     *
     * @param slot an address on the grid
     * @param blueprint the module to grow
     * @param plan how the seed lives
     * @throws IllegalArgumentException for an address outside the grid, a slot that is not dormant, a blueprint
     *     that does not fit the slot's layer (a convolutional blueprint after a dense layer, or the reverse), or a
     *     plan naming a blend schedule the run does not have
     * @since 1.2
     */
    void germinate(SlotAddress slot, Blueprint blueprint, SeedPlan plan);

    /**
     * Removes a slot's seed (pruned), whatever its live stage; the slot is embargoed for {@code embargoSteps}
     * steps and then dormant again. The function changes by what the seed contributed.
     *
     * @param slot a slot holding a live seed
     * @param reason why, in words (recorded with the event)
     * @param embargoSteps steps before the slot may receive a seed again, at least 0
     * @throws IllegalArgumentException for an address outside the grid or a slot without a live seed
     * @since 1.2
     */
    void cull(SlotAddress slot, String reason, long embargoSteps);

    /**
     * Measures a seed's contribution now: accuracy on the kernel's probe batch (a fixed sample of the task in
     * progress) with the seed at alpha 1 minus without it, in eval mode, BatchNorm statistics untouched. The value
     * is also what {@link SlotView#contribution()} reports afterwards.
     *
     * @param slot a slot holding a live seed
     * @return the contribution, in accuracy (fraction of the probe batch)
     * @throws IllegalArgumentException for an address outside the grid or a slot without a live seed
     * @since 1.2
     */
    double contribution(SlotAddress slot);

    /**
     * Freezes a host layer: its parameters leave the optimizer (their state is kept, untouched) and its
     * BatchNorm, if any, stays in eval mode; the kernel's isolation verifier checks from then on that nothing
     * changes them.
     *
     * @param layer a layer name, e.g. {@code fc1}; {@code out} freezes the head
     * @throws IllegalArgumentException for an unknown layer
     * @since 1.2
     */
    void freeze(String layer);

    /**
     * Lets a frozen layer train again.
     *
     * @param layer a layer name
     * @throws IllegalArgumentException for an unknown layer
     * @since 1.2
     */
    void unfreeze(String layer);
}
