package io.graft.plugin.pruning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginFactory;
import io.graft.api.Stateful;
import io.graft.api.config.ConfigException;
import io.graft.api.config.ConfigKey;
import io.graft.api.config.PluginConfig;
import io.graft.api.gradient.GradientTransform;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FactoriesTest {

    @Test
    void describesThreePrunersThatAreTheirOwnTriggers() {
        assertEquals("magnitude", new MagnitudeFactory().descriptor().id());
        assertEquals("lottery", new LotteryFactory().descriptor().id());
        assertEquals("gradient", new GradientFactory().descriptor().id());
        assertEquals(Set.of(Contract.PRUNER, Contract.TRIGGER_CONDITION), new MagnitudeFactory().descriptor().contracts());
        assertEquals(Set.of(Contract.PRUNER, Contract.TRIGGER_CONDITION), new LotteryFactory().descriptor().contracts());
        assertEquals(Set.of(Contract.PRUNER, Contract.TRIGGER_CONDITION, Contract.GRADIENT_TRANSFORM),
                new GradientFactory().descriptor().contracts());
        assertEquals(List.of("sparsity", "scope", "stages", "begin", "end", "ramp", "exclude"),
                new MagnitudeFactory().descriptor().config().keys().stream().map(ConfigKey::name).toList());
        assertEquals(List.of("sparsity", "rounds", "scope", "rewindStep", "reinit", "exclude"),
                new LotteryFactory().descriptor().config().keys().stream().map(ConfigKey::name).toList());
    }

    @Test
    void everyRunGetsAFreshInstanceImplementingItsContracts() {
        for (PluginFactory f : List.of(new MagnitudeFactory(), new LotteryFactory(), new GradientFactory())) {
            PluginConfig config = f.descriptor().config().bind(Map.of());
            Plugin a = f.create(config);
            assertNotSame(a, f.create(config));
            assertInstanceOf(Stateful.class, a);
            assertEquals(f.descriptor().contracts(), Contract.implementedBy(a));
        }
        assertInstanceOf(GradientTransform.class, new GradientFactory().create(
                new GradientFactory().descriptor().config().bind(Map.of())));
    }

    @Test
    void defaultsAndUserValuesBindTyped() {
        assertEquals(new ScheduleSettings(0.9, Scope.LAYER, 10, 0.2, 0.6, SparsityRamp.CUBIC, Set.of()),
                ScheduleSettings.from(new MagnitudeFactory().descriptor().config().bind(Map.of())));
        assertEquals(new ScheduleSettings(0.5, Scope.GLOBAL, 3, 0.1, 0.9, SparsityRamp.GEOMETRIC, Set.of("out", "fc1")),
                ScheduleSettings.from(new MagnitudeFactory().descriptor().config().bind(Map.of("sparsity", "0.5",
                        "scope", "global", "stages", 3, "begin", 0.1, "end", 0.9, "ramp", "geometric",
                        "exclude", "out, fc1"))));
        assertEquals(new LotterySettings(0.8, 3, Scope.LAYER, 0, Reinit.REWIND, Set.of()),
                LotterySettings.from(new LotteryFactory().descriptor().config().bind(Map.of())));
        assertEquals(new LotterySettings(0.5, 2, Scope.GLOBAL, 100, Reinit.RANDOM, Set.of("out")),
                LotterySettings.from(new LotteryFactory().descriptor().config().bind(Map.of("sparsity", 0.5,
                        "rounds", 2, "scope", "global", "rewindStep", 100, "reinit", "random", "exclude", "out"))));
    }

    @Test
    void invalidValuesNameTheirKey() {
        assertRejected(new MagnitudeFactory(), "sparsity", Map.of("sparsity", 1));
        assertRejected(new MagnitudeFactory(), "sparsity", Map.of("sparsity", 1.5));
        assertRejected(new MagnitudeFactory(), "sparsity", Map.of("sparsity", 0));
        assertRejected(new MagnitudeFactory(), "scope", Map.of("scope", "neuron"));
        assertRejected(new MagnitudeFactory(), "stages", Map.of("stages", 0));
        assertRejected(new MagnitudeFactory(), "begin", Map.of("begin", 0));
        assertRejected(new MagnitudeFactory(), "ramp", Map.of("ramp", "linear"));
        assertRejected(new LotteryFactory(), "sparsity", Map.of("sparsity", 1));
        assertRejected(new LotteryFactory(), "rounds", Map.of("rounds", 0));
        assertRejected(new LotteryFactory(), "rewindStep", Map.of("rewindStep", -1));
        assertRejected(new LotteryFactory(), "reinit", Map.of("reinit", "zeros"));
        ConfigException e = assertThrows(ConfigException.class, () -> ScheduleSettings.from(
                new MagnitudeFactory().descriptor().config().bind(Map.of("begin", 0.7, "end", 0.5))));
        assertEquals("end", e.key());
    }

    private static void assertRejected(PluginFactory f, String key, Map<String, ?> raw) {
        ConfigException e = assertThrows(ConfigException.class, () -> f.descriptor().config().bind(raw));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }
}
