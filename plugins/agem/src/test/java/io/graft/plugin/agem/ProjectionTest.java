package io.graft.plugin.agem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProjectionTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private NDArray scalarVector(float v) {
        return manager.create(new float[] {v});
    }

    /**
     * g = (1, 0), g_ref = (−1, 1), each coordinate a separate parameter: g·g_ref = −1, g_ref·g_ref = 2, so
     * g ← (1, 0) − (−1/2)·(−1, 1) = (0.5, 0.5), and then g·g_ref = 0.
     */
    @Test
    void projectsAHandCaseAcrossTwoParameters() {
        List<NDArray> g = List.of(scalarVector(1), scalarVector(0));
        List<NDArray> r = List.of(scalarVector(-1), scalarVector(1));
        Projection.Outcome o = Projection.project(g, r, manager);
        assertTrue(o.projected());
        assertEquals(-1, o.dot(), 1e-7);
        assertEquals(2, o.referenceNorm(), 1e-7);
        assertArrayEquals(new float[] {0.5f}, g.get(0).toFloatArray(), 1e-7f);
        assertArrayEquals(new float[] {0.5f}, g.get(1).toFloatArray(), 1e-7f);
    }

    @Test
    void leavesAGradientThatAgreesWithTheReferenceAlone() {
        List<NDArray> g = List.of(scalarVector(1), scalarVector(1));
        List<NDArray> r = List.of(scalarVector(1), scalarVector(-1)); // g·r = 0: not against it
        assertFalse(Projection.project(g, r, manager).projected());
        assertArrayEquals(new float[] {1}, g.get(0).toFloatArray(), 0f);
        assertArrayEquals(new float[] {1}, g.get(1).toFloatArray(), 0f);
        List<NDArray> zero = List.of(scalarVector(0), scalarVector(0));
        assertFalse(Projection.project(g, zero, manager).projected(), "no reference, nothing to protect");
    }

    @Test
    void afterAProjectionTheGradientNoLongerOpposesTheReference() {
        Random random = new Random(5);
        int projections = 0;
        for (int trial = 0; trial < 200; trial++) {
            float[][] gv = {gaussian(random, 6), gaussian(random, 3), gaussian(random, 1)};
            float[][] rv = {gaussian(random, 6), gaussian(random, 3), gaussian(random, 1)};
            List<NDArray> g = List.of(manager.create(gv[0], new Shape(2, 3)), manager.create(gv[1]), manager.create(gv[2]));
            List<NDArray> r = List.of(manager.create(rv[0], new Shape(2, 3)), manager.create(rv[1]), manager.create(rv[2]));
            double dot = 0;
            double rr = 0;
            for (int p = 0; p < 3; p++) {
                for (int i = 0; i < gv[p].length; i++) {
                    dot += gv[p][i] * rv[p][i];
                    rr += rv[p][i] * rv[p][i];
                }
            }
            Projection.Outcome o = Projection.project(g, r, manager);
            assertEquals(dot < 0, o.projected());
            double after = 0;
            for (int p = 0; p < 3; p++) {
                float[] now = g.get(p).toFloatArray();
                for (int i = 0; i < now.length; i++) {
                    float expected = o.projected() ? (float) (gv[p][i] - dot / rr * rv[p][i]) : gv[p][i];
                    assertEquals(expected, now[i], 1e-5f);
                    after += now[i] * rv[p][i];
                }
            }
            if (o.projected()) {
                projections++;
                assertTrue(after >= -1e-5, "g·g_ref after the projection: " + after);
            }
        }
        assertTrue(projections > 50 && projections < 150, "about half the random pairs oppose: " + projections);
    }

    private static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
