package io.graft.plugin.net2net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graft.plugin.testkit.MapState;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeepeningTest {

    private final Recorder metrics = new Recorder();

    @Test
    void insertsAfterTheLastHiddenLayerUntilMaxDepth() {
        FakeEditor editor = new FakeEditor(784, 64, 32);
        Deepening policy = new Deepening(new DeepenSettings(DeepenSettings.LAST, 4));
        for (int i = 0; i < 4; i++) {
            policy.grow(metrics.task(), editor);
        }
        assertEquals(List.of("insert fc3 after fc2", "insert fc4 after fc3"), editor.calls);
        assertEquals(List.of("fc1", "fc2", "fc3", "fc4", "out"), editor.layers());
        assertEquals(32, editor.width("fc4"), "an identity layer is as wide as the layer it follows");
        assertEquals(2, policy.growths());
    }

    @Test
    void aNamedLayerKeepsItsPlaceAsLayersAreInsertedAfterIt() {
        FakeEditor editor = new FakeEditor(784, 64, 32);
        Deepening policy = new Deepening(new DeepenSettings("fc1", 3));
        policy.grow(metrics.task(), editor);
        policy.grow(metrics.task(), editor);
        assertEquals(List.of("fc1", "fc3", "fc2", "out"), editor.layers());
        assertEquals(64, editor.width("fc3"));
    }

    @Test
    void atMaxDepthNothingHappens() {
        FakeEditor editor = new FakeEditor(784, 32);
        new Deepening(new DeepenSettings(DeepenSettings.LAST, 1)).grow(metrics.task(), editor);
        assertEquals(List.of(), editor.calls);
        assertEquals(List.of(), metrics.records);
    }

    @Test
    void eachGrowthRecordsDepthWidthAndSize() {
        FakeEditor editor = new FakeEditor(784, 32);
        new Deepening(new DeepenSettings(DeepenSettings.LAST, 3)).grow(metrics.task(), editor);
        assertEquals(List.of("depth=2", "width_fc2=32", "parameters=26506", "growths=1"), metrics.records,
                "785·32 + 33·32 + 33·10");
    }

    @Test
    void anUnknownLayerIsRefusedNamingTheLayersThereAre() {
        FakeEditor editor = new FakeEditor(784, 32);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Deepening(new DeepenSettings("hidden1", 3)).grow(metrics.task(), editor));
        assertEquals("deepen: layer 'hidden1' is not a hidden layer of this network; its hidden layers are [fc1]",
                e.getMessage());
    }

    @Test
    void theGrowthCountSurvivesSaveAndRestore() {
        FakeEditor editor = new FakeEditor(784, 32);
        Deepening policy = new Deepening(new DeepenSettings(DeepenSettings.LAST, 3));
        policy.grow(metrics.task(), editor);
        try (MapState state = new MapState()) {
            policy.saveState(state);
            Deepening resumed = new Deepening(new DeepenSettings(DeepenSettings.LAST, 3));
            resumed.restoreState(state);
            assertEquals(1, resumed.growths());
        }
    }
}
