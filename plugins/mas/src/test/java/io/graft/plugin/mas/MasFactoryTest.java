package io.graft.plugin.mas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.Requirement;
import io.graft.api.Stateful;
import io.graft.api.config.ConfigException;
import io.graft.api.config.ConfigKey;
import io.graft.api.config.PluginConfig;
import io.graft.api.regularization.Regularizer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MasFactoryTest {

    private final MasFactory factory = new MasFactory();

    @Test
    void describesARegularizerThatNeedsTaskBoundaries() {
        PluginDescriptor d = factory.descriptor();
        assertEquals("mas", d.id());
        assertEquals("Memory Aware Synapses", d.name());
        assertEquals(Set.of(Contract.REGULARIZER), d.contracts());
        assertEquals(Set.of(Requirement.TASK_BOUNDARIES), d.requirements());
        assertEquals(List.of("lambda", "samples", "batch"), d.config().keys().stream().map(ConfigKey::name).toList());
    }

    @Test
    void defaultsBindAndEveryRunGetsAFreshInstance() {
        PluginConfig config = factory.descriptor().config().bind(Map.of());
        assertEquals(new MasSettings(MasSettings.LAMBDA.defaultValue(), 500, 1), MasSettings.from(config));
        Plugin a = factory.create(config);
        Plugin b = factory.create(config);
        assertNotSame(a, b);
        assertInstanceOf(Regularizer.class, a);
        assertInstanceOf(Stateful.class, a);
        assertTrue(Contract.implementedBy(a).containsAll(factory.descriptor().contracts()));
    }

    @Test
    void userValuesAreTyped() {
        MasSettings s = MasSettings.from(factory.descriptor().config().bind(
                Map.of("lambda", 3, "samples", "200", "batch", 10)));
        assertEquals(new MasSettings(3.0, 200, 10), s);
    }

    @Test
    void invalidValuesNameTheirKey() {
        assertRejected("lambda", Map.of("lambda", -0.5));
        assertRejected("lambda", Map.of("lambda", "big"));
        assertRejected("lambda", Map.of("lambda", Double.NaN));
        assertRejected("samples", Map.of("samples", 0));
        assertRejected("samples", Map.of("samples", 2.5));
        assertRejected("batch", Map.of("batch", 0));
        assertRejected("c", Map.of("c", 1));
    }

    private void assertRejected(String key, Map<String, ?> raw) {
        ConfigException e = assertThrows(ConfigException.class, () -> factory.descriptor().config().bind(raw));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }
}
