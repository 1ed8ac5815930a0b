package io.graft.plugin.hat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MaskSparsityTest {

    static final LayerChain CHAIN = new LayerChain(List.of(
            new LayerChain.Layer("fc1", "fc1.weight", "fc1.bias", 2, 3),
            new LayerChain.Layer("fc2", "fc2.weight", "fc2.bias", 2, 2)),
            new LayerChain.Layer("out", "out.weight", "out.bias", 4, 2));

    private NDManager manager;
    private UnitHistory history;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        history = new UnitHistory();
        history.cover(CHAIN);
    }

    @AfterEach
    void tearDown() {
        history.close();
        manager.close();
    }

    /** Task 0 used unit 0 of fc1 and unit 1 of fc2. */
    private void finishTaskZero() {
        Map<String, NDArray> masks = new LinkedHashMap<>();
        masks.put("fc1", manager.create(new float[] {1, 0}));
        masks.put("fc2", manager.create(new float[] {0, 1}));
        history.finish(0, masks);
    }

    @Test
    void penaltyCountsOnlyTheFreeUnitsATaskTakes() {
        finishTaskZero();
        MaskSparsity sparsity = new MaskSparsity(history, CHAIN, manager);
        Map<String, NDArray> gates = new LinkedHashMap<>();
        gates.put("fc1", manager.create(new float[] {0.5f, 1f}));
        gates.put("fc2", manager.create(new float[] {0.25f, 0.75f}));
        // (0.5·0 + 1·1 + 0.25·1 + 0.75·0) / (1 + 1) = 0.625, times c
        assertEquals(0.75 * 0.625, sparsity.penalty(gates, 0.75).getFloat(), 1e-6);
        Map<String, NDArray> perLayer = sparsity.perLayer(gates, manager);
        assertEquals(1.0, perLayer.get("fc1").getFloat(), 1e-6);
        assertEquals(0.25, perLayer.get("fc2").getFloat(), 1e-6);
    }

    @Test
    void theFirstTaskMeasuresTheShareOfAllUnits() {
        MaskSparsity sparsity = new MaskSparsity(history, CHAIN, manager);
        Map<String, NDArray> gates = new LinkedHashMap<>();
        gates.put("fc1", manager.create(new float[] {0.5f, 1f}));
        gates.put("fc2", manager.create(new float[] {0f, 0.5f}));
        assertEquals(2.0 / 4, sparsity.penalty(gates, 1).getFloat(), 1e-6);
        assertNull(sparsity.penalty(Map.of(), 1));
    }
}
