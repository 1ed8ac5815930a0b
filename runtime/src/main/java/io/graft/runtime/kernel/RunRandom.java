package io.graft.runtime.kernel;

import java.util.Random;

/**
 * A {@link Random} whose state can be read and set, so that a checkpoint can store where every random stream of a
 * run stands and a resumed run draws exactly the numbers the uninterrupted one would. It produces the same sequence
 * as {@code java.util.Random} for the same seed (the same 48-bit linear congruential generator, the same polar
 * method for Gaussians), so runs are unchanged by using it.
 */
final class RunRandom extends Random {

    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long ADDEND = 0xBL;
    private static final long MASK = (1L << 48) - 1;

    private long state;
    private double nextNextGaussian;
    private boolean haveNextNextGaussian;

    /** @param seed the seed, as for {@code new Random(seed)} */
    RunRandom(long seed) {
        super(0);
        setSeed(seed);
    }

    @Override
    public synchronized void setSeed(long seed) {
        // called once by Random's constructor before our fields exist; the real seed is set right after
        state = (seed ^ MULTIPLIER) & MASK;
        haveNextNextGaussian = false;
    }

    @Override
    protected synchronized int next(int bits) {
        state = (state * MULTIPLIER + ADDEND) & MASK;
        return (int) (state >>> (48 - bits));
    }

    @Override
    public synchronized double nextGaussian() {
        if (haveNextNextGaussian) {
            haveNextNextGaussian = false;
            return nextNextGaussian;
        }
        double v1;
        double v2;
        double s;
        do {
            v1 = 2 * nextDouble() - 1;
            v2 = 2 * nextDouble() - 1;
            s = v1 * v1 + v2 * v2;
        } while (s >= 1 || s == 0);
        double multiplier = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
        nextNextGaussian = v2 * multiplier;
        haveNextNextGaussian = true;
        return v1 * multiplier;
    }

    /** @return the generator's whole state, as text: {@code state:haveGaussian:gaussianBits} */
    synchronized String state() {
        return state + ":" + haveNextNextGaussian + ":" + Double.doubleToRawLongBits(nextNextGaussian);
    }

    /**
     * @param saved what {@link #state()} returned
     * @throws IllegalArgumentException for text of another form
     */
    synchronized void restore(String saved) {
        String[] parts = saved.split(":");
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a random generator's state: " + saved);
        }
        state = Long.parseLong(parts[0]);
        haveNextNextGaussian = Boolean.parseBoolean(parts[1]);
        nextNextGaussian = Double.longBitsToDouble(Long.parseLong(parts[2]));
    }
}
