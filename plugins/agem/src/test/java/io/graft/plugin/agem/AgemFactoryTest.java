package io.graft.plugin.agem;

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

class AgemFactoryTest {

    private final AgemFactory factory = new AgemFactory();

    @Test
    void describesAGradientTransformThatNeedsTaskBoundaries() {
        PluginDescriptor d = factory.descriptor();
        assertEquals("agem", d.id());
        assertEquals(Set.of(Contract.GRADIENT_TRANSFORM), d.contracts());
        assertEquals(Set.of(Requirement.TASK_BOUNDARIES), d.requirements());
        assertEquals(List.of("memorySize", "sampleSize"), d.config().keys().stream().map(ConfigKey::name).toList());
    }

    @Test
    void defaultsBindAndEveryRunGetsAFreshInstance() {
        PluginConfig config = factory.descriptor().config().bind(Map.of());
        assertEquals(new AgemSettings(500, AgemSettings.SAMPLE_SIZE.defaultValue()), AgemSettings.from(config));
        Plugin a = factory.create(config);
        Plugin b = factory.create(config);
        assertNotSame(a, b);
        assertInstanceOf(GradientTransform.class, a);
        assertInstanceOf(Stateful.class, a);
        assertTrue(Contract.implementedBy(a).containsAll(factory.descriptor().contracts()));
    }

    @Test
    void userValuesAreTyped() {
        assertEquals(new AgemSettings(1000, 64), AgemSettings.from(factory.descriptor().config().bind(
                Map.of("memorySize", "1000", "sampleSize", 64))));
    }

    @Test
    void invalidValuesNameTheirKey() {
        assertRejected("memorySize", Map.of("memorySize", 0));
        assertRejected("memorySize", Map.of("memorySize", "lots"));
        assertRejected("sampleSize", Map.of("sampleSize", -3));
        assertRejected("sampleSize", Map.of("sampleSize", 1.5));
        assertRejected("bufferSize", Map.of("bufferSize", 500));
    }

    private void assertRejected(String key, Map<String, ?> raw) {
        ConfigException e = assertThrows(ConfigException.class, () -> factory.descriptor().config().bind(raw));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }
}
