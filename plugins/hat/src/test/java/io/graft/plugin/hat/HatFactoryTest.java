package io.graft.plugin.hat;

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
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HatFactoryTest {

    private final HatFactory hat = new HatFactory();
    private final AdaHatFactory adahat = new AdaHatFactory();

    @Test
    void bothDescribeTaskIncrementalMaskingWithOneHeadPerTask() {
        for (PluginFactory f : new PluginFactory[] {hat, adahat}) {
            PluginDescriptor d = f.descriptor();
            assertEquals(Set.of(Contract.TASK_MASK, Contract.GRADIENT_TRANSFORM, Contract.REGULARIZER), d.contracts());
            assertTrue(d.requirements().containsAll(Set.of(Requirement.MULTI_HEAD, Requirement.TASK_LABELS_AT_TEST,
                    Requirement.NO_MOMENTUM)));
            assertEquals(Set.of(Protocol.TASK_IL), d.protocols());
        }
        assertEquals("hat", hat.descriptor().id());
        assertEquals("adahat", adahat.descriptor().id());
    }

    @Test
    void defaultsBindAndEveryRunGetsAFreshInstance() {
        PluginConfig config = hat.descriptor().config().bind(Map.of());
        assertEquals(new HatSettings(400, 50, 0.75, 0.03, 6, HeadClipping.ROWS), HatSettings.from(config));
        Plugin a = hat.create(config);
        Plugin b = hat.create(config);
        assertNotSame(a, b);
        assertInstanceOf(Stateful.class, a);
        assertTrue(Contract.implementedBy(a).containsAll(hat.descriptor().contracts()));
        PluginConfig ada = adahat.descriptor().config().bind(Map.of("mode", "adahat_no_sum", "alpha", "0.01"));
        AdaHatSettings s = AdaHatSettings.from(ada);
        assertEquals(AdjustmentMode.ADAHAT_NO_SUM, s.mode());
        assertEquals(0.01, s.alpha());
        assertEquals(0.1, s.epsilon());
        assertTrue(Contract.implementedBy(adahat.create(ada)).containsAll(adahat.descriptor().contracts()));
    }

    @Test
    void invalidValuesNameTheirKey() {
        assertRejected(hat, "sMax", Map.of("sMax", 1));
        assertRejected(hat, "c", Map.of("c", -0.1));
        assertRejected(hat, "thresCosh", Map.of("thresCosh", 0));
        assertRejected(hat, "embeddingLr", Map.of("embeddingLr", "fast"));
        assertRejected(hat, "headClipping", Map.of("headClipping", "columns"));
        assertRejected(hat, "mode", Map.of("mode", "adahat"));
        assertRejected(adahat, "mode", Map.of("mode", "adahat_no_everything"));
        assertRejected(adahat, "alpha", Map.of("alpha", 0));
        assertRejected(adahat, "epsilon", Map.of("epsilon", -1));
        assertRejected(adahat, "lambda", Map.of("lambda", 1));
    }

    private static void assertRejected(PluginFactory f, String key, Map<String, ?> raw) {
        ConfigException e = assertThrows(ConfigException.class, () -> f.descriptor().config().bind(raw));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }
}
