package io.graft.plugin.hat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.plugin.testkit.MaskedMlp;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdaptiveAdjustmentTest {

    private static final HatSettings HAT = new HatSettings(400, 50, 0.75, 0.03, 6, HeadClipping.ROWS);

    private NDManager manager;
    private UnitHistory history;
    private MaskedMlp model;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        model = new MaskedMlp(manager, 3, new int[] {2, 2}, 4, 7);
        model.onesGradients();
        history = new UnitHistory();
        history.cover(MaskSparsityTest.CHAIN);
        // summative masks after two tasks: fc1 [2, 1], fc2 [1, 2]
        history.finish(0, masks(new float[] {1, 0}, new float[] {0, 1}));
        history.finish(1, masks(new float[] {1, 1}, new float[] {1, 1}));
    }

    @AfterEach
    void tearDown() {
        history.close();
        manager.close();
    }

    private Map<String, NDArray> masks(float[] fc1, float[] fc2) {
        Map<String, NDArray> m = new LinkedHashMap<>();
        m.put("fc1", manager.create(fc1));
        m.put("fc2", manager.create(fc2));
        return m;
    }

    private AdaptiveAdjustment prepared(AdjustmentMode mode) {
        AdaptiveAdjustment a = new AdaptiveAdjustment(new AdaHatSettings(HAT, mode, 0.5, 0.1));
        a.prepare(MaskSparsityTest.CHAIN, history, Set.of(0, 1), manager);
        return a;
    }

    /** Network sparsity 0.4 in fc1 (r = 0.5/(0.1 + 0.4) = 1) and 0.15 in fc2 (r = 0.5/(0.1 + 0.15) = 2). */
    private Map<String, NDArray> sparsity() {
        Map<String, NDArray> s = new LinkedHashMap<>();
        s.put("fc1", manager.create(0.4f));
        s.put("fc2", manager.create(0.15f));
        return s;
    }

    @Test
    void theRateIsROverImportancePlusR() {
        AdaptiveAdjustment a = prepared(AdjustmentMode.ADAHAT);
        a.apply(model, sparsity(), manager);
        // fc1 (first layer, its own units only): m = [2, 1], r = 1 → 1/3, 1/2
        assertArrayEquals(new float[] {1f / 3, 1f / 3, 1f / 3, 0.5f, 0.5f, 0.5f}, model.gradient("fc1.weight"), 1e-6f);
        assertArrayEquals(new float[] {1f / 3, 0.5f}, model.gradient("fc1.bias"), 1e-6f);
        // fc2: m_ij = min(fc2_i, fc1_j) = [[1, 1], [2, 1]], r = 2 → 2/3 and 1/2
        assertArrayEquals(new float[] {2f / 3, 2f / 3, 0.5f, 2f / 3}, model.gradient("fc2.weight"), 1e-6f);
        assertArrayEquals(new float[] {2f / 3, 0.5f}, model.gradient("fc2.bias"), 1e-6f);
        // head: rows of the earlier classes 0 and 1 frozen, the others untouched
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 1, 1}, model.gradient("out.weight"));
        assertArrayEquals(new float[] {0, 0, 1, 1}, model.gradient("out.bias"));
    }

    @Test
    void capacityIsTheMeanRateOverTheHiddenParameters() {
        AdaptiveAdjustment a = prepared(AdjustmentMode.ADAHAT);
        double fc1 = 3 * (1.0 / 3 + 0.5) + (1.0 / 3 + 0.5);
        double fc2 = (2.0 / 3) * 3 + 0.5 + (2.0 / 3 + 0.5);
        assertEquals((fc1 + fc2) / (6 + 2 + 4 + 2), a.capacity(sparsity(), manager), 1e-6);
    }

    @Test
    void withoutSumTheTaskNumberFromOneIsEveryImportance() {
        AdaptiveAdjustment a = prepared(AdjustmentMode.ADAHAT_NO_SUM);
        a.apply(model, sparsity(), manager);
        // third task: m = 3; r = 1 in fc1, 2 in fc2
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f}, model.gradient("fc1.weight"), 1e-6f);
        assertArrayEquals(new float[] {0.4f, 0.4f}, model.gradient("fc2.bias"), 1e-6f);
    }

    @Test
    void withoutRegTheRateIsAlphaOverEpsilon() {
        AdaptiveAdjustment a = prepared(AdjustmentMode.ADAHAT_NO_REG);
        a.apply(model, Map.of(), manager);
        // r = 0.5/0.1 = 5: m = 2 → 5/7, m = 1 → 5/6
        assertArrayEquals(new float[] {5f / 7, 5f / 6}, model.gradient("fc1.bias"), 1e-6f);
        assertArrayEquals(new float[] {5f / 6, 5f / 6, 5f / 7, 5f / 6}, model.gradient("fc2.weight"), 1e-6f);
    }

    @Test
    void unusedParametersKeepTheirWholeGradient() {
        UnitHistory fresh = new UnitHistory();
        fresh.cover(MaskSparsityTest.CHAIN);
        AdaptiveAdjustment a = new AdaptiveAdjustment(new AdaHatSettings(HAT, AdjustmentMode.ADAHAT, 1e-6, 0.1));
        a.prepare(MaskSparsityTest.CHAIN, fresh, Set.of(), manager);
        a.apply(model, sparsity(), manager);
        assertArrayEquals(new float[] {1, 1, 1, 1}, model.gradient("fc2.weight"), 1e-6f);
        assertEquals(1.0, a.capacity(sparsity(), manager), 1e-6);
    }
}
