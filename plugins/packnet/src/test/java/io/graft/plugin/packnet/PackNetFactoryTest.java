package io.graft.plugin.packnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.Protocol;
import io.graft.api.Requirement;
import io.graft.api.Stateful;
import io.graft.api.config.ConfigException;
import io.graft.api.config.ConfigKey;
import io.graft.api.config.PluginConfig;
import io.graft.api.gradient.GradientTransform;
import io.graft.api.masking.TaskMask;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PackNetFactoryTest {

    private final PackNetFactory factory = new PackNetFactory();

    @Test
    void describesATaskMaskForMultiHeadTaskIncrementalRuns() {
        PluginDescriptor d = factory.descriptor();
        assertEquals("packnet", d.id());
        assertEquals(Set.of(Contract.TASK_MASK, Contract.GRADIENT_TRANSFORM), d.contracts());
        assertEquals(Set.of(Requirement.MULTI_HEAD, Requirement.TASK_LABELS_AT_TEST, Requirement.TASK_BOUNDARIES,
                Requirement.NO_MOMENTUM),
                d.requirements());
        assertEquals(Set.of(Protocol.TASK_IL), d.protocols());
        assertEquals(List.of("pruneRatio", "pruneAt", "pruneLastTask"),
                d.config().keys().stream().map(ConfigKey::name).toList());
    }

    @Test
    void defaultsBindAndEveryRunGetsAFreshInstance() {
        PluginConfig config = factory.descriptor().config().bind(Map.of());
        assertEquals(new PackNetSettings(0.75, 0.7, false), PackNetSettings.from(config));
        Plugin a = factory.create(config);
        Plugin b = factory.create(config);
        assertNotSame(a, b);
        assertInstanceOf(TaskMask.class, a);
        assertInstanceOf(GradientTransform.class, a);
        assertInstanceOf(Stateful.class, a);
        assertTrue(Contract.implementedBy(a).containsAll(factory.descriptor().contracts()));
    }

    @Test
    void userValuesAreTyped() {
        assertEquals(new PackNetSettings(0.5, 1.0, true), PackNetSettings.from(factory.descriptor().config().bind(
                Map.of("pruneRatio", "0.5", "pruneAt", 1, "pruneLastTask", true))));
    }

    @Test
    void thePruningStepIsAShareOfTheTaskSteps() {
        PackNetSettings s = new PackNetSettings(0.5, 0.7, false);
        assertEquals(1313, s.pruneAfter(1875));
        assertEquals(7, s.pruneAfter(10));
        assertEquals(1, s.pruneAfter(1));
        assertEquals(1, new PackNetSettings(0.5, 0.01, false).pruneAfter(10));
        assertEquals(10, new PackNetSettings(0.5, 1.0, false).pruneAfter(10));
    }

    @Test
    void invalidValuesNameTheirKey() {
        assertRejected("pruneRatio", Map.of("pruneRatio", 0));
        assertRejected("pruneRatio", Map.of("pruneRatio", 1));
        assertRejected("pruneRatio", Map.of("pruneRatio", "half"));
        assertRejected("pruneAt", Map.of("pruneAt", 0));
        assertRejected("pruneAt", Map.of("pruneAt", 1.5));
        assertRejected("pruneLastTask", Map.of("pruneLastTask", "sometimes"));
        assertRejected("prune", Map.of("prune", 0.5));
    }

    private void assertRejected(String key, Map<String, ?> raw) {
        ConfigException e = assertThrows(ConfigException.class, () -> factory.descriptor().config().bind(raw));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }
}
