package io.graft.plugin.er;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ClassBalancedBufferTest {

    /**
     * Offers samples {@code from..to-1} in batches of {@code batch}; sample {@code s} has label {@code label[s]},
     * feature {@code s} and task {@code s}, so that a slot can be traced back to its stream position.
     */
    private static void offer(ClassBalancedBuffer buffer, long[] label, int from, int to, int batch, Random random) {
        buffer.requireSampleShape(new long[] {1});
        for (int start = from; start < to; start += batch) {
            int n = Math.min(batch, to - start);
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = start + i;
            }
            int[] slots = buffer.offer(n, Arrays.copyOfRange(label, start, start + n), random);
            for (int i = 0; i < n; i++) {
                if (slots[i] >= 0) {
                    buffer.put(slots[i], x, i, label[start + i], start + i);
                }
            }
            assertTrue(buffer.filled() <= buffer.capacity(), "never more than the capacity");
            assertInvariants(buffer);
        }
    }

    /** Every slot holds the class that owns it, and the features, label and task of one sample. */
    private static void assertInvariants(ClassBalancedBuffer buffer) {
        long[] labels = buffer.storedLabels();
        long[] tasks = buffer.storedTasks();
        float[] x = buffer.storedFeatures();
        long[] classes = buffer.classLabels();
        int[] held = buffer.classHeld();
        int[] order = buffer.classSlotOrder();
        assertEquals(buffer.filled(), Arrays.stream(held).sum());
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        assertArrayEquals(IntStream.range(0, buffer.filled()).toArray(), sorted, "every slot owned once");
        int at = 0;
        for (int c = 0; c < classes.length; c++) {
            for (int i = 0; i < held[c]; i++) {
                assertEquals(classes[c], labels[order[at++]], "slot owned by the class of its label");
            }
        }
        for (int s = 0; s < labels.length; s++) {
            assertEquals(tasks[s], (long) x[s], "features and task of slot " + s + " from one sample");
        }
    }

    /** {@code n} samples cycling through classes {@code first..first+k-1}. */
    private static long[] cycle(long[] label, int from, int n, int first, int k) {
        for (int i = 0; i < n; i++) {
            label[from + i] = first + i % k;
        }
        return label;
    }

    private static void assertBalanced(ClassBalancedBuffer buffer, int classes) {
        int[] held = buffer.classHeld();
        assertEquals(classes, held.length);
        assertEquals(buffer.capacity(), Arrays.stream(held).sum(), Arrays.toString(held));
        int min = Arrays.stream(held).min().orElseThrow();
        int max = Arrays.stream(held).max().orElseThrow();
        assertTrue(max - min <= 1, "shares equal +-1: " + Arrays.toString(held));
        assertTrue(min == buffer.capacity() / classes, Arrays.toString(held));
    }

    @Test
    void sharesAreEqualAfterTwoThenFourThenTenClasses() {
        for (int capacity : new int[] {100, 101, 7 * 11 + 3}) {
            for (boolean oldClassesReturn : new boolean[] {false, true}) {
                ClassBalancedBuffer buffer = new ClassBalancedBuffer(capacity);
                Random random = new Random(capacity);
                long[] label = new long[6000];
                // 2 classes, then 2 new ones (alone, or mixed with the old), then 6 new ones
                cycle(label, 0, 1000, 0, 2);
                offer(buffer, label, 0, 1000, 32, random);
                assertBalanced(buffer, 2);
                if (oldClassesReturn) {
                    cycle(label, 1000, 2000, 0, 4);
                } else {
                    cycle(label, 1000, 2000, 2, 2);
                }
                offer(buffer, label, 1000, 3000, 32, random);
                assertBalanced(buffer, 4);
                cycle(label, 3000, 3000, 4, 6);
                offer(buffer, label, 3000, 6000, 32, random);
                assertBalanced(buffer, 10);
                assertEquals(6000, buffer.seen());
            }
        }
    }

    @Test
    void fillsWithEverySampleBeforeItIsFullWhateverTheClasses() {
        ClassBalancedBuffer buffer = new ClassBalancedBuffer(50);
        long[] label = new long[40];
        Arrays.fill(label, 0, 35, 3); // very unbalanced: below capacity nothing is dropped
        Arrays.fill(label, 35, 40, 9);
        offer(buffer, label, 0, 40, 16, new Random(1));
        assertEquals(40, buffer.filled());
        assertArrayEquals(label, buffer.storedLabels());
        assertArrayEquals(new long[] {3, 9}, buffer.classLabels());
        assertArrayEquals(new int[] {35, 5}, buffer.classHeld());
        assertArrayEquals(new long[] {35, 5}, buffer.classSeen());
    }

    /**
     * Class-incremental stream (classes 0,1 then 2,3, interleaved within a task): at the end each class holds
     * capacity/4 slots, and each stream position of a class must be held with probability share/seen, whatever
     * its place in the stream, including the positions of the old classes seen while they held twice as many.
     */
    @Test
    void withinAClassEveryStreamPositionIsKeptWithProbabilityShareOverSeen() {
        int capacity = 40;
        int perTask = 200;
        int trials = 3000;
        long[] label = new long[2 * perTask];
        cycle(label, 0, perTask, 0, 2);
        cycle(label, perTask, perTask, 2, 2);
        int[] kept = new int[label.length];
        Random random = new Random(20261124L);
        for (int t = 0; t < trials; t++) {
            ClassBalancedBuffer buffer = new ClassBalancedBuffer(capacity);
            offer(buffer, label, 0, label.length, 32, random);
            assertArrayEquals(new int[] {10, 10, 10, 10}, buffer.classHeld());
            assertArrayEquals(new long[] {100, 100, 100, 100}, buffer.classSeen());
            for (long position : buffer.storedTasks()) {
                kept[(int) position]++;
            }
        }
        double p = 10.0 / 100;
        double se = Math.sqrt(p * (1 - p) / trials);
        for (int i = 0; i < label.length; i++) {
            assertEquals(p, kept[i] / (double) trials, 5 * se, "position " + i + " (class " + label[i] + ")");
        }
        // no drift along a class's stream: its first, middle and last fifth agree closely
        for (int task = 0; task < 2; task++) {
            for (int from : new int[] {0, 80, 160}) {
                int start = task * perTask + from;
                double mean = Arrays.stream(kept, start, start + 40).sum() / (40.0 * trials);
                assertEquals(p, mean, 4 * se / Math.sqrt(40), "positions " + start + ".." + (start + 39));
            }
        }
    }

    @Test
    void restoredClassesContinueExactlyLikeTheOriginal() {
        long[] label = new long[3000];
        cycle(label, 0, 1000, 0, 2);
        cycle(label, 1000, 2000, 0, 5);
        ClassBalancedBuffer a = new ClassBalancedBuffer(63);
        Random random = new Random(9);
        offer(a, label, 0, 1500, 32, random);

        ClassBalancedBuffer b = new ClassBalancedBuffer(63);
        b.restore(a.sampleShape(), a.storedFeatures(), a.storedLabels(), a.storedTasks(), a.seen());
        assertTrue(b.restoreClasses(a.classLabels(), a.classSeen(), asLongs(a.classHeld()),
                asLongs(a.classSlotOrder())));
        assertArrayEquals(a.classSeen(), b.classSeen());
        assertArrayEquals(a.classSlotOrder(), b.classSlotOrder());

        random.setSeed(77);
        offer(a, label, 1500, 3000, 32, random);
        offer(b, label, 1500, 3000, 32, new Random(77));
        assertArrayEquals(a.storedTasks(), b.storedTasks(), "same samples in the same slots");
        assertArrayEquals(a.storedFeatures(), b.storedFeatures());
        assertArrayEquals(a.classSeen(), b.classSeen());
        assertBalanced(b, 5);
    }

    @Test
    void restoreWithoutUsableClassStateRebuildsItFromTheSamples() {
        long[] label = cycle(new long[900], 0, 900, 0, 3);
        ClassBalancedBuffer big = new ClassBalancedBuffer(30);
        offer(big, label, 0, 900, 10, new Random(3));
        ClassBalancedBuffer small = new ClassBalancedBuffer(20);
        small.restore(big.sampleShape(), big.storedFeatures(), big.storedLabels(), big.storedTasks(), big.seen());
        assertFalse(small.restoreClasses(big.classLabels(), big.classSeen(), asLongs(big.classHeld()),
                asLongs(big.classSlotOrder())), "describes 30 samples, not the 20 kept");
        assertEquals(20, small.filled());
        assertEquals(20, Arrays.stream(small.classHeld()).sum());
        long[] seen = small.classSeen();
        for (int c = 0; c < seen.length; c++) {
            assertTrue(seen[c] >= small.classHeld()[c]);
        }
        assertInvariants(small);
        offer(small, cycle(new long[1800], 900, 900, 0, 3), 900, 1800, 10, new Random(4));
        assertBalanced(small, 3);
    }

    @Test
    void needsTheLabels() {
        ClassBalancedBuffer buffer = new ClassBalancedBuffer(5);
        assertTrue(buffer.needsLabels());
        assertThrows(IllegalArgumentException.class, () -> buffer.offer(3, null, new Random(1)));
    }

    private static long[] asLongs(int[] values) {
        return Arrays.stream(values).asLongStream().toArray();
    }
}
