package io.graft.runtime.config;

import java.util.List;

/**
 * The host network.
 *
 * @param type {@code mlp} (the only host of this version)
 * @param hidden widths of the hidden layers (default 256, 256)
 */
public record ModelConfig(String type, List<Integer> hidden) {

    /** Fills in defaults. */
    public ModelConfig {
        type = type == null ? "mlp" : type;
        hidden = hidden == null ? List.of(256, 256) : List.copyOf(hidden);
    }
}
