package io.graft.runtime.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.graft.api.Protocol;
import io.graft.api.model.Batch;
import io.graft.runtime.config.ScenarioConfig;
import io.graft.runtime.config.ScenarioConfig.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

class RotatedScenarioTest {

    /** 3x3 images of 3 classes: sample i has label i % 3 and pixel k = (9 i + k) / 1000. */
    static ImageData squares() {
        int n = 12;
        float[] px = new float[n * 9];
        for (int i = 0; i < px.length; i++) {
            px[i] = i / 1000f;
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
        }
        ImageSet set = new ImageSet(px, labels, 3, 3);
        return new ImageData(set, set);
    }

    @Test
    void defaultAnglesAreEvenlySpacedOverHalfATurn() {
        Scenario s = Scenarios.create(new ScenarioConfig(Type.ROTATED, 5, null, null), squares(), 1);
        assertEquals(List.of(Protocol.DOMAIN_IL), s.protocols());
        assertEquals(5, s.taskCount());
        double[] expected = {0, 36, 72, 108, 144};
        for (int t = 0; t < 5; t++) {
            assertEquals(expected[t], s.angle(t).getAsDouble());
            assertArrayEquals(new int[] {0, 1, 2}, s.task(t).classes());
            assertEquals(12, s.trainIndices(t).length);
            assertEquals(12, s.testIndices(t).length);
            assertNull(s.permutation(t), "rotations are not reported as permutations");
        }
        assertEquals("rotation 0", s.task(0).name());
        assertEquals("rotation 108", s.task(3).name());
        assertNull(s.transform(0), "0 degrees needs no transform");
        assertEquals(4, s.transform(1).taps());
        assertArrayEquals(new double[] {0, 22.5, 45, 67.5, 90, 112.5, 135, 157.5}, Scenarios.defaultAngles(8));
        assertEquals("25.71", Scenarios.degrees(180.0 / 7));
        assertEquals("-90", Scenarios.degrees(-90));
        assertTrue(Scenarios.create(new ScenarioConfig(Type.PERMUTED, 2, null, null), squares(), 1).angle(1).isEmpty());
    }

    @Test
    void batchesAreRotatedByTheTaskAngleInTrainingOrder() {
        ScenarioConfig c = new ScenarioConfig(Type.ROTATED, 3, null, null, List.of(0.0, 90.0, 180.0),
                ScenarioConfig.Order.of(List.of(2, 1, 0)), null);
        Scenario s = Scenarios.create(c, squares(), 1);
        assertEquals("rotation 180", s.task(0).name());
        assertEquals(90.0, s.angle(1).getAsDouble());
        try (NDManager m = NDManager.newBaseManager()) {
            Batch quarter = s.trainData(1).batch(new int[] {5}, m);
            float[] x = quarter.features().toFloatArray();
            int[] fromSource = {2, 5, 8, 1, 4, 7, 0, 3, 6}; // counter-clockwise quarter turn of a 3x3 image
            for (int k = 0; k < 9; k++) {
                assertEquals((5 * 9 + fromSource[k]) / 1000f, x[k], 1e-7f);
            }
            assertArrayEquals(new long[] {2}, quarter.labels().toLongArray());
            assertArrayEquals(new long[] {1}, quarter.tasks().toLongArray());
            float[] half = s.testData(0).batch(new int[] {0, 1}, m).features().toFloatArray();
            for (int k = 0; k < 9; k++) {
                assertEquals((8 - k) / 1000f, half[k], 1e-7f);
                assertEquals((9 + 8 - k) / 1000f, half[9 + k], 1e-7f);
            }
            float[] plain = s.trainData(2).batch(new int[] {3}, m).features().toFloatArray();
            for (int k = 0; k < 9; k++) {
                assertEquals((27 + k) / 1000f, plain[k]);
            }
        }
    }

    @Test
    void rotationsAreDeterministicAndMeasured() {
        ScenarioConfig c = new ScenarioConfig(Type.ROTATED, 4, null, null);
        Scenario a = Scenarios.create(c, TaskOrderTest.graded(), 1);
        Scenario b = Scenarios.create(c, TaskOrderTest.graded(), 2);
        for (int t = 0; t < 4; t++) {
            assertEquals(a.transform(t), b.transform(t));
            double d = a.difficulty(t);
            assertTrue(d >= 0 && d <= 1, "error " + d);
            assertEquals(d, b.difficulty(t));
        }
        assertEquals(TaskDifficulty.MEASURE, a.difficultyMeasure());
    }
}
