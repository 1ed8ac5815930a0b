package io.graft.plugin.genreplay;

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
import io.graft.api.rehearsal.Rehearsal;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GenreplayFactoryTest {

    private final GenreplayFactory factory = new GenreplayFactory();

    @Test
    void describesARehearsalForEveryProtocolThatNeedsTaskBoundaries() {
        PluginDescriptor d = factory.descriptor();
        assertEquals("genreplay", d.id());
        assertEquals(Set.of(Contract.REHEARSAL), d.contracts());
        assertEquals(Set.of(Requirement.TASK_BOUNDARIES), d.requirements());
        assertEquals(EnumSet.allOf(Protocol.class), d.protocols());
        assertEquals(List.of("latentSize", "hiddenSize", "generatorLr", "replayBatch", "generatorSteps",
                "replayPerTask"), d.config().keys().stream().map(ConfigKey::name).toList());
    }

    @Test
    void valuesBindTypedAndEveryRunGetsAFreshInstance() {
        PluginConfig config = factory.descriptor().config().bind(Map.of("latentSize", 8, "hiddenSize", "64",
                "generatorLr", 0.005, "replayBatch", 16, "generatorSteps", 2, "replayPerTask", false));
        assertEquals(new GenreplaySettings(8, 64, 0.005, 16, 2, false), GenreplaySettings.from(config));
        Plugin a = factory.create(config);
        Plugin b = factory.create(config);
        assertNotSame(a, b);
        assertInstanceOf(Rehearsal.class, a);
        assertInstanceOf(Stateful.class, a);
        assertTrue(Contract.implementedBy(a).containsAll(factory.descriptor().contracts()));
    }

    @Test
    void invalidValuesNameTheirKey() {
        assertRejected("latentSize", Map.of("latentSize", 0));
        assertRejected("hiddenSize", Map.of("hiddenSize", "wide"));
        assertRejected("generatorLr", Map.of("generatorLr", 0));
        assertRejected("replayBatch", Map.of("replayBatch", -1));
        assertRejected("generatorSteps", Map.of("generatorSteps", 1.5));
        assertRejected("bufferSize", Map.of("bufferSize", 500));
    }

    private void assertRejected(String key, Map<String, ?> raw) {
        ConfigException e = assertThrows(ConfigException.class, () -> factory.descriptor().config().bind(raw));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }
}
