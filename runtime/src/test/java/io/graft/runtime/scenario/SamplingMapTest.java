package io.graft.runtime.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SamplingMapTest {

    /** A 3x4 image (rows x cols) with distinct values 1..12, row after row. */
    private static final float[] WIDE = {
        1, 2, 3, 4,
        5, 6, 7, 8,
        9, 10, 11, 12};

    /** A 4x4 image with distinct values. */
    private static float[] square() {
        float[] img = new float[16];
        for (int i = 0; i < 16; i++) {
            img[i] = (i + 1) / 16f;
        }
        return img;
    }

    private static float[] transposeFlipUpDown(float[] img, int n) {
        float[] out = new float[n * n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                out[r * n + c] = img[c * n + (n - 1 - r)];
            }
        }
        return out;
    }

    @Test
    void ninetyDegreesIsTheTransposeFlippedUpsideDown() {
        float[] img = square();
        SamplingMap m = SamplingMap.rotation(4, 4, 90);
        assertEquals(1, m.taps(), "a quarter turn of a square image is an exact gather");
        // written out by hand: counter-clockwise, the right column becomes the top row
        float[] expected = transposeFlipUpDown(img, 4);
        assertArrayEquals(expected, m.apply(img));
        assertEquals(img[3], m.apply(img)[0], "top-right pixel goes to the top-left corner");
        float[] three = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertArrayEquals(new float[] {3, 6, 9, 2, 5, 8, 1, 4, 7}, SamplingMap.rotation(3, 3, 90).apply(three));
    }

    @Test
    void zeroAndFullTurnsAreTheIdentity() {
        float[] img = square();
        for (double a : new double[] {0, 360, -360, 720}) {
            SamplingMap m = SamplingMap.rotation(4, 4, a);
            assertTrue(m.isIdentity(), "angle " + a);
            assertArrayEquals(img, m.apply(img));
        }
        assertArrayEquals(WIDE, SamplingMap.rotation(3, 4, 0).apply(WIDE));
    }

    @Test
    void halfTurnReversesAndQuarterTurnsCompose() {
        float[] img = square();
        float[] reversed = new float[16];
        for (int i = 0; i < 16; i++) {
            reversed[i] = img[15 - i];
        }
        assertArrayEquals(reversed, SamplingMap.rotation(4, 4, 180).apply(img));
        SamplingMap quarter = SamplingMap.rotation(4, 4, 90);
        assertArrayEquals(SamplingMap.rotation(4, 4, 270).apply(img),
                quarter.apply(quarter.apply(quarter.apply(img))));
        assertArrayEquals(SamplingMap.rotation(4, 4, -90).apply(img), SamplingMap.rotation(4, 4, 270).apply(img));
    }

    @Test
    void nonSquareQuarterTurnFillsWithZeros() {
        // 2x6, centre (0.5, 2.5): output (r, c) reads source (c - 2, 3 - r), zero where that is outside
        float[] img = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        assertArrayEquals(new float[] {0, 0, 4, 10, 0, 0, 0, 0, 3, 9, 0, 0},
                SamplingMap.rotation(2, 6, 90).apply(img));
    }

    @Test
    void halfPixelOffsetsInterpolateAndZeroFillAtTheEdge() {
        // 3x4, centre (1, 1.5): output (r, c) reads source (c - 0.5, 2.5 - r)
        float[] out = SamplingMap.rotation(3, 4, 90).apply(WIDE);
        assertEquals((2 + 3 + 6 + 7) / 4f, out[1 * 4 + 1], 1e-6f, "(1,1) reads the middle of (0..1, 1..2)");
        assertEquals((10 + 11) / 4f, out[1 * 4 + 3], 1e-6f, "(1,3) reads half outside: zeros, not clamped");
    }

    @Test
    void bilinearWeightsSumToOneInsideAndCentreIsFixed() {
        float[] ones = new float[28 * 28];
        Arrays.fill(ones, 1f);
        SamplingMap m = SamplingMap.rotation(28, 28, 45);
        assertEquals(4, m.taps());
        float[] out = m.apply(ones);
        // the central 10x10 block maps well inside the image: interpolating ones gives one
        for (int r = 9; r < 19; r++) {
            for (int c = 9; c < 19; c++) {
                assertEquals(1f, out[r * 28 + c], 1e-6f);
            }
        }
        assertEquals(0f, out[0], "corners rotate out of the image and are zero-filled");
        // a rotation keeps the centre: a 3x3 image's middle pixel stays put at any angle
        float[] dot = new float[9];
        dot[4] = 1f;
        for (double a : new double[] {17, 45, 123.4}) {
            assertEquals(1f, SamplingMap.rotation(3, 3, a).apply(dot)[4], 1e-6f);
        }
    }

    @Test
    void mapsAreDeterministic() {
        assertEquals(SamplingMap.rotation(28, 28, 36), SamplingMap.rotation(28, 28, 36));
        assertFalse(SamplingMap.rotation(28, 28, 36).equals(SamplingMap.rotation(28, 28, 72)));
    }

    @Test
    void permutationsGatherAndAreChecked() {
        SamplingMap p = SamplingMap.permutation(new int[] {2, 0, 1});
        assertArrayEquals(new float[] {3, 1, 2}, p.apply(new float[] {1, 2, 3}));
        assertArrayEquals(new int[] {2, 0, 1}, p.permutation());
        assertNull(SamplingMap.rotation(3, 4, 45).permutation());
        assertThrows(IllegalArgumentException.class, () -> SamplingMap.permutation(new int[] {0, 0, 1}));
        assertThrows(IllegalArgumentException.class, () -> SamplingMap.rotation(3, 3, Double.NaN));
    }
}
