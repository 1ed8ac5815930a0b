package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.Requirement;
import io.graft.api.Stateful;
import io.graft.api.config.ConfigException;
import io.graft.api.config.PluginConfig;
import io.graft.api.regularization.Regularizer;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What Graft sees of the plugin before any run: its descriptor, its configuration keys, fresh instances. */
class L2AnchorFactoryTest {

    private final L2AnchorFactory factory = new L2AnchorFactory();

    @Test
    void describesARegularizerUnderItsId() {
        assertEquals("${pluginId}", factory.descriptor().id());
        assertEquals(Set.of(Contract.REGULARIZER), factory.descriptor().contracts());
        assertTrue(factory.descriptor().requirements().contains(Requirement.TASK_BOUNDARIES));
    }

    @Test
    void bindsTheDefaultsAndMakesAFreshInstancePerRun() {
        PluginConfig config = factory.descriptor().config().bind(Map.of());
        assertEquals(new L2AnchorSettings(1.0, 50), L2AnchorSettings.from(config));
        Plugin one = factory.create(config);
        assertInstanceOf(Regularizer.class, one);
        assertInstanceOf(Stateful.class, one);
        assertNotSame(one, factory.create(config));
    }

    @Test
    void refusesANegativeStrengthNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> factory.descriptor().config().bind(Map.of("strength", -1)));
        assertEquals("strength", e.key());
    }

    @Test
    void refusesAnUnknownKeyListingTheKnownOnes() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> factory.descriptor().config().bind(Map.of("lambda", 1.0)));
        assertTrue(e.getMessage().contains("strength, metricEvery"), e.getMessage());
    }
}
