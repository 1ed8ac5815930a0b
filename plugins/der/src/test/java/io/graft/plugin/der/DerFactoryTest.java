package io.graft.plugin.der;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.Stateful;
import io.graft.api.config.ConfigException;
import io.graft.api.config.ConfigKey;
import io.graft.api.config.PluginConfig;
import io.graft.api.regularization.Regularizer;
import io.graft.api.rehearsal.Rehearsal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DerFactoryTest {

    private final DerFactory der = new DerFactory();
    private final DerppFactory derpp = new DerppFactory();

    @Test
    void describesBoth() {
        PluginDescriptor d = der.descriptor();
        assertEquals("der", d.id());
        assertEquals(Set.of(Contract.REHEARSAL, Contract.REGULARIZER), d.contracts());
        assertEquals(List.of("bufferSize", "replayBatch", "alpha"),
                d.config().keys().stream().map(ConfigKey::name).toList());
        PluginDescriptor p = derpp.descriptor();
        assertEquals("derpp", p.id());
        assertEquals(Set.of(Contract.REHEARSAL, Contract.REGULARIZER), p.contracts());
        assertEquals(List.of("bufferSize", "replayBatch", "alpha", "beta"),
                p.config().keys().stream().map(ConfigKey::name).toList());
    }

    @Test
    void defaultsBindAndEveryRunGetsAFreshInstance() {
        PluginConfig config = der.descriptor().config().bind(Map.of());
        assertEquals(new DerSettings(500, 32, 0.1, 0), DerSettings.der(config));
        PluginConfig ppConfig = derpp.descriptor().config().bind(Map.of());
        assertEquals(new DerSettings(500, 32, 0.1, 1.0), DerSettings.derpp(ppConfig));
        for (PluginFactory f : List.of(der, derpp)) {
            PluginConfig c = f.descriptor().config().bind(Map.of());
            Plugin a = f.create(c);
            assertNotSame(a, f.create(c));
            assertInstanceOf(Rehearsal.class, a);
            assertInstanceOf(Regularizer.class, a);
            assertInstanceOf(Stateful.class, a);
            assertEquals(500, ((DarkExperienceReplay) a).buffer().capacity());
        }
        assertEquals(1.0, ((DarkExperienceReplay) derpp.create(ppConfig)).settings().beta());
        assertEquals(0, ((DarkExperienceReplay) der.create(config)).settings().beta());
    }

    @Test
    void userValuesAreTyped() {
        PluginConfig config = derpp.descriptor().config().bind(
                Map.of("bufferSize", 200, "replayBatch", "10", "alpha", 0.1, "beta", "1"));
        assertEquals(new DerSettings(200, 10, 0.1, 1.0), DerSettings.derpp(config));
    }

    @Test
    void invalidValuesNameTheirKey() {
        assertRejected(derpp, "bufferSize", Map.of("bufferSize", 0));
        assertRejected(derpp, "bufferSize", Map.of("bufferSize", 2.5));
        assertRejected(derpp, "replayBatch", Map.of("replayBatch", -3));
        assertRejected(derpp, "alpha", Map.of("alpha", -0.1));
        assertRejected(derpp, "alpha", Map.of("alpha", "much"));
        assertRejected(derpp, "beta", Map.of("beta", -1));
        assertRejected(der, "beta", Map.of("beta", 0.5));
    }

    private void assertRejected(PluginFactory f, String key, Map<String, ?> raw) {
        ConfigException e = assertThrows(ConfigException.class, () -> f.descriptor().config().bind(raw));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }
}
