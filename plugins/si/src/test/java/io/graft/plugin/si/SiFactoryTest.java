package io.graft.plugin.si;

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
import io.graft.api.regularization.Regularizer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SiFactoryTest {

    private final SiFactory factory = new SiFactory();

    @Test
    void describesARegularizerThatObservesGradientsAndNeedsTaskBoundaries() {
        PluginDescriptor d = factory.descriptor();
        assertEquals("si", d.id());
        assertEquals("Synaptic Intelligence", d.name());
        assertEquals(Set.of(Contract.REGULARIZER, Contract.GRADIENT_TRANSFORM), d.contracts());
        assertEquals(Set.of(Requirement.TASK_BOUNDARIES), d.requirements());
        assertTrue(d.order() < 0, "observes the gradient before other transforms edit it");
        assertEquals(List.of("c", "xi", "clampNegative"), d.config().keys().stream().map(ConfigKey::name).toList());
    }

    @Test
    void defaultsBindAndEveryRunGetsAFreshInstance() {
        PluginConfig config = factory.descriptor().config().bind(Map.of());
        assertEquals(new SiSettings(SiSettings.C.defaultValue(), 0.1, true), SiSettings.from(config));
        Plugin a = factory.create(config);
        Plugin b = factory.create(config);
        assertNotSame(a, b);
        assertInstanceOf(Regularizer.class, a);
        assertInstanceOf(GradientTransform.class, a);
        assertInstanceOf(Stateful.class, a);
        assertTrue(Contract.implementedBy(a).containsAll(factory.descriptor().contracts()));
    }

    @Test
    void userValuesAreTyped() {
        SiSettings s = SiSettings.from(factory.descriptor().config().bind(
                Map.of("c", 2, "xi", "0.001", "clampNegative", false)));
        assertEquals(new SiSettings(2.0, 0.001, false), s);
    }

    @Test
    void invalidValuesNameTheirKey() {
        assertRejected("c", Map.of("c", -1));
        assertRejected("c", Map.of("c", "strong"));
        assertRejected("c", Map.of("c", Double.POSITIVE_INFINITY));
        assertRejected("xi", Map.of("xi", 0));
        assertRejected("xi", Map.of("xi", Double.NaN));
        assertRejected("clampNegative", Map.of("clampNegative", "maybe"));
        assertRejected("lambda", Map.of("lambda", 1));
    }

    private void assertRejected(String key, Map<String, ?> raw) {
        ConfigException e = assertThrows(ConfigException.class, () -> factory.descriptor().config().bind(raw));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }
}
