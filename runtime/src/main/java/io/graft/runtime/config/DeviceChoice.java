package io.graft.runtime.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where training runs. */
public enum DeviceChoice {
    /** The GPU when DJL sees one, the CPU otherwise. */
    AUTO,
    /** Always the CPU. */
    CPU,
    /** The first GPU; refused when there is none. */
    GPU;

    @JsonCreator
    static DeviceChoice parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }

    @JsonValue
    String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
