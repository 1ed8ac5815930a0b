package io.graft.plugin.agem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class EpisodicMemoryTest {

    private static float[] rows(int n, float base) {
        float[] x = new float[n * 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = base + i;
        }
        return x;
    }

    private static long[] labels(int n, long label) {
        long[] y = new long[n];
        java.util.Arrays.fill(y, label);
        return y;
    }

    @Test
    void finishedTasksShareTheCapacityEquallyAndKeepAPrefix() {
        EpisodicMemory m = new EpisodicMemory(5);
        assertEquals(5, m.shareOfNext());
        m.add(0, new long[] {2}, rows(5, 0), labels(5, 0));
        assertEquals(5, m.size());
        assertEquals(2, m.shareOfNext()); // 5 over two tasks: 3 + 2, the newest gets 2
        m.add(1, new long[] {2}, rows(2, 100), labels(2, 1));
        assertEquals(List.of(3, 2), m.slices().stream().map(EpisodicMemory.Slice::rows).toList());
        assertArrayEquals(rows(3, 0), m.slices().get(0).features(), 0f);
        assertEquals(1, m.shareOfNext()); // 2 + 2 + 1
        m.add(2, new long[] {2}, rows(4, 200), labels(4, 2)); // more than its share: cut
        assertEquals(List.of(2, 2, 1), m.slices().stream().map(EpisodicMemory.Slice::rows).toList());
        assertEquals(5, m.size());
        assertArrayEquals(new long[] {0, 0, 1, 1, 2}, m.allLabels());
        assertArrayEquals(new float[] {0, 1, 2, 3, 100, 101, 102, 103, 200, 201}, m.allFeatures(), 0f);
    }

    @Test
    void sharesCoverTheCapacityExactly() {
        for (int capacity = 1; capacity < 40; capacity++) {
            for (int tasks = 1; tasks < 12; tasks++) {
                int sum = 0;
                for (int i = 0; i < tasks; i++) {
                    sum += EpisodicMemory.share(capacity, tasks, i);
                }
                assertEquals(capacity, sum);
            }
        }
    }

    @Test
    void samplesOfAnotherShapeAreRefused() {
        EpisodicMemory m = new EpisodicMemory(10);
        m.add(0, new long[] {2}, rows(1, 0), labels(1, 0));
        assertThrows(IllegalStateException.class, () -> m.add(1, new long[] {3}, new float[3], labels(1, 1)));
        assertThrows(IllegalArgumentException.class, () -> m.add(1, new long[] {2}, new float[3], labels(1, 1)));
    }

    @Test
    void restoreTrimsToTheShares() {
        EpisodicMemory m = new EpisodicMemory(3);
        m.restore(new long[] {2}, List.of(new EpisodicMemory.Slice(0, rows(3, 0), labels(3, 0)),
                new EpisodicMemory.Slice(1, rows(3, 10), labels(3, 1))));
        assertEquals(List.of(2, 1), m.slices().stream().map(EpisodicMemory.Slice::rows).toList());
        m.restore(null, List.of());
        assertEquals(0, m.size());
    }
}
