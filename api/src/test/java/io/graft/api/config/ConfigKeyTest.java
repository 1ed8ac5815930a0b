package io.graft.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A text key takes what YAML reads as a whole number as the text the user wrote. */
class ConfigKeyTest {

    private static final ConfigKey<String> ROW = ConfigKey.ofString("row", "last", "a row");

    @Test
    void wholeNumbersAreTextForTextKeysAndOtherValuesAreRefused() {
        ConfigSpec spec = ConfigSpec.of(ROW);
        assertEquals("1", spec.bind(Map.of("row", 1)).get(ROW));
        assertEquals("12000", spec.bind(Map.of("row", 12000L)).get(ROW));
        assertEquals("first", spec.bind(Map.of("row", "first")).get(ROW));
        assertThrows(ConfigException.class, () -> spec.bind(Map.of("row", 1.5)));
        assertThrows(ConfigException.class, () -> spec.bind(Map.of("row", true)));
    }
}
