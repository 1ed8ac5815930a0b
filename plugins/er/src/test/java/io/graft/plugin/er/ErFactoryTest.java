package io.graft.plugin.er;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.Stateful;
import io.graft.api.config.ConfigException;
import io.graft.api.config.ConfigKey;
import io.graft.api.config.PluginConfig;
import io.graft.api.rehearsal.Rehearsal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ErFactoryTest {

    private final ErFactory factory = new ErFactory();

    @Test
    void describesARehearsal() {
        PluginDescriptor d = factory.descriptor();
        assertEquals("er", d.id());
        assertEquals("Experience Replay", d.name());
        assertEquals(Set.of(Contract.REHEARSAL), d.contracts());
        assertTrue(d.requirements().isEmpty(), "reservoir sampling needs no task boundaries");
        assertTrue(d.description().contains("herding"), d.description());
        assertEquals(List.of("bufferSize", "replayBatch", "selection", "herdingCandidates"),
                d.config().keys().stream().map(ConfigKey::name).toList());
    }

    @Test
    void defaultsBindAndEveryRunGetsAFreshInstance() {
        PluginConfig config = factory.descriptor().config().bind(Map.of());
        assertEquals(new ErSettings(500, 32, Selection.RESERVOIR, 2000), ErSettings.from(config));
        Plugin a = factory.create(config);
        assertNotSame(a, factory.create(config));
        assertInstanceOf(Rehearsal.class, a);
        assertInstanceOf(Stateful.class, a);
        assertEquals(500, ((ExperienceReplay) a).buffer().capacity());
    }

    @Test
    void userValuesAreTyped() {
        PluginConfig config = factory.descriptor().config().bind(
                Map.of("bufferSize", 200, "replayBatch", "10", "selection", "Reservoir"));
        assertEquals(new ErSettings(200, 10, Selection.RESERVOIR, 2000), ErSettings.from(config));
        PluginConfig balanced = factory.descriptor().config().bind(Map.of("selection", "class_balanced"));
        assertEquals(Selection.CLASS_BALANCED, ErSettings.from(balanced).selection());
        assertInstanceOf(ClassBalancedBuffer.class, ((ExperienceReplay) factory.create(balanced)).buffer());
        PluginConfig herding = factory.descriptor().config().bind(Map.of("selection", "herding",
                "herdingCandidates", 0));
        assertEquals(new ErSettings(500, 32, Selection.HERDING, 0), ErSettings.from(herding));
        assertInstanceOf(HerdingBuffer.class, ((ExperienceReplay) factory.create(herding)).buffer());
    }

    @Test
    void invalidValuesNameTheirKey() {
        assertRejected("bufferSize", Map.of("bufferSize", 0));
        assertRejected("bufferSize", Map.of("bufferSize", 2.5));
        assertRejected("replayBatch", Map.of("replayBatch", -3));
        assertRejected("selection", Map.of("selection", "kcenter"));
        assertRejected("herdingCandidates", Map.of("herdingCandidates", -1));
        assertRejected("buffer", Map.of("buffer", 500));
    }

    private void assertRejected(String key, Map<String, ?> raw) {
        ConfigException e = assertThrows(ConfigException.class, () -> factory.descriptor().config().bind(raw));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }
}
