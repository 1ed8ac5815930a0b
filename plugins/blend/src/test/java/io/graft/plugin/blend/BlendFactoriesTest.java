package io.graft.plugin.blend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.Protocol;
import io.graft.api.Stateful;
import io.graft.api.config.ConfigException;
import io.graft.api.config.ConfigKey;
import io.graft.api.config.PluginConfig;
import io.graft.api.growth.BlendMode;
import io.graft.api.growth.BlendSchedule;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The four registered schedules: descriptors, bound values, and the configs they refuse before training. */
class BlendFactoriesTest {

    private static final PluginFactory LINEAR = new LinearBlendFactory();
    private static final PluginFactory SIGMOID = new SigmoidBlendFactory();
    private static final PluginFactory COSINE = new CosineBlendFactory();
    private static final PluginFactory STEP = new StepBlendFactory();
    private static final List<PluginFactory> ALL = List.of(LINEAR, SIGMOID, COSINE, STEP);

    @Test
    void eachShapeIsABlendScheduleWithOnlyTheKeysItUses() {
        assertEquals(List.of("blend-linear", "blend-sigmoid", "blend-cosine", "blend-step"),
                ALL.stream().map(f -> f.descriptor().id()).toList());
        for (PluginFactory f : ALL) {
            PluginDescriptor d = f.descriptor();
            assertEquals(Set.of(Contract.BLEND_SCHEDULE), d.contracts());
            assertEquals(EnumSet.allOf(Protocol.class), d.protocols());
            assertTrue(d.requirements().isEmpty());
        }
        assertEquals(List.of("steps", "from", "to", "mode"), keys(LINEAR));
        assertEquals(List.of("steps", "from", "to", "mode"), keys(COSINE));
        assertEquals(List.of("steps", "from", "to", "mode", "steepness"), keys(SIGMOID));
        assertEquals(List.of("steps", "from", "to", "mode", "stages", "at"), keys(STEP));
    }

    @Test
    void everyRunGetsAFreshScheduleThatKeepsItsDefinitionInCheckpoints() {
        for (PluginFactory f : ALL) {
            PluginConfig config = f.descriptor().config().bind(f == STEP ? Map.of("stages", 4) : Map.of());
            Plugin a = f.create(config);
            assertNotSame(a, f.create(config));
            assertInstanceOf(Stateful.class, a);
            assertTrue(Contract.implementedBy(a).containsAll(f.descriptor().contracts()));
        }
    }

    @Test
    void defaultsBlendFromZeroToOneResidually() {
        assertEquals(new BlendSettings(1000, 0, 1, BlendMode.RESIDUAL),
                BlendSettings.from(LINEAR.descriptor().config().bind(Map.of())));
        BlendSchedule sigmoid = schedule(SIGMOID, Map.of());
        assertEquals("sigmoid(steepness=10.0) from 0.0 to 1.0 over 1000 steps, residual", sigmoid.toString());
    }

    @Test
    void userValuesAreTyped() {
        BlendSchedule cosine = schedule(COSINE, Map.of("steps", "200", "from", 0.25, "to", "0.75",
                "mode", "Interpolative"));
        assertEquals(BlendMode.INTERPOLATIVE, cosine.mode());
        assertEquals(0.25, cosine.alpha(0), 0.0);
        assertEquals(0.5, cosine.alpha(100), 0.0);
        assertEquals(0.75, cosine.alpha(200), 0.0);
        assertTrue(cosine.finished(200));
        assertEquals(0.5, schedule(STEP, Map.of("steps", 10, "stages", 2)).alpha(5), 0.0);
        assertEquals(0.5, schedule(STEP, Map.of("steps", 10, "at", "0.3, 0.6")).alpha(3), 0.0);
        assertEquals(1.0, schedule(STEP, Map.of("steps", 10, "at", "0.5")).alpha(5), 0.0);
    }

    @Test
    void anAlphaOutsideZeroToOneIsRefused() {
        for (PluginFactory f : ALL) {
            assertRefused(f, "from", Map.of("from", -0.1));
            assertRefused(f, "from", Map.of("from", 1.5));
            assertRefused(f, "to", Map.of("to", 1.01));
            assertRefused(f, "to", Map.of("to", "NaN"));
        }
    }

    @Test
    void aScheduleThatDoesNotRiseOrHasNoDurationIsRefused() {
        for (PluginFactory f : ALL) {
            Map<String, Object> stages = f == STEP ? Map.of("stages", 2) : Map.of();
            assertRefused(f, "to", with(stages, Map.of("from", 0.8, "to", 0.2)));
            assertRefused(f, "to", with(stages, Map.of("from", 0.5, "to", 0.5)));
            assertRefused(f, "steps", Map.of("steps", 0));
            assertRefused(f, "steps", Map.of("steps", -100));
            assertRefused(f, "steps", Map.of("steps", 2.5));
            assertRefused(f, "mode", Map.of("mode", "additive"));
        }
    }

    @Test
    void shapeKeysAreCheckedAndOnlyAcceptedWhereTheyMeanSomething() {
        assertRefused(SIGMOID, "steepness", Map.of("steepness", 0));
        assertRefused(SIGMOID, "steepness", Map.of("steepness", -4));
        assertRefused(SIGMOID, "steepness", Map.of("steepness", "Infinity"));
        assertRefused(LINEAR, "steepness", Map.of("steepness", 10));
        assertRefused(COSINE, "stages", Map.of("stages", 3));
        assertRefused(STEP, "stages", Map.of());
        assertRefused(STEP, "stages", Map.of("stages", -2));
        assertRefused(STEP, "at", Map.of("stages", 3, "at", "0.5, 1"));
        assertRefused(STEP, "at", Map.of("at", "0.6, 0.3"));
        assertRefused(STEP, "at", Map.of("at", "0, 0.5"));
        assertRefused(STEP, "at", Map.of("at", "0.5, 1.2"));
        assertRefused(STEP, "at", Map.of("at", "half"));
        assertRefused(STEP, "at", Map.of("at", "0.5,,1"));
        assertRefused(STEP, "at", Map.of("at", 0.5));
    }

    private static void assertRefused(PluginFactory f, String key, Map<String, ?> raw) {
        String id = f.descriptor().id();
        ConfigException e = assertThrows(ConfigException.class, () -> f.create(f.descriptor().config().bind(raw)),
                id + " " + raw);
        assertEquals(key, e.key(), id + " " + raw + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private static BlendSchedule schedule(PluginFactory f, Map<String, ?> raw) {
        return (BlendSchedule) f.create(f.descriptor().config().bind(raw));
    }

    private static List<String> keys(PluginFactory f) {
        return f.descriptor().config().keys().stream().map(ConfigKey::name).toList();
    }

    private static Map<String, Object> with(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> both = new HashMap<>(a);
        both.putAll(b);
        return both;
    }
}
