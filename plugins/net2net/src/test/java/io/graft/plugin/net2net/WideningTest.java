package io.graft.plugin.net2net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.plugin.testkit.MapState;
import java.util.List;
import org.junit.jupiter.api.Test;

class WideningTest {

    private final Recorder metrics = new Recorder();

    private static Widening widen(String layer, double factor, int maxWidth, double noise) {
        return new Widening(new WidenSettings(layer, factor, 0, maxWidth, noise));
    }

    @Test
    void theNarrowestLayerIsChosenAnewAtEachGrowth() {
        FakeEditor editor = new FakeEditor(784, 64, 32);
        Widening policy = widen(WidenSettings.NARROWEST, 2.0, 512, 0);
        policy.grow(metrics.task(), editor);
        policy.grow(metrics.task(), editor);
        policy.grow(metrics.task(), editor);
        assertEquals(List.of("widen fc2 64 0.0", "widen fc1 128 0.0", "widen fc2 128 0.0"), editor.calls,
                "fc2 first; then fc1 (the first of two equals); then fc2 again");
        assertEquals(3, policy.growths());
    }

    @Test
    void allWidensEveryHiddenLayerAndNeverTheHead() {
        FakeEditor editor = new FakeEditor(784, 32, 16);
        widen(WidenSettings.ALL, 2.0, 512, 0.01).grow(metrics.task(), editor);
        assertEquals(List.of("widen fc1 64 0.01", "widen fc2 32 0.01"), editor.calls);
        editor.calls.clear();
        new Widening(new WidenSettings(WidenSettings.ALL, 2.0, 0, 512, 0, 0.5)).grow(metrics.task(), editor);
        assertEquals(List.of("widen fc1 128 0.0 spread 0.5", "widen fc2 64 0.0 spread 0.5"), editor.calls,
                "the spread of the outgoing shares is passed on");
        assertEquals(10, editor.width("out"));
    }

    @Test
    void aNamedLayerGrowsUntilTheCapAndThenThePolicyDoesNothing() {
        FakeEditor editor = new FakeEditor(784, 32, 32);
        Widening policy = widen("fc2", 2.0, 100, 0);
        for (int i = 0; i < 5; i++) {
            policy.grow(metrics.task(), editor);
        }
        assertEquals(List.of("widen fc2 64 0.0", "widen fc2 100 0.0"), editor.calls);
        assertEquals(2, policy.growths(), "calls at the cap are not growths");
        assertEquals(32, editor.width("fc1"));
    }

    @Test
    void allStopsLayerByLayerAtTheCap() {
        FakeEditor editor = new FakeEditor(784, 100, 20);
        Widening policy = widen(WidenSettings.ALL, 2.0, 100, 0);
        policy.grow(metrics.task(), editor);
        policy.grow(metrics.task(), editor);
        policy.grow(metrics.task(), editor);
        assertEquals(List.of("widen fc2 40 0.0", "widen fc2 80 0.0", "widen fc2 100 0.0"), editor.calls);
        policy.grow(metrics.task(), editor);
        assertEquals(3, editor.calls.size());
        assertEquals(3, policy.growths());
    }

    @Test
    void eachGrowthRecordsTheNewWidthsAndTheSize() {
        FakeEditor editor = new FakeEditor(784, 32);
        Widening policy = widen(WidenSettings.NARROWEST, 2.0, 64, 0);
        policy.grow(metrics.task(), editor);
        policy.grow(metrics.task(), editor);
        assertEquals(List.of("width_fc1=64", "parameters=50890", "growths=1"), metrics.records,
                "nothing at the cap; 784-64-10 has 785·64 + 65·10 weights");
    }

    @Test
    void anUnknownLayerIsRefusedNamingTheLayersThereAre() {
        FakeEditor editor = new FakeEditor(784, 32, 32);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> widen("fc7", 2.0, 512, 0).grow(metrics.task(), editor));
        assertEquals("widen: layer 'fc7' is not a hidden layer of this network; its hidden layers are [fc1, fc2]",
                e.getMessage());
        IllegalArgumentException head = assertThrows(IllegalArgumentException.class,
                () -> widen("out", 2.0, 512, 0).grow(metrics.task(), editor));
        assertTrue(head.getMessage().endsWith("('out' is the head)"), head.getMessage());
        assertTrue(editor.calls.isEmpty());
    }

    @Test
    void theGrowthCountSurvivesSaveAndRestore() {
        FakeEditor editor = new FakeEditor(784, 32);
        Widening policy = widen(WidenSettings.NARROWEST, 2.0, 512, 0);
        policy.grow(metrics.task(), editor);
        policy.grow(metrics.task(), editor);
        try (MapState state = new MapState()) {
            policy.saveState(state);
            Widening resumed = widen(WidenSettings.NARROWEST, 2.0, 512, 0);
            resumed.restoreState(state);
            assertEquals(2, resumed.growths());
        }
    }
}
