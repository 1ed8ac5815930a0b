package io.graft.plugin.pruning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskSelectionTest {

    private static boolean[] alive(int n) {
        boolean[] a = new boolean[n];
        java.util.Arrays.fill(a, true);
        return a;
    }

    private static boolean[] bits(String s) {
        boolean[] b = new boolean[s.length()];
        for (int i = 0; i < b.length; i++) {
            b[i] = s.charAt(i) == '1';
        }
        return b;
    }

    @Test
    void keepsExactlyTheLargestMagnitudesSignIgnored() {
        boolean[] kept = Ranking.top(new float[] {0.1f, -0.9f, 0.5f, -0.2f, 0.7f}, alive(5), 2);
        assertArrayEquals(bits("01001"), kept);
    }

    @Test
    void tiesGoToTheLowerIndexSoTheCountIsExact() {
        boolean[] kept = Ranking.top(new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.1f}, alive(5), 2);
        assertArrayEquals(bits("11000"), kept);
        assertArrayEquals(bits("01100"), Ranking.top(new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.1f}, bits("01111"), 2));
    }

    @Test
    void prunedEntriesNeverComeBackWhateverTheirScore() {
        assertArrayEquals(bits("00110"), Ranking.top(new float[] {9f, 8f, 0.2f, 0.3f, 0.1f}, bits("00111"), 2));
    }

    @Test
    void perLayerEveryLayerKeepsItsShare() {
        // 10 and 4 weights at sparsity 0.5: 5 and 2 kept, whatever the other layer's magnitudes
        float[] a = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        float[] b = {0.01f, 0.04f, 0.03f, 0.02f};
        Map<String, boolean[]> kept = MaskSelection.select(List.of(new MaskSelection.Layer("a", a, alive(10)),
                new MaskSelection.Layer("b", b, alive(4))), 0.5, Scope.LAYER, "t");
        assertArrayEquals(bits("0000011111"), kept.get("a"));
        assertArrayEquals(bits("0110"), kept.get("b"));
    }

    @Test
    void globallyTheLayersShareOneRanking() {
        // 14 weights at sparsity 0.5: the 7 largest overall, 6 of a and 1 of b
        float[] a = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        float[] b = {0.5f, 9.5f, 0.25f, 0.75f};
        Map<String, boolean[]> kept = MaskSelection.select(List.of(new MaskSelection.Layer("a", a, alive(10)),
                new MaskSelection.Layer("b", b, alive(4))), 0.5, Scope.GLOBAL, "t");
        assertArrayEquals(bits("0000111111"), kept.get("a"));
        assertArrayEquals(bits("0100"), kept.get("b"));
        assertEquals(7, MaskSelection.count(kept.get("a")) + MaskSelection.count(kept.get("b")));
    }

    @Test
    void aGlobalRankingThatEmptiesALayerIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> MaskSelection.select(List.of(
                new MaskSelection.Layer("fc1.weight", new float[] {5, 6, 7, 8}, alive(4)),
                new MaskSelection.Layer("out.weight", new float[] {0.1f, 0.2f}, alive(2))), 0.5, Scope.GLOBAL, "magnitude"));
        assertTrue(e.getMessage().startsWith("magnitude: sparsity 0.5 would leave no weight in out.weight"), e.getMessage());
    }

    @Test
    void aPerLayerShareThatRoundsToNothingIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> MaskSelection.select(List.of(
                new MaskSelection.Layer("out.weight", new float[] {0.1f, 0.2f, 0.3f, 0.4f}, alive(4))), 0.9,
                Scope.LAYER, "magnitude"));
        assertTrue(e.getMessage().contains("no weight in out.weight"), e.getMessage());
    }

    @Test
    void keptCountsRoundToTheNearestWeight() {
        assertEquals(26880, MaskSelection.kept(268800, 0.9));
        assertEquals(53760, MaskSelection.kept(268800, 0.8));
        assertEquals(0, MaskSelection.kept(4, 0.9));
        assertEquals(1, MaskSelection.kept(10, 0.9));
    }

    @Test
    void rampsReachTheFinalSparsityAtTheLastStage() {
        assertEquals(0.7, SparsityRamp.CUBIC.target(1, 2, 0.8), 1e-12);
        assertEquals(0.8, SparsityRamp.CUBIC.target(2, 2, 0.8), 1e-12);
        assertEquals(1 - Math.sqrt(0.2), SparsityRamp.GEOMETRIC.target(1, 2, 0.8), 1e-12);
        assertEquals(0.8, SparsityRamp.GEOMETRIC.target(2, 2, 0.8), 1e-12);
        // cubic: 0.9 (1 - (2/3)^3) = 0.9 * 19/27
        assertEquals(0.9 * 19 / 27, SparsityRamp.CUBIC.target(1, 3, 0.9), 1e-12);
    }

    @Test
    void theClockSpreadsStagesFromBeginToEnd() {
        PruneClock clock = new PruneClock(3, 0.2, 0.6);
        assertEquals(20, clock.stepOf(1, 100));
        assertEquals(40, clock.stepOf(2, 100));
        assertEquals(60, clock.stepOf(3, 100));
        assertEquals(60, new PruneClock(1, 0.2, 0.6).stepOf(1, 100));
        clock.stepped(18, 100);
        assertEquals(false, clock.fires());
        clock.stepped(19, 100);
        assertEquals(true, clock.fires());
        assertEquals(1, clock.advance());
        assertEquals(false, clock.fires());
        clock.stepped(99, 100);
        assertEquals(3, clock.advance());
        assertEquals(false, clock.fires());
    }
}
