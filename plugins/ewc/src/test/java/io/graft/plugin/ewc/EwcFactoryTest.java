package io.graft.plugin.ewc;

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
import org.junit.jupiter.api.Test;

class EwcFactoryTest {

    private final EwcFactory factory = new EwcFactory();

    @Test
    void describesARegularizerThatNeedsTaskBoundaries() {
        PluginDescriptor d = factory.descriptor();
        assertEquals("ewc", d.id());
        assertEquals("Elastic Weight Consolidation", d.name());
        assertEquals(java.util.Set.of(Contract.REGULARIZER), d.contracts());
        assertEquals(java.util.Set.of(Requirement.TASK_BOUNDARIES), d.requirements());
        assertEquals(List.of("lambda", "online", "gamma", "fisherSamples", "fisherBatch"),
                d.config().keys().stream().map(ConfigKey::name).toList());
    }

    @Test
    void defaultsBindAndEveryRunGetsAFreshInstance() {
        PluginConfig config = factory.descriptor().config().bind(Map.of());
        EwcSettings s = EwcSettings.from(config);
        assertEquals(new EwcSettings(100.0, false, 1.0, 500, 1), s);
        Plugin a = factory.create(config);
        Plugin b = factory.create(config);
        assertNotSame(a, b);
        assertInstanceOf(Regularizer.class, a);
        assertInstanceOf(Stateful.class, a);
        assertTrue(Contract.implementedBy(a).containsAll(factory.descriptor().contracts()));
    }

    @Test
    void userValuesAreTyped() {
        EwcSettings s = EwcSettings.from(factory.descriptor().config().bind(
                Map.of("lambda", 5000, "online", "true", "gamma", 0.9, "fisherSamples", 1000, "fisherBatch", 16)));
        assertEquals(new EwcSettings(5000.0, true, 0.9, 1000, 16), s);
    }

    @Test
    void invalidValuesNameTheirKey() {
        assertRejected("lambda", Map.of("lambda", -1));
        assertRejected("lambda", Map.of("lambda", "lots"));
        assertRejected("lambda", Map.of("lambda", Double.NaN));
        assertRejected("gamma", Map.of("gamma", 1.5));
        assertRejected("fisherSamples", Map.of("fisherSamples", 0));
        assertRejected("fisherBatch", Map.of("fisherBatch", 0));
        assertRejected("online", Map.of("online", "sometimes"));
        assertRejected("lamda", Map.of("lamda", 10));
    }

    private void assertRejected(String key, Map<String, ?> raw) {
        ConfigException e = assertThrows(ConfigException.class, () -> factory.descriptor().config().bind(raw));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }
}
