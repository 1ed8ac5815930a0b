package io.graft.plugin.pnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ColumnMasksTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** Rows and columns of the 6x6 fc2 mask, one digit per unit pair. */
    private static float[] expand(int[][] blocks) {
        float[] m = new float[36];
        for (int r = 0; r < 6; r++) {
            for (int c = 0; c < 6; c++) {
                m[r * 6 + c] = blocks[r / 2][c / 2];
            }
        }
        return m;
    }

    @Test
    void progressiveHiddenMasksAreBlockLowerTriangular() {
        try (ColumnMasks masks = new ColumnMasks(ColumnLayoutTest.layout(Connectivity.PROGRESSIVE), manager)) {
            NDArray fc2 = masks.forParameter("fc2.weight", 1);
            assertEquals(new Shape(6, 6), fc2.getShape());
            assertArrayEquals(expand(new int[][] {{1, 0, 0}, {1, 1, 0}, {1, 1, 1}}), fc2.toFloatArray());
            // the same structure whatever the task: later columns never feed earlier ones
            assertArrayEquals(fc2.toFloatArray(), masks.forParameter("fc2.weight", 0).toFloatArray());
        }
    }

    @Test
    void independentHiddenMasksAreBlockDiagonal() {
        try (ColumnMasks masks = new ColumnMasks(ColumnLayoutTest.layout(Connectivity.INDEPENDENT), manager)) {
            assertArrayEquals(expand(new int[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}),
                    masks.forParameter("fc2.weight", 2).toFloatArray());
        }
    }

    @Test
    void theInputLayerAndTheBiasesAreNotMasked() {
        try (ColumnMasks masks = new ColumnMasks(ColumnLayoutTest.layout(Connectivity.PROGRESSIVE), manager)) {
            assertNull(masks.forParameter("fc1.weight", 0));
            assertNull(masks.forParameter("fc1.bias", 0));
            assertNull(masks.forParameter("fc2.bias", 2));
            assertNull(masks.forParameter("out.bias", 1));
        }
    }

    @Test
    void eachTasksHeadReadsItsOwnColumnForItsOwnClasses() {
        try (ColumnMasks masks = new ColumnMasks(ColumnLayoutTest.layout(Connectivity.PROGRESSIVE), manager)) {
            NDArray head = masks.forParameter("out.weight", 1);
            assertEquals(new Shape(6, 6), head.getShape());
            float[] expected = new float[36];
            for (int c = 2; c <= 3; c++) {
                for (int u = 2; u <= 3; u++) {
                    expected[c * 6 + u] = 1f;
                }
            }
            assertArrayEquals(expected, head.toFloatArray());
            assertEquals(4f, masks.forParameter("out.weight", 2).sum().getFloat());
        }
    }
}
