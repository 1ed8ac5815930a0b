package io.graft.plugin.net2net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WidenSettingsTest {

    private static WidenSettings factor(double factor, int maxWidth) {
        return new WidenSettings(WidenSettings.ALL, factor, 0, maxWidth, 0);
    }

    @Test
    void aFactorMultipliesAndRoundsToTheNearestUnit() {
        assertEquals(64, factor(2.0, 512).nextWidth(32));
        assertEquals(13, factor(1.25, 512).nextWidth(10), "12.5 rounds up");
        assertEquals(12, factor(1.2, 512).nextWidth(10));
        assertEquals(48, factor(1.5, 512).nextWidth(32));
    }

    @Test
    void aFactorAlwaysAddsAtLeastOneUnit() {
        assertEquals(4, factor(1.1, 512).nextWidth(3), "3 × 1.1 = 3.3 would round back to 3");
        assertEquals(2, factor(1.01, 512).nextWidth(1));
    }

    @Test
    void unitsReplaceTheFactor() {
        assertEquals(48, new WidenSettings(WidenSettings.ALL, 2.0, 16, 512, 0).nextWidth(32));
    }

    @Test
    void theCapCutsTheLastGrowthAndThenStopsIt() {
        assertEquals(100, factor(2.0, 100).nextWidth(64), "128 is cut to the cap");
        assertEquals(100, factor(2.0, 100).nextWidth(100), "at the cap: no growth");
        assertEquals(150, factor(2.0, 100).nextWidth(150), "already beyond the cap: never shrinks");
        assertEquals(40, new WidenSettings(WidenSettings.ALL, 2.0, 16, 40, 0).nextWidth(32));
    }

    @Test
    void hugeWidthsDoNotOverflow() {
        assertEquals(Integer.MAX_VALUE, new WidenSettings(WidenSettings.ALL, 2.0, Integer.MAX_VALUE, Integer.MAX_VALUE, 0)
                .nextWidth(Integer.MAX_VALUE - 1));
    }
}
