package io.graft.api.growth;

import java.util.Objects;

/**
 * What module a seed is made of. The kernel builds it to fit the slot it is germinated in: a slot after a
 * dense layer of width {@code w} takes {@code (n, w)} activations and gives back {@code (n, w)}; a slot after a
 * convolutional block of {@code C} channels takes and gives {@code (n, C, h, w)}.
 *
 * <ul>
 *   <li>{@link #residual(int)}: {@code w → hidden → w} dense block with a ReLU between (dense slots);</li>
 *   <li>{@link #linear()}: one {@code w → w} dense layer (dense slots);</li>
 *   <li>{@link #conv(int)}: two 3×3 convolutions {@code C → hidden → C}, padding 1, ReLU between
 *       (convolutional slots).</li>
 * </ul>
 * The last layer starts at zero by default ({@link #zeroInit()}), so the seed's output is exactly zero and the
 * network's function does not change when it joins, whatever its alpha; the other layers start like
 * PyTorch's defaults, from the run's seed.
 *
 * <p>Immutable; {@link #withZeroInit(boolean)} returns a copy.
 */
public final class Blueprint {

    /** The blueprint kinds. */
    public enum Kind {
        /** Dense {@code w → hidden → w} with a ReLU between. */
        RESIDUAL,
        /** Dense {@code w → w}. */
        LINEAR,
        /** Convolutional {@code C → hidden → C}, 3×3, padding 1, ReLU between. */
        CONV;

        /** @return the kind as written in configs, e.g. {@code residual} */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Kind kind;
    private final int hidden;
    private final boolean zeroInit;

    private Blueprint(Kind kind, int hidden, boolean zeroInit) {
        this.kind = Objects.requireNonNull(kind, "kind");
        if (kind != Kind.LINEAR && hidden < 1) {
            throw new IllegalArgumentException("a " + kind.key() + " blueprint needs a hidden width of at least 1, got "
                    + hidden);
        }
        this.hidden = hidden;
        this.zeroInit = zeroInit;
    }

    /**
     * @param hidden the block's inner width, at least 1
     * @return a dense residual block {@code w → hidden → w}
     */
    public static Blueprint residual(int hidden) {
        return new Blueprint(Kind.RESIDUAL, hidden, true);
    }

    /** @return a single dense layer {@code w → w} */
    public static Blueprint linear() {
        return new Blueprint(Kind.LINEAR, 0, true);
    }

    /**
     * @param hidden the block's inner channels, at least 1
     * @return a convolutional block {@code C → hidden → C}
     */
    public static Blueprint conv(int hidden) {
        return new Blueprint(Kind.CONV, hidden, true);
    }

    /**
     * @param text {@code residual}, {@code linear} or {@code conv}
     * @param hidden the inner width (ignored by {@code linear})
     * @return the blueprint
     * @throws IllegalArgumentException for another name or a hidden width below 1
     */
    public static Blueprint of(String text, int hidden) {
        for (Kind k : Kind.values()) {
            if (k.key().equals(text)) {
                return new Blueprint(k, k == Kind.LINEAR ? 0 : hidden, true);
            }
        }
        throw new IllegalArgumentException("blueprint '" + text + "' is unknown; use residual, linear or conv");
    }

    /**
     * @param zero whether the last layer starts at zero (function-preserving)
     * @return a copy with that setting
     */
    public Blueprint withZeroInit(boolean zero) {
        return new Blueprint(kind, hidden, zero);
    }

    /** @return the kind */
    public Kind kind() {
        return kind;
    }

    /** @return the inner width or channels; 0 for {@link Kind#LINEAR} */
    public int hidden() {
        return hidden;
    }

    /** @return whether the last layer starts at zero */
    public boolean zeroInit() {
        return zeroInit;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Blueprint b && b.kind == kind && b.hidden == hidden && b.zeroInit == zeroInit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, hidden, zeroInit);
    }

    @Override
    public String toString() {
        return kind.key() + (kind == Kind.LINEAR ? "" : "(" + hidden + ")") + (zeroInit ? "" : " random-init");
    }
}
