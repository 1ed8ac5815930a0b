package io.graft.runtime.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.graft.api.model.TaskInfo;
import io.graft.runtime.UserException;
import io.graft.runtime.config.ConfigLoader;
import io.graft.runtime.config.ExperimentConfig;
import io.graft.runtime.config.ScenarioConfig;
import io.graft.runtime.config.ScenarioConfig.Order;
import io.graft.runtime.config.ScenarioConfig.Type;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskOrderTest {

    @TempDir
    Path dir;

    private static ScenarioConfig split(int tasks, Order order, Long orderSeed) {
        return new ScenarioConfig(Type.SPLIT, tasks, 2, null, null, order, orderSeed);
    }

    /**
     * 2x2 images of 8 classes, 100 training and 100 test samples each: a pair of classes is one split task
     * whose two class means are {@code gap} apart in every pixel, with uniform noise of width 2. Tasks (0,1):
     * gap 0.05 (hardest) ... (6,7): gap 0.9 (easiest), but (2,3) easier than (4,5).
     */
    static ImageData graded() {
        double[] gaps = {0.05, 0.6, 0.3, 0.9};
        Random random = new Random(5);
        int perClass = 100;
        int n = 8 * perClass;
        float[][] px = new float[2][n * 4];
        int[][] labels = new int[2][n];
        for (int set = 0; set < 2; set++) {
            for (int i = 0; i < n; i++) {
                int label = i % 8;
                labels[set][i] = label;
                double centre = 0.5 + (label % 2 == 0 ? -1 : 1) * gaps[label / 2] / 2;
                for (int k = 0; k < 4; k++) {
                    px[set][i * 4 + k] = (float) (centre + 2 * (random.nextDouble() - 0.5));
                }
            }
        }
        return new ImageData(new ImageSet(px[0], labels[0], 2, 2), new ImageSet(px[1], labels[1], 2, 2));
    }

    private static int[] dealtOrder(Scenario s) {
        return s.order();
    }

    private static boolean isPermutation(int[] order, int n) {
        Set<Integer> seen = new HashSet<>();
        for (int i : order) {
            if (i < 0 || i >= n || !seen.add(i)) {
                return false;
            }
        }
        return seen.size() == n;
    }

    @Test
    void givenIsTheDealtOrder() {
        Scenario s = Scenarios.create(new ScenarioConfig(Type.SPLIT, 4, 2, null), graded(), 1);
        assertArrayEquals(new int[] {0, 1, 2, 3}, s.order());
        assertEquals("given", s.orderRule());
        assertEquals("classes 6,7", s.task(3).name());
    }

    @Test
    void explicitOrderPermutesTheTasksAndKeepsTheirIdentity() {
        Scenario given = Scenarios.create(split(4, null, null), graded(), 1);
        Scenario s = Scenarios.create(split(4, Order.of(List.of(3, 1, 0, 2)), null), graded(), 1);
        assertArrayEquals(new int[] {3, 1, 0, 2}, s.order());
        assertEquals("explicit", s.orderRule());
        for (int t = 0; t < 4; t++) {
            TaskInfo task = s.task(t);
            assertEquals(t, task.index(), "the index is the position in training order");
            TaskInfo same = given.task(s.order()[t]);
            assertEquals(same.name(), task.name());
            assertArrayEquals(same.classes(), task.classes());
            assertArrayEquals(given.trainIndices(s.order()[t]), s.trainIndices(t));
            assertArrayEquals(given.testIndices(s.order()[t]), s.testIndices(t));
            assertEquals(t, s.trainData(t).task(), "batches carry the position");
        }
        assertEquals("classes 6,7", s.task(0).name());
    }

    @Test
    void orderIsIndependentOfClassOrder() {
        ScenarioConfig c = new ScenarioConfig(Type.SPLIT, 2, 2, List.of(7, 6, 5, 4, 3, 2, 1, 0), null,
                Order.of(List.of(1, 0)), null);
        Scenario s = Scenarios.create(c, graded(), 1);
        assertEquals("classes 5,4", s.task(0).name());
        assertEquals("classes 7,6", s.task(1).name());
    }

    @Test
    void randomOrderIsAPermutationReproducibleFromTheSeed() {
        int n = 4;
        Set<String> seen = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            int[] a = Scenarios.create(split(n, Order.RANDOM, null), graded(), seed).order();
            assertTrue(isPermutation(a, n), Arrays.toString(a));
            assertArrayEquals(a, Scenarios.create(split(n, Order.RANDOM, null), graded(), seed).order());
            seen.add(Arrays.toString(a));
        }
        assertTrue(seen.size() > 5, "the run seed varies the order: " + seen);
        // orderSeed fixes the order whatever the run seed, and varies it by itself
        int[] fixed = Scenarios.create(split(n, Order.RANDOM, 7L), graded(), 1).order();
        assertArrayEquals(fixed, Scenarios.create(split(n, Order.RANDOM, 7L), graded(), 2).order());
        Set<String> bySeed = new HashSet<>();
        for (long orderSeed = 0; orderSeed < 20; orderSeed++) {
            bySeed.add(Arrays.toString(Scenarios.create(split(n, Order.RANDOM, orderSeed), graded(), 1).order()));
        }
        assertTrue(bySeed.size() > 5, bySeed.toString());
        assertEquals("random", Scenarios.create(split(n, Order.RANDOM, 7L), graded(), 1).orderRule());
    }

    @Test
    void randomOrderOfManyPermutedTasksIsReproducible() {
        ScenarioConfig c = new ScenarioConfig(Type.PERMUTED, 10, null, null, null, Order.RANDOM, 3L);
        Scenario a = Scenarios.create(c, ScenariosTest.data(), 11);
        Scenario b = Scenarios.create(c, ScenariosTest.data(), 11);
        assertTrue(isPermutation(a.order(), 10));
        assertArrayEquals(a.order(), b.order());
        Scenario given = Scenarios.create(new ScenarioConfig(Type.PERMUTED, 10, null, null), ScenariosTest.data(), 11);
        for (int t = 0; t < 10; t++) {
            int d = a.order()[t];
            assertEquals(d == 0 ? "identity" : "permutation " + d, a.task(t).name());
            assertArrayEquals(given.permutation(d), a.permutation(t), "a permutation belongs to its dealt task");
        }
    }

    @Test
    void easyToHardIsSortedByMeasuredDifficulty() {
        Scenario given = Scenarios.create(split(4, null, null), graded(), 1);
        double[] d = given.difficulties();
        // the graded data: task 3 (gap 0.9) easiest, then 1 (0.6), 2 (0.3), 0 (0.05)
        assertTrue(d[3] < d[1] && d[1] < d[2] && d[2] < d[0], Arrays.toString(d));
        Scenario easy = Scenarios.create(split(4, Order.EASY_TO_HARD, null), graded(), 1);
        assertArrayEquals(new int[] {3, 1, 2, 0}, easy.order());
        assertEquals("easy-to-hard", easy.orderRule());
        for (int t = 0; t < 4; t++) {
            assertEquals(d[easy.order()[t]], easy.difficulty(t), "difficulty follows its task");
            if (t > 0) {
                assertTrue(easy.difficulty(t - 1) <= easy.difficulty(t), "ascending error");
            }
        }
        assertEquals("classes 6,7", easy.task(0).name());
        Scenario hard = Scenarios.create(split(4, Order.HARD_TO_EASY, null), graded(), 1);
        assertArrayEquals(new int[] {0, 2, 1, 3}, hard.order());
        for (int t = 1; t < 4; t++) {
            assertTrue(hard.difficulty(t - 1) >= hard.difficulty(t), "descending error");
        }
        // measured from the data alone: the run seed does not matter
        assertArrayEquals(easy.order(), Scenarios.create(split(4, Order.EASY_TO_HARD, null), graded(), 99).order());
    }

    @Test
    void tiesKeepTheDealtOrder() {
        // pixel permutations do not change a nearest-class-mean classifier: every permuted task measures the same
        ScenarioConfig c = new ScenarioConfig(Type.PERMUTED, 4, null, null, null, Order.HARD_TO_EASY, null);
        Scenario s = Scenarios.create(c, graded(), 1);
        double d0 = s.difficulty(0);
        for (int t = 0; t < 4; t++) {
            assertEquals(d0, s.difficulty(t));
        }
        assertArrayEquals(new int[] {0, 1, 2, 3}, s.order());
        assertArrayEquals(new int[] {3, 0, 1, 2}, Scenarios.byDifficulty(new double[] {0.2, 0.3, 0.3, 0.1}, false));
        assertArrayEquals(new int[] {1, 2, 0, 3}, Scenarios.byDifficulty(new double[] {0.2, 0.3, 0.3, 0.1}, true));
    }

    @Test
    void badOrdersGiveOneLineNamingTheKey() {
        assertEquals("scenario.order lists task 2 twice; list each task index 0..3 exactly once, e.g. [3,2,1,0]",
                error(split(4, Order.of(List.of(0, 2, 2, 1)), null)));
        assertEquals("scenario.order names task 4, but the tasks are numbered 0..3; list each task index 0..3"
                + " exactly once, e.g. [3,2,1,0]", error(split(4, Order.of(List.of(0, 1, 2, 4)), null)));
        assertEquals("scenario.order names task -1, but the tasks are numbered 0..3; list each task index 0..3"
                + " exactly once, e.g. [3,2,1,0]", error(split(4, Order.of(List.of(-1, 1, 2, 0)), null)));
        assertEquals("scenario.order lists 3 of the 4 tasks; list each task index 0..3 exactly once, e.g. [3,2,1,0]",
                error(split(4, Order.of(List.of(0, 1, 2)), null)));
        assertEquals("scenario.order is 'hardest'; use given, random, easy-to-hard or hard-to-easy, or list the"
                + " task indices in training order, e.g. [3,2,1,0]", error(split(4, Order.named("Hardest "), null)));
        assertEquals("scenario.orderSeed applies to scenario.order: random only; remove it or set scenario.order:"
                + " random", error(split(4, Order.EASY_TO_HARD, 3L)));
    }

    @Test
    void badAnglesGiveOneLineNamingTheKey() {
        assertEquals("scenario.angles lists 3 angles but scenario.tasks is 5; list one angle per task, or remove"
                + " scenario.angles for the default 0, 36, 72, 108, 144 (t x 180 / 5)",
                error(new ScenarioConfig(Type.ROTATED, 5, null, null, List.of(0.0, 45.0, 90.0), null, null)));
        assertEquals("scenario.angles applies to rotated scenarios only; remove it or set scenario.type: rotated",
                error(new ScenarioConfig(Type.PERMUTED, 2, null, null, List.of(0.0, 45.0), null, null)));
        assertEquals("scenario.angles.1 is NaN; give every angle as a finite number of degrees",
                error(new ScenarioConfig(Type.ROTATED, 2, null, null, List.of(0.0, Double.NaN), null, null)));
        assertEquals("scenario.classOrder applies to split scenarios only; remove it or set scenario.type: split",
                error(new ScenarioConfig(Type.ROTATED, 2, null, List.of(0, 1), null, null, null)));
    }

    private static String error(ScenarioConfig c) {
        UserException e = assertThrows(UserException.class, () -> Scenarios.create(c, graded(), 1));
        assertEquals(UserException.BAD_CONFIG, e.exitCode());
        assertFalse(e.getMessage().contains("\n"));
        // the same check is available before any data is loaded
        UserException early = assertThrows(UserException.class, () -> Scenarios.check(c));
        assertEquals(e.getMessage(), early.getMessage());
        return e.getMessage();
    }

    @Test
    void yamlBindsNamesListsAndOverridesAndRoundTrips() throws IOException {
        Path file = Files.writeString(dir.resolve("exp.yaml"), """
                data: {dir: d}
                scenario: {type: rotated, tasks: 3, angles: [0, 22.5, 90], order: [2, 0, 1]}
                """);
        ExperimentConfig c = ConfigLoader.load(file, List.of());
        assertEquals(Type.ROTATED, c.scenario().type());
        assertEquals(List.of(0.0, 22.5, 90.0), c.scenario().angles());
        assertEquals(Order.of(List.of(2, 0, 1)), c.scenario().order());
        ExperimentConfig named = ConfigLoader.load(file, List.of("scenario.order=Easy-To-Hard", "scenario.angles=[1,2,3]"));
        assertEquals(Order.EASY_TO_HARD, named.scenario().order());
        assertEquals(List.of(1.0, 2.0, 3.0), named.scenario().angles());
        ExperimentConfig random = ConfigLoader.load(file, List.of("scenario.order=random", "scenario.orderSeed=9"));
        assertEquals(Order.RANDOM, random.scenario().order());
        assertEquals(9L, random.scenario().orderSeed());
        ExperimentConfig list = ConfigLoader.load(file, List.of("scenario.order=[1,2,0]"));
        assertEquals(Order.of(List.of(1, 2, 0)), list.scenario().order());

        // the resolved config (config.yaml, summary.json) writes the order as written and reads back equal
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (ExperimentConfig e : List.of(c, named, random)) {
            Path again = Files.writeString(dir.resolve("again.yaml"), yaml.writeValueAsString(e));
            assertEquals(e.scenario(), ConfigLoader.load(again, List.of()).scenario());
        }
        assertTrue(yaml.writeValueAsString(named).contains("order: \"easy-to-hard\""), yaml.writeValueAsString(named));
    }

    @Test
    void defaultsAreUnchanged() throws IOException {
        Path file = Files.writeString(dir.resolve("exp.yaml"), "data: {dir: d}\n");
        ScenarioConfig s = ConfigLoader.load(file, List.of()).scenario();
        assertEquals(new ScenarioConfig(Type.SPLIT, 5, 2, null), s);
        assertEquals(Order.GIVEN, s.order());
        assertEquals(null, s.angles());
        assertEquals(null, s.orderSeed());
    }

    @Test
    void wrongTypesInTheOrderListNameTheEntry() throws IOException {
        Path file = Files.writeString(dir.resolve("exp.yaml"), "data: {dir: d}\nscenario: {order: [1, x]}\n");
        UserException e = assertThrows(UserException.class, () -> ConfigLoader.load(file, List.of()));
        assertEquals(UserException.BAD_CONFIG, e.exitCode());
        assertTrue(e.getMessage().contains("scenario.order"), e.getMessage());
        assertNotEquals(-1, e.getMessage().indexOf("whole number"), e.getMessage());
    }

    @Test
    void oneTaskScenariosOrderTrivially() {
        for (Order o : List.of(Order.GIVEN, Order.RANDOM, Order.EASY_TO_HARD, Order.HARD_TO_EASY, Order.of(List.of(0)))) {
            assertArrayEquals(new int[] {0}, dealtOrder(Scenarios.create(split(1, o, null), graded(), 1)));
        }
    }
}
