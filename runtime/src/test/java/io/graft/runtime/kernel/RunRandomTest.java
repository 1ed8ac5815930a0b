package io.graft.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The run's random streams: java.util.Random's numbers, with a state a checkpoint can keep. */
class RunRandomTest {

    @Test
    void itDrawsExactlyWhatJavaUtilRandomDraws() {
        for (long seed : new long[] {0, 1, 42, -7, Long.MAX_VALUE}) {
            Random reference = new Random(seed);
            RunRandom ours = new RunRandom(seed);
            for (int i = 0; i < 200; i++) {
                assertEquals(reference.nextInt(1000), ours.nextInt(1000));
                assertEquals(reference.nextFloat(), ours.nextFloat());
                assertEquals(reference.nextGaussian(), ours.nextGaussian());
                assertEquals(reference.nextLong(), ours.nextLong());
                assertEquals(reference.nextDouble(), ours.nextDouble());
            }
        }
    }

    @Test
    void aRestoredStateGoesOnWithTheSameNumbers() {
        RunRandom a = new RunRandom(9);
        a.nextGaussian();   // leaves a cached Gaussian: part of the state
        String saved = a.state();
        double[] expected = {a.nextGaussian(), a.nextDouble(), a.nextInt(77), a.nextGaussian()};
        RunRandom b = new RunRandom(123);
        b.restore(saved);
        assertEquals(expected[0], b.nextGaussian());
        assertEquals(expected[1], b.nextDouble());
        assertEquals(expected[2], b.nextInt(77));
        assertEquals(expected[3], b.nextGaussian());
    }
}
