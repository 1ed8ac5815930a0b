package io.graft.runtime.kernel;

import ai.djl.ndarray.NDArray;

/**
 * The multipliers one forward pass applies: per parameter (to its value) and per hidden layer (to its
 * outputs after the activation). {@code null} means none. Built per step or evaluation batch by
 * {@link TaskMasking} from the run's {@link io.graft.api.masking.TaskMask} plugins.
 */
interface ForwardMasks {

    /** No masks: the plain network. */
    ForwardMasks NONE = new ForwardMasks() {
        @Override
        public NDArray weight(HostParameter parameter) {
            return null;
        }

        @Override
        public NDArray units(String layer, int width) {
            return null;
        }
    };

    /**
     * @param parameter a host parameter
     * @return the multiplier of its value, or {@code null}
     */
    NDArray weight(HostParameter parameter);

    /**
     * @param layer a hidden layer's name
     * @param width its units
     * @return the multiplier of its outputs, shape {@code (width)}, or {@code null}
     */
    NDArray units(String layer, int width);
}
