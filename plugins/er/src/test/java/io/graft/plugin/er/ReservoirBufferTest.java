package io.graft.plugin.er;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReservoirBufferTest {

    /** Offers samples whose label is their stream position, in batches of {@code batch}. */
    private static void offer(ReservoirBuffer buffer, int from, int to, int batch, Random random) {
        buffer.requireSampleShape(new long[] {1});
        for (int start = from; start < to; start += batch) {
            int n = Math.min(batch, to - start);
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = start + i;
            }
            int[] slots = buffer.admit(n, random);
            for (int i = 0; i < n; i++) {
                if (slots[i] >= 0) {
                    buffer.put(slots[i], x, i, start + i, 7);
                }
            }
        }
    }

    @Test
    void fillsUpThenKeepsExactlyItsCapacity() {
        ReservoirBuffer buffer = new ReservoirBuffer(100);
        Random random = new Random(1);
        offer(buffer, 0, 60, 32, random);
        assertEquals(60, buffer.filled());
        assertArrayEquals(java.util.stream.LongStream.range(0, 60).toArray(), buffer.storedLabels(),
                "below capacity every sample is kept, in order");
        offer(buffer, 60, 5000, 32, random);
        assertEquals(100, buffer.filled());
        assertEquals(5000, buffer.seen());
        long[] labels = buffer.storedLabels();
        assertEquals(100, Arrays.stream(labels).distinct().count(), "no sample is held twice");
        float[] x = buffer.storedFeatures();
        for (int i = 0; i < 100; i++) {
            assertEquals(labels[i], (long) x[i], "features and label of a slot belong to the same sample");
        }
    }

    /**
     * After {@code seen} samples each stream position must be held with probability capacity/seen, whatever
     * its place in the stream: checked over many independent streams with a fixed seed.
     */
    @Test
    void everyStreamPositionIsKeptWithProbabilityCapacityOverSeen() {
        int capacity = 50;
        int stream = 500;
        int trials = 4000;
        int[] kept = new int[stream];
        Random random = new Random(20261124L);
        for (int t = 0; t < trials; t++) {
            ReservoirBuffer buffer = new ReservoirBuffer(capacity);
            offer(buffer, 0, stream, 32, random);
            for (long position : buffer.storedLabels()) {
                kept[(int) position]++;
            }
        }
        double p = (double) capacity / stream;
        double se = Math.sqrt(p * (1 - p) / trials);
        for (int i = 0; i < stream; i++) {
            assertEquals(p, kept[i] / (double) trials, 5 * se, "position " + i);
        }
        // no drift along the stream: first, middle and last tenth agree closely
        for (int from : new int[] {0, 225, 450}) {
            double mean = Arrays.stream(kept, from, from + 50).sum() / (50.0 * trials);
            assertEquals(p, mean, 4 * se / Math.sqrt(50), "positions " + from + ".." + (from + 49));
        }
    }

    @Test
    void drawsDistinctFilledSlotsUniformly() {
        ReservoirBuffer buffer = new ReservoirBuffer(40);
        Random random = new Random(5);
        offer(buffer, 0, 25, 25, random);
        int[] counts = new int[40];
        int draws = 20000;
        for (int d = 0; d < draws; d++) {
            int[] slots = buffer.draw(10, random);
            Set<Integer> distinct = new HashSet<>();
            for (int s : slots) {
                assertTrue(s >= 0 && s < 25, "only filled slots: " + s);
                distinct.add(s);
                counts[s]++;
            }
            assertEquals(10, distinct.size(), "without replacement");
        }
        double expected = draws * 10 / 25.0;
        for (int s = 0; s < 25; s++) {
            assertEquals(expected, counts[s], 5 * Math.sqrt(expected), "slot " + s);
        }
        // the pool stays a permutation of the filled slots while the memory grows
        offer(buffer, 25, 40, 5, random);
        int[] all = buffer.draw(40, random);
        Arrays.sort(all);
        assertArrayEquals(java.util.stream.IntStream.range(0, 40).toArray(), all);
        assertThrows(IllegalArgumentException.class, () -> buffer.draw(41, random));
    }

    @Test
    void refusesSamplesOfAnotherShape() {
        ReservoirBuffer buffer = new ReservoirBuffer(10);
        buffer.requireSampleShape(new long[] {1, 28, 28});
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> buffer.requireSampleShape(new long[] {784}));
        assertTrue(e.getMessage().contains("[1, 28, 28]"), e.getMessage());
    }

    @Test
    void restoreKeepsAtMostTheCapacity() {
        ReservoirBuffer big = new ReservoirBuffer(30);
        offer(big, 0, 100, 10, new Random(3));
        ReservoirBuffer small = new ReservoirBuffer(20);
        small.restore(big.sampleShape(), big.storedFeatures(), big.storedLabels(), big.storedTasks(), big.seen());
        assertEquals(20, small.filled());
        assertEquals(100, small.seen());
        assertArrayEquals(Arrays.copyOf(big.storedLabels(), 20), small.storedLabels());
        assertArrayEquals(Arrays.copyOf(big.storedFeatures(), 20), small.storedFeatures());
    }
}
