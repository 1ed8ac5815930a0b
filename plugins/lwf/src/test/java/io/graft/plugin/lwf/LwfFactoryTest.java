package io.graft.plugin.lwf;

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

class LwfFactoryTest {

    private final LwfFactory factory = new LwfFactory();

    @Test
    void describesARegularizerThatNeedsTaskBoundaries() {
        PluginDescriptor d = factory.descriptor();
        assertEquals("lwf", d.id());
        assertEquals("Learning without Forgetting", d.name());
        assertEquals(Set.of(Contract.REGULARIZER), d.contracts());
        assertEquals(Set.of(Requirement.TASK_BOUNDARIES), d.requirements());
        assertEquals(List.of("lambda", "temperature"), d.config().keys().stream().map(ConfigKey::name).toList());
    }

    @Test
    void defaultsBindAndEveryRunGetsAFreshInstance() {
        PluginConfig config = factory.descriptor().config().bind(Map.of());
        assertEquals(new LwfSettings(0.3, 2.0), LwfSettings.from(config));
        Plugin a = factory.create(config);
        Plugin b = factory.create(config);
        assertNotSame(a, b);
        assertInstanceOf(Regularizer.class, a);
        assertInstanceOf(Stateful.class, a);
        assertTrue(Contract.implementedBy(a).containsAll(factory.descriptor().contracts()));
    }

    @Test
    void userValuesAreTyped() {
        LwfSettings s = LwfSettings.from(factory.descriptor().config().bind(Map.of("lambda", 3, "temperature", "4.5")));
        assertEquals(new LwfSettings(3.0, 4.5), s);
    }

    @Test
    void invalidValuesNameTheirKey() {
        assertRejected("lambda", Map.of("lambda", -1));
        assertRejected("lambda", Map.of("lambda", "lots"));
        assertRejected("lambda", Map.of("lambda", Double.NaN));
        assertRejected("temperature", Map.of("temperature", 0));
        assertRejected("temperature", Map.of("temperature", -2));
        assertRejected("temperature", Map.of("temperature", Double.POSITIVE_INFINITY));
        assertRejected("temp", Map.of("temp", 2));
    }

    private void assertRejected(String key, Map<String, ?> raw) {
        ConfigException e = assertThrows(ConfigException.class, () -> factory.descriptor().config().bind(raw));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }
}
