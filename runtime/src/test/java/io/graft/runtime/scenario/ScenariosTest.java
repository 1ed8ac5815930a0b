package io.graft.runtime.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.graft.api.Protocol;
import io.graft.api.model.Batch;
import io.graft.runtime.UserException;
import io.graft.runtime.config.ScenarioConfig;
import io.graft.runtime.config.ScenarioConfig.Type;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScenariosTest {

    /** 10 classes, sample i has label i % 10 and pixel values i*6+k (/1000). */
    static ImageData data() {
        int n = 50;
        float[] px = new float[n * 6];
        for (int i = 0; i < px.length; i++) {
            px[i] = i / 1000f;
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        ImageSet set = new ImageSet(px, labels, 2, 3);
        return new ImageData(set, set);
    }

    @Test
    void splitDealsClassesInOrder() {
        Scenario s = Scenarios.create(new ScenarioConfig(Type.SPLIT, 3, 3, List.of(9, 8, 7, 6, 5, 4, 3, 2, 1, 0)), data(), 1);
        assertEquals(3, s.taskCount());
        assertEquals(List.of(Protocol.CLASS_IL, Protocol.TASK_IL), s.protocols());
        assertArrayEquals(new int[] {9, 8, 7}, s.task(0).classes());
        assertArrayEquals(new int[] {3, 2, 1}, s.task(2).classes());
        assertEquals("classes 6,5,4", s.task(1).name());
        assertEquals(10, s.numClasses());
        assertEquals(6, s.inputSize());
        int[] train0 = s.trainIndices(0);
        assertEquals(15, train0.length);
        for (int i : train0) {
            assertTrue(i % 10 >= 7);
        }
        assertNull(s.permutation(1));
    }

    @Test
    void defaultSplitIsFiveTasksOfTwo() {
        Scenario s = Scenarios.create(new ScenarioConfig(null, null, null, null), data(), 1);
        assertEquals(5, s.taskCount());
        assertArrayEquals(new int[] {8, 9}, s.task(4).classes());
    }

    @Test
    void splitConfigErrorsNameTheKey() {
        assertEquals("scenario.classOrder lists class 3 twice; list each class at most once", error(
                new ScenarioConfig(Type.SPLIT, 2, 2, List.of(3, 1, 3, 2))));
        assertEquals("scenario.classOrder names class 12, which the training data does not have (its classes are"
                + " [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]); list only those classes",
                error(new ScenarioConfig(Type.SPLIT, 2, 2, List.of(0, 1, 12, 2))));
        assertEquals("scenario.tasks x scenario.classesPerTask = 6 x 2 = 12 classes, but the data has 10 classes;"
                + " lower scenario.tasks or scenario.classesPerTask", error(new ScenarioConfig(Type.SPLIT, 6, 2, null)));
        assertEquals("scenario.tasks x scenario.classesPerTask = 2 x 2 = 4 classes, but scenario.classOrder lists 3;"
                + " lower scenario.tasks or scenario.classesPerTask",
                error(new ScenarioConfig(Type.SPLIT, 2, 2, List.of(0, 1, 2))));
        assertEquals("scenario.tasks must be at least 1, got 0", error(new ScenarioConfig(Type.SPLIT, 0, 2, null)));
        assertEquals("scenario.classOrder applies to split scenarios only; remove it or set scenario.type: split",
                error(new ScenarioConfig(Type.PERMUTED, 2, 2, List.of(0, 1))));
    }

    private static String error(ScenarioConfig c) {
        UserException e = assertThrows(UserException.class, () -> Scenarios.create(c, data(), 1));
        assertEquals(UserException.BAD_CONFIG, e.exitCode());
        return e.getMessage();
    }

    @Test
    void permutedTasksShareSamplesAndPermuteFromTheSeed() {
        ScenarioConfig c = new ScenarioConfig(Type.PERMUTED, 3, null, null);
        Scenario s = Scenarios.create(c, data(), 11);
        assertEquals(List.of(Protocol.DOMAIN_IL), s.protocols());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, s.task(2).classes());
        assertEquals(50, s.trainIndices(1).length);
        assertNull(s.permutation(0));
        int[] p1 = s.permutation(1);
        int[] p2 = s.permutation(2);
        assertNotNull(p1);
        int[] sorted = p1.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, sorted);
        assertArrayEquals(p1, Scenarios.create(c, data(), 11).permutation(1));
        assertTrue(!Arrays.equals(p2, Scenarios.create(c, data(), 12).permutation(2))
                || !Arrays.equals(p1, Scenarios.create(c, data(), 12).permutation(1)));
    }

    @Test
    void batchesGatherRowsAndApplyThePermutation() {
        Scenario s = Scenarios.create(new ScenarioConfig(Type.PERMUTED, 2, null, null), data(), 3);
        int[] perm = s.permutation(1);
        try (NDManager m = NDManager.newBaseManager()) {
            SampleSet plain = s.trainData(0);
            SampleSet permuted = s.trainData(1);
            Batch b = plain.batch(new int[] {4, 7}, m);
            assertEquals(new Shape(2, 6), b.features().getShape());
            assertEquals(DataType.INT64, b.labels().getDataType());
            assertArrayEquals(new long[] {4, 7}, b.labels().toLongArray());
            assertArrayEquals(new long[] {0, 0}, b.tasks().toLongArray());
            float[] x = b.features().toFloatArray();
            for (int k = 0; k < 6; k++) {
                assertEquals((4 * 6 + k) / 1000f, x[k]);
                assertEquals((7 * 6 + k) / 1000f, x[6 + k]);
            }
            Batch p = permuted.batch(new int[] {4, 7}, m);
            float[] y = p.features().toFloatArray();
            for (int k = 0; k < 6; k++) {
                assertEquals((4 * 6 + perm[k]) / 1000f, y[k]);
            }
            assertArrayEquals(new long[] {1, 1}, p.tasks().toLongArray());
            assertThrows(IndexOutOfBoundsException.class, () -> plain.batch(new int[] {50}, m));
        }
    }

    @Test
    void splitTaskDataCoversOnlyItsClasses() {
        Scenario s = Scenarios.create(new ScenarioConfig(Type.SPLIT, 2, 2, null), data(), 3);
        SampleSet t1 = s.trainData(1);
        assertEquals(10, t1.size());
        try (NDManager m = NDManager.newBaseManager()) {
            int[] all = new int[t1.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            for (long label : t1.batch(all, m).labels().toLongArray()) {
                assertTrue(label == 2 || label == 3);
            }
        }
    }
}
