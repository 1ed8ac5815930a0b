package io.graft.plugin.pnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.Protocol;
import io.graft.api.Requirement;
import io.graft.api.Stateful;
import io.graft.api.config.ConfigException;
import io.graft.api.config.PluginConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FactoriesTest {

    private static final List<PluginFactory> FACTORIES = List.of(new PnnFactory(), new IndependentFactory());

    @Test
    void bothAreTaskIlMasksWithAFreezeThatNeedMultipleHeads() {
        assertEquals(List.of("pnn", "independent"), FACTORIES.stream().map(f -> f.descriptor().id()).toList());
        for (PluginFactory f : FACTORIES) {
            PluginDescriptor d = f.descriptor();
            assertEquals(Set.of(Contract.TASK_MASK, Contract.GRADIENT_TRANSFORM), d.contracts());
            assertEquals(Set.of(Requirement.MULTI_HEAD, Requirement.TASK_LABELS_AT_TEST, Requirement.NO_MOMENTUM),
                    d.requirements());
            assertEquals(Set.of(Protocol.TASK_IL), d.protocols());
            assertEquals(List.of("columns"), d.config().keys().stream().map(k -> k.name()).toList());
        }
    }

    @Test
    void everyRunGetsAFreshInstanceWithItsConnectivity() {
        for (PluginFactory f : FACTORIES) {
            PluginConfig config = f.descriptor().config().bind(Map.of());
            Plugin a = f.create(config);
            assertNotSame(a, f.create(config));
            assertInstanceOf(Stateful.class, a);
            assertTrue(Contract.implementedBy(a).containsAll(f.descriptor().contracts()));
        }
        assertEquals(new ColumnSettings(0), ColumnSettings.from(new PnnFactory().descriptor().config().bind(Map.of())));
        assertEquals(new ColumnSettings(5),
                ColumnSettings.from(new PnnFactory().descriptor().config().bind(Map.of("columns", "5"))));
    }

    @Test
    void invalidValuesNameTheirKey() {
        for (Map<String, ?> raw : List.of(Map.of("columns", -1), Map.of("columns", "many"), Map.of("cols", 5))) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> new IndependentFactory().descriptor().config().bind(raw));
            assertTrue(e.getMessage().contains("'" + raw.keySet().iterator().next() + "'"), e.getMessage());
        }
    }
}
