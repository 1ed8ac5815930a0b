package io.graft.plugin.triggers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginFactory;
import io.graft.api.Requirement;
import io.graft.api.Stateful;
import io.graft.api.config.ConfigException;
import io.graft.api.config.ConfigKey;
import io.graft.api.config.PluginConfig;
import io.graft.api.trigger.TriggerCondition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TriggerFactoriesTest {

    private final PlateauFactory plateau = new PlateauFactory();
    private final BudgetFactory budget = new BudgetFactory();
    private final TaskBoundaryFactory taskBoundary = new TaskBoundaryFactory();
    private final ScheduleFactory schedule = new ScheduleFactory();

    private static List<String> keys(PluginFactory factory) {
        return factory.descriptor().config().keys().stream().map(ConfigKey::name).toList();
    }

    private static PluginConfig bind(PluginFactory factory, Map<String, ?> raw) {
        return factory.descriptor().config().bind(raw);
    }

    @Test
    void eachFactoryDescribesOneTriggerCondition() {
        assertEquals(List.of("plateau", "budget", "task-boundary", "schedule"),
                List.of(plateau, budget, taskBoundary, schedule).stream().map(f -> f.descriptor().id()).toList());
        for (PluginFactory f : List.of(plateau, budget, taskBoundary, schedule)) {
            assertEquals(Set.of(Contract.TRIGGER_CONDITION), f.descriptor().contracts(), f.descriptor().id());
        }
        assertEquals(Set.of(Requirement.TASK_BOUNDARIES), taskBoundary.descriptor().requirements());
        assertEquals(Set.of(), plateau.descriptor().requirements());
        assertEquals(List.of("patience", "threshold", "thresholdMode", "smoothing", "cooldown", "warmup"), keys(plateau));
        assertEquals(List.of("maxParameters", "maxFlops"), keys(budget));
        assertEquals(List.of("every", "skipFirst"), keys(taskBoundary));
        assertEquals(List.of("steps", "every"), keys(schedule));
    }

    @Test
    void plateauDefaultsBindAndEveryRunGetsAFreshStatefulInstance() {
        PluginConfig config = bind(plateau, Map.of());
        assertEquals(new PlateauSettings(500, 0.01, ThresholdMode.RELATIVE, 0.98, 500, 100), PlateauSettings.from(config));
        Plugin a = plateau.create(config);
        Plugin b = plateau.create(config);
        assertNotSame(a, b);
        assertInstanceOf(TriggerCondition.class, a);
        assertInstanceOf(Stateful.class, a);
    }

    @Test
    void userValuesAreTyped() {
        assertEquals(new PlateauSettings(3, 0.05, ThresholdMode.ABSOLUTE, 0, 10, 0), PlateauSettings.from(bind(plateau,
                Map.of("patience", "3", "threshold", 0.05, "thresholdMode", "absolute", "smoothing", 0,
                        "cooldown", 10, "warmup", 0))));
        assertEquals(new BudgetSettings(100_000, 0), BudgetSettings.from(bind(budget, Map.of("maxParameters", 100_000))));
        assertEquals(new TaskBoundarySettings(2, true),
                TaskBoundarySettings.from(bind(taskBoundary, Map.of("every", 2, "skipFirst", "true"))));
        ScheduleSettings listed = ScheduleSettings.from(bind(schedule, Map.of("steps", "1000, 2000")));
        assertArrayEquals(new long[] {1000, 2000}, listed.steps());
        assertEquals(0, listed.every());
        ScheduleSettings periodic = ScheduleSettings.from(bind(schedule, Map.of("every", 500)));
        assertArrayEquals(new long[0], periodic.steps());
        assertEquals(500, periodic.every());
        for (PluginFactory f : List.of(budget, taskBoundary, schedule)) {
            PluginConfig c = bind(f, f == budget ? Map.of("maxParameters", 10) : f == schedule
                    ? Map.of("every", 5) : Map.of());
            assertInstanceOf(TriggerCondition.class, f.create(c));
            assertNotSame(f.create(c), f.create(c));
        }
        assertInstanceOf(Stateful.class, taskBoundary.create(bind(taskBoundary, Map.of())));
    }

    @Test
    void invalidValuesAreRefusedNamingTheirKey() {
        assertRejected(plateau, "patience", Map.of("patience", -1));
        assertRejected(plateau, "patience", Map.of("patience", 0));
        assertRejected(plateau, "threshold", Map.of("threshold", -0.01));
        assertRejected(plateau, "threshold", Map.of("threshold", "NaN"));
        assertRejected(plateau, "threshold", Map.of("threshold", 1.5));
        assertRejected(plateau, "thresholdMode", Map.of("thresholdMode", "percent"));
        assertRejected(plateau, "smoothing", Map.of("smoothing", 1));
        assertRejected(plateau, "smoothing", Map.of("smoothing", -0.5));
        assertRejected(plateau, "cooldown", Map.of("cooldown", -1));
        assertRejected(plateau, "warmup", Map.of("warmup", -10));
        assertRejected(plateau, "patients", Map.of("patients", 10));

        assertRejected(budget, "maxParameters", Map.of());
        assertRejected(budget, "maxParameters", Map.of("maxParameters", -5));
        assertRejected(budget, "maxFlops", Map.of("maxFlops", -1));

        assertRejected(taskBoundary, "every", Map.of("every", 0));
        assertRejected(taskBoundary, "skipFirst", Map.of("skipFirst", "yes"));

        assertRejected(schedule, "steps", Map.of());
        assertRejected(schedule, "steps", Map.of("steps", ""));
        assertRejected(schedule, "steps", Map.of("steps", "1000, 500"));
        assertRejected(schedule, "steps", Map.of("steps", "0, 100"));
        assertRejected(schedule, "steps", Map.of("steps", "soon"));
        assertRejected(schedule, "every", Map.of("every", -100));
        assertRejected(schedule, "every", Map.of("steps", "1000", "every", 500));
    }

    @Test
    void anAbsoluteThresholdMayExceedOne() {
        assertEquals(2.5, PlateauSettings.from(bind(plateau, Map.of("threshold", 2.5, "thresholdMode", "absolute")))
                .threshold());
    }

    /** Binds and creates as the host does; the refusal must come as one line naming the key. */
    private static void assertRejected(PluginFactory factory, String key, Map<String, ?> raw) {
        ConfigException e = assertThrows(ConfigException.class, () -> factory.create(bind(factory, raw)));
        assertEquals(key, e.key(), e.getMessage());
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
}
