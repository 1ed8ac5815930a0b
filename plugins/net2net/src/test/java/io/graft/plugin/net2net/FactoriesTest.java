package io.graft.plugin.net2net;

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
import io.graft.api.growth.GrowthPolicy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FactoriesTest {

    private final WidenFactory widen = new WidenFactory();
    private final DeepenFactory deepen = new DeepenFactory();

    @Test
    void describesTwoGrowthPolicies() {
        PluginDescriptor w = widen.descriptor();
        assertEquals("widen", w.id());
        assertEquals(Set.of(Contract.GROWTH_POLICY), w.contracts());
        assertEquals(List.of("layer", "factor", "units", "maxWidth", "noise", "spread"), names(w));
        PluginDescriptor d = deepen.descriptor();
        assertEquals("deepen", d.id());
        assertEquals(Set.of(Contract.GROWTH_POLICY), d.contracts());
        assertEquals(List.of("layer", "maxDepth"), names(d));
    }

    @Test
    void defaultsBindAndEveryRunGetsAFreshInstance() {
        assertEquals(new WidenSettings("narrowest", 2.0, 0, 512, 0.0),
                WidenSettings.from(widen.descriptor().config().bind(Map.of())));
        assertEquals(new DeepenSettings("last", 3), DeepenSettings.from(deepen.descriptor().config().bind(Map.of())));
        for (PluginFactory f : List.of(widen, deepen)) {
            PluginConfig c = f.descriptor().config().bind(Map.of());
            Plugin a = f.create(c);
            assertNotSame(a, f.create(c));
            assertInstanceOf(GrowthPolicy.class, a);
            assertInstanceOf(Stateful.class, a);
            assertTrue(Contract.implementedBy(a).containsAll(f.descriptor().contracts()));
        }
    }

    @Test
    void userValuesAreTyped() {
        assertEquals(new WidenSettings("all", 1.5, 8, 128, 0.01), WidenSettings.from(widen.descriptor().config()
                .bind(Map.of("layer", "all", "factor", "1.5", "units", 8, "maxWidth", "128", "noise", 0.01))));
        assertEquals(new DeepenSettings("fc1", 2), DeepenSettings.from(deepen.descriptor().config()
                .bind(Map.of("layer", "fc1", "maxDepth", 2))));
    }

    @Test
    void invalidValuesNameTheirKey() {
        assertRejected(widen, "factor", Map.of("factor", 1.0));
        assertRejected(widen, "factor", Map.of("factor", 0.5));
        assertRejected(widen, "factor", Map.of("factor", "double"));
        assertRejected(widen, "maxWidth", Map.of("maxWidth", 0));
        assertRejected(widen, "units", Map.of("units", -4));
        assertRejected(widen, "noise", Map.of("noise", -0.1));
        assertRejected(widen, "layer", Map.of("layer", " "));
        assertRejected(widen, "width", Map.of("width", 64));
        assertRejected(deepen, "maxDepth", Map.of("maxDepth", 0));
        assertRejected(deepen, "layer", Map.of("layer", ""));
    }

    private static void assertRejected(PluginFactory f, String key, Map<String, ?> raw) {
        ConfigException e = assertThrows(ConfigException.class, () -> f.descriptor().config().bind(raw));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    private static List<String> names(PluginDescriptor d) {
        return d.config().keys().stream().map(ConfigKey::name).toList();
    }
}
