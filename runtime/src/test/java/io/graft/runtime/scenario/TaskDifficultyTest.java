package io.graft.runtime.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TaskDifficultyTest {

    @Test
    void nearestClassMeanErrorByHand() {
        // 1x2 images; class 0 mean (0, 0), class 1 mean (1, 1), class 2 never trained on
        ImageSet train = new ImageSet(new float[] {0, 0, 0, 0, 1, 1}, new int[] {0, 0, 1}, 1, 2);
        // (0.1, 0.1) -> 0 right; (0.6, 0.6) labelled 0 -> nearer 1: wrong; (0.9, 0.9) -> 1 right; (0.5, 0.5) tie -> 0
        ImageSet test = new ImageSet(new float[] {0.1f, 0.1f, 0.6f, 0.6f, 0.9f, 0.9f, 0.5f, 0.5f, 0.4f, 0.4f},
                new int[] {0, 0, 1, 0, 2}, 1, 2);
        int[] all = {0, 1, 2};
        assertEquals(1 / 3.0, TaskDifficulty.nearestClassMeanError(train, all, test, new int[] {0, 1, 2},
                new int[] {0, 1}, null), 1e-12);
        assertEquals(0.0, TaskDifficulty.nearestClassMeanError(train, all, test, new int[] {0, 2, 3},
                new int[] {0, 1}, null), 1e-12, "ties go to the class listed first");
        assertEquals(2 / 5.0, TaskDifficulty.nearestClassMeanError(train, all, test, new int[] {0, 1, 2, 3, 4},
                new int[] {0, 1, 2}, null), 1e-12, "a class without training samples is never predicted");
        // swapping the two pixels changes nothing for this symmetric data
        assertEquals(1 / 3.0, TaskDifficulty.nearestClassMeanError(train, all, test, new int[] {0, 1, 2},
                new int[] {0, 1}, SamplingMap.permutation(new int[] {1, 0})), 1e-12);
        assertTrue(Double.isNaN(TaskDifficulty.nearestClassMeanError(train, all, test, new int[0],
                new int[] {0, 1}, null)));
    }
}
