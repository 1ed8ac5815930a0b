package io.graft.plugin.er;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HerdingTest {

    /**
     * Points 0, 1, 2, 3, 10 on a line, mean 3.2. By hand: pick 3 (nearest the mean); then the running mean
     * (3 + x) / 2 is closest to 3.2 for x = 2; then (5 + x) / 3 for x = 1 (2.0, against 1.67 for 0 and 5.0 for
     * 10); then (6 + x) / 4 for x = 10 (4.0, against 1.5 for 0); then 0.
     */
    @Test
    void pointsOnALineComeInTheHandComputedOrder() {
        double[] points = {0, 1, 2, 3, 10};
        assertArrayEquals(new int[] {3, 2, 1, 4, 0}, Herding.order(points, 5, 1, 5));
    }

    @Test
    void fewerPicksAreAPrefixOfTheFullOrder() {
        double[] points = {0, 0, 1, 0, 0, 1, 2, 2, 5, -1, -3, 0.5};
        int[] all = Herding.order(points, 6, 2, 6);
        for (int m = 0; m <= 6; m++) {
            assertArrayEquals(Arrays.copyOf(all, m), Herding.order(points, 6, 2, m));
        }
    }

    @Test
    void tiesGoToTheLowerIndexAndEveryPickIsDistinct() {
        // mean 0: both are at distance 1 for the first pick; the same point twice is never picked
        assertArrayEquals(new int[] {0, 1}, Herding.order(new double[] {1, -1}, 2, 1, 2));
        assertArrayEquals(new int[] {0, 1, 2}, Herding.order(new double[] {4, 4, 4}, 3, 1, 3));
    }

    @Test
    void refusesMorePicksThanCandidates() {
        assertThrows(IllegalArgumentException.class, () -> Herding.order(new double[] {1, 2}, 2, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> Herding.order(new double[] {1, 2, 3}, 2, 1, 1));
    }
}
