package io.graft.runtime.kernel;

import io.graft.api.growth.Blueprint;
import io.graft.api.growth.SeedStage;
import io.graft.api.growth.SlotView;
import io.graft.api.model.SlotAddress;

/** A slot as it was when asked: what {@link io.graft.api.growth.StructureEditor#slots()} hands out. */
record SlotState(SlotAddress address, String layer, boolean convolutional, SeedStage stage, double alpha, long parameterCount,
                 Blueprint blueprint, int task, double contribution) implements SlotView {
}
