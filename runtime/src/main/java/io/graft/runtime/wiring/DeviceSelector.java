package io.graft.runtime.wiring;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.graft.runtime.UserException;
import io.graft.runtime.config.DeviceChoice;

/** Resolves {@code device: auto|cpu|gpu} against what DJL's engine sees. */
final class DeviceSelector {

    private DeviceSelector() {}

    static Device select(DeviceChoice choice) {
        int gpus = Engine.getInstance().getGpuCount();
        return switch (choice) {
            case CPU -> Device.cpu();
            case AUTO -> gpus > 0 ? Device.gpu() : Device.cpu();
            case GPU -> {
                if (gpus == 0) {
                    throw new UserException(UserException.BAD_CONFIG, "config: 'device' is gpu but DJL's "
                            + Engine.getInstance().getEngineName() + " engine sees no GPU here; use device: auto or cpu");
                }
                yield Device.gpu();
            }
        };
    }
}
