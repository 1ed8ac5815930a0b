package io.graft.runtime.config;

import java.util.List;

/**
 * The host network.
 *
 * @param type {@code mlp} (default: a multi-layer perceptron) or {@code cnn} (convolutional blocks, then dense
 *     layers)
 * @param hidden widths of the (dense) hidden layers (default 256, 256)
 * @param heads {@code single} (default: one head over every class; split scenarios are evaluated class-IL and
 *     task-IL) or {@code multi} (one head per task of a split scenario: a sample's loss covers its own task's
 *     classes only, and the run is evaluated task-IL only)
 * @param shrink whether hidden units that pruning has masked entirely (every incoming weight and the bias)
 *     are removed physically after each pruning, the next layer's inputs with them (default false: masks only)
 * @param conv {@code cnn} only: output channels of each convolutional block ({@code conv 3x3 → BatchNorm → ReLU →
 *     max-pool 2x2}), input to output (default 16, 32 for {@code cnn}, none for {@code mlp})
 * @param slots columns of the slot grid, seeds per hidden layer (default 1; 0: no slots)
 * @param probeEvery steps between measurements of every live seed's contribution (default 100)
 */
public record ModelConfig(String type, List<Integer> hidden, String heads, Boolean shrink, List<Integer> conv,
                          Integer slots, Integer probeEvery) {

    /** {@code model.heads} of one head over every class. */
    public static final String SINGLE_HEAD = "single";
    /** {@code model.heads} of one head per task. */
    public static final String MULTI_HEAD = "multi";

    /** {@code model.type} of the multi-layer perceptron. */
    public static final String MLP = "mlp";
    /** {@code model.type} of the convolutional network. */
    public static final String CNN = "cnn";

    /** Fills in defaults. */
    public ModelConfig {
        type = type == null ? MLP : type;
        conv = conv == null ? (CNN.equalsIgnoreCase(type) ? List.of(16, 32) : List.of()) : List.copyOf(conv);
        hidden = hidden == null ? List.of(256, 256) : List.copyOf(hidden);
        heads = heads == null ? SINGLE_HEAD : heads.trim().toLowerCase(java.util.Locale.ROOT);
        shrink = shrink != null && shrink;
        slots = slots == null ? 1 : slots;
        probeEvery = probeEvery == null ? 100 : probeEvery;
    }

    /**
     * A host with the default seed settings.
     *
     * @param type the host type
     * @param hidden widths of the hidden layers
     * @param heads {@code single} or {@code multi}
     * @param shrink whether fully pruned units are removed
     * @param conv channels of the convolutional blocks ({@code cnn})
     */
    public ModelConfig(String type, List<Integer> hidden, String heads, Boolean shrink, List<Integer> conv) {
        this(type, hidden, heads, shrink, conv, null, null);
    }

    /**
     * A host without convolutional blocks of its own choosing (the type's default).
     *
     * @param type the host type
     * @param hidden widths of the hidden layers
     * @param heads {@code single} or {@code multi}
     * @param shrink whether fully pruned units are removed
     */
    public ModelConfig(String type, List<Integer> hidden, String heads, Boolean shrink) {
        this(type, hidden, heads, shrink, null);
    }

    /**
     * A host with the given heads that never shrinks.
     *
     * @param type the host type
     * @param hidden widths of the hidden layers
     * @param heads {@code single} or {@code multi}
     */
    public ModelConfig(String type, List<Integer> hidden, String heads) {
        this(type, hidden, heads, null, null);
    }

    /**
     * A single-headed host.
     *
     * @param type the host type
     * @param hidden widths of the hidden layers
     */
    public ModelConfig(String type, List<Integer> hidden) {
        this(type, hidden, null, null, null);
    }

    /** @return true for the convolutional host */
    public boolean convolutional() {
        return CNN.equalsIgnoreCase(type);
    }

    /** @return true for one head per task */
    public boolean multiHead() {
        return MULTI_HEAD.equals(heads);
    }
}
