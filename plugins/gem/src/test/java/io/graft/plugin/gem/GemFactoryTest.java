package io.graft.plugin.gem;

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
import io.graft.api.gradient.GradientTransform;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GemFactoryTest {

    private final GemFactory factory = new GemFactory();

    @Test
    void describesAGradientTransformThatNeedsTaskBoundaries() {
        PluginDescriptor d = factory.descriptor();
        assertEquals("gem", d.id());
        assertEquals(Set.of(Contract.GRADIENT_TRANSFORM), d.contracts());
        assertEquals(Set.of(Requirement.TASK_BOUNDARIES), d.requirements());
        assertEquals(List.of("memoryPerTask", "margin"), d.config().keys().stream().map(ConfigKey::name).toList());
    }

    @Test
    void defaultsBindAndEveryRunGetsAFreshInstance() {
        PluginConfig config = factory.descriptor().config().bind(Map.of());
        assertEquals(new GemSettings(100, 0.5), GemSettings.from(config));
        Plugin a = factory.create(config);
        Plugin b = factory.create(config);
        assertNotSame(a, b);
        assertInstanceOf(GradientTransform.class, a);
        assertInstanceOf(Stateful.class, a);
        assertTrue(Contract.implementedBy(a).containsAll(factory.descriptor().contracts()));
    }

    @Test
    void userValuesAreTyped() {
        assertEquals(new GemSettings(256, 0.0), GemSettings.from(factory.descriptor().config().bind(
                Map.of("memoryPerTask", "256", "margin", 0))));
    }

    @Test
    void invalidValuesNameTheirKey() {
        assertRejected("memoryPerTask", Map.of("memoryPerTask", 0));
        assertRejected("memoryPerTask", Map.of("memoryPerTask", "lots"));
        assertRejected("memoryPerTask", Map.of("memoryPerTask", 1.5));
        assertRejected("margin", Map.of("margin", -0.1));
        assertRejected("margin", Map.of("margin", "strong"));
        assertRejected("memorySize", Map.of("memorySize", 500));
    }

    private void assertRejected(String key, Map<String, ?> raw) {
        ConfigException e = assertThrows(ConfigException.class, () -> factory.descriptor().config().bind(raw));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }
}
