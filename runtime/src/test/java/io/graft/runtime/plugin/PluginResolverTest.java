package io.graft.runtime.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import ai.djl.ndarray.NDArray;
import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.Protocol;
import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;
import io.graft.api.regularization.Regularizer;
import io.graft.api.train.StepContext;
import io.graft.runtime.UserException;
import io.graft.runtime.config.PluginSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PluginResolverTest {

    static final ConfigKey<Double> STRENGTH =
            ConfigKey.ofDouble("strength", 1.0, "penalty strength").require(v -> v >= 0, "must be >= 0");

    static final class Penalty implements Regularizer {
        final double strength;

        Penalty(double strength) {
            this.strength = strength;
        }

        @Override
        public NDArray penalty(StepContext step) {
            return null;
        }
    }

    private final PluginCatalog catalog = mock(PluginCatalog.class);
    private PluginResolver resolver;

    private PluginFactory factory(PluginDescriptor d, java.util.function.Function<PluginConfig, Plugin> make) {
        PluginFactory f = mock(PluginFactory.class);
        when(f.descriptor()).thenReturn(d);
        when(f.create(org.mockito.ArgumentMatchers.any())).thenAnswer(inv -> make.apply(inv.getArgument(0)));
        return f;
    }

    @BeforeEach
    void register() {
        PluginDescriptor reg = PluginDescriptor.builder("reg").contracts(Contract.REGULARIZER)
                .config(ConfigSpec.of(STRENGTH)).order(10).build();
        PluginDescriptor observer = PluginDescriptor.builder("observer").order(-5).build();
        PluginDescriptor liar = PluginDescriptor.builder("liar").contracts(Contract.REHEARSAL).build();
        PluginDescriptor taskOnly = PluginDescriptor.builder("taskonly").protocols(Protocol.TASK_IL)
                .requires(io.graft.api.Requirement.MULTI_HEAD, io.graft.api.Requirement.NO_MOMENTUM).build();
        Map<String, PluginFactory> factories = Map.of(
                "reg", factory(reg, c -> new Penalty(c.get(STRENGTH))),
                "observer", factory(observer, c -> new Plugin() {}),
                "liar", factory(liar, c -> new Plugin() {}),
                "taskonly", factory(taskOnly, c -> new Plugin() {}));
        when(catalog.plugins()).thenReturn(List.of(
                new PluginInfo("liar", "1.0.0", "b.liar", liar),
                new PluginInfo("observer", "1.0.0", "b.observer", observer),
                new PluginInfo("reg", "1.2.0", "b.reg", reg),
                new PluginInfo("taskonly", "1.0.0", "b.taskonly", taskOnly)));
        when(catalog.factory(org.mockito.ArgumentMatchers.anyString()))
                .thenAnswer(inv -> Optional.ofNullable(factories.get(inv.<String>getArgument(0))));
        resolver = new PluginResolver(catalog);
    }

    @Test
    void bindsConfigAndOrdersByDescriptorThenConfigOrder() {
        List<ResolvedPlugin> r = resolver.resolve(
                List.of(new PluginSpec("reg", Map.of("strength", 3)), new PluginSpec("observer", null)),
                List.of(Protocol.CLASS_IL, Protocol.TASK_IL));
        assertEquals(List.of("observer", "reg"), r.stream().map(p -> p.info().id()).toList());
        assertEquals(3.0, ((Penalty) r.get(1).instance()).strength);
        assertEquals("1.2.0", r.get(1).info().version());
    }

    @Test
    void everyRunGetsAFreshInstance() {
        List<PluginSpec> specs = List.of(new PluginSpec("reg", null));
        Plugin first = resolver.resolve(specs, List.of(Protocol.CLASS_IL)).get(0).instance();
        Plugin second = resolver.resolve(specs, List.of(Protocol.CLASS_IL)).get(0).instance();
        assertNotSame(first, second);
    }

    @Test
    void unknownPluginListsTheKnownOnes() {
        UserException e = assertThrows(UserException.class,
                () -> resolver.resolve(List.of(new PluginSpec("ewx", null)), List.of(Protocol.CLASS_IL)));
        assertEquals(UserException.BAD_CONFIG, e.exitCode());
        assertTrue(e.getMessage().contains("unknown plugin 'ewx'"), e.getMessage());
        assertTrue(e.getMessage().contains("liar, observer, reg, taskonly"), e.getMessage());
    }

    @Test
    void badPluginConfigNamesPluginAndKey() {
        UserException e = assertThrows(UserException.class, () -> resolver.resolve(
                List.of(new PluginSpec("reg", Map.of("strength", -1))), List.of(Protocol.CLASS_IL)));
        assertTrue(e.getMessage().contains("plugins.0.config (plugin 'reg')"), e.getMessage());
        assertTrue(e.getMessage().contains("'strength' must be >= 0"), e.getMessage());
        UserException unknown = assertThrows(UserException.class, () -> resolver.resolve(
                List.of(new PluginSpec("reg", Map.of("strenght", 1))), List.of(Protocol.CLASS_IL)));
        assertTrue(unknown.getMessage().contains("unknown key 'strenght'; known keys: strength"), unknown.getMessage());
    }

    @Test
    void multiHeadPluginsAskForMultiHeadAndTaskIlOnly() {
        UserException single = assertThrows(UserException.class, () -> resolver.resolve(
                List.of(new PluginSpec("taskonly", null)), RunTraits.of(List.of(Protocol.CLASS_IL, Protocol.TASK_IL))));
        assertEquals(UserException.BAD_CONFIG, single.exitCode());
        assertEquals("config: plugin 'taskonly' trains one head per task; set model.heads: multi (split scenarios"
                + " only, evaluated task_il)", single.getMessage());
        RunTraits multi = new RunTraits(List.of(Protocol.TASK_IL), true, 0.0);
        assertEquals(1, resolver.resolve(List.of(new PluginSpec("taskonly", null)), multi).size());
        UserException momentum = assertThrows(UserException.class, () -> resolver.resolve(
                List.of(new PluginSpec("taskonly", null)), new RunTraits(List.of(Protocol.TASK_IL), true, 0.9)));
        assertEquals("config: plugin 'taskonly' keeps weights fixed by zeroing their gradients, which momentum would"
                + " undo; set train.optimizer.momentum: 0 (now 0.9)", momentum.getMessage());
    }

    @Test
    void refusesUnsupportedProtocolAndBrokenPromises() {
        UserException protocol = assertThrows(UserException.class, () -> resolver.resolve(
                List.of(new PluginSpec("taskonly", null)), new RunTraits(List.of(Protocol.DOMAIN_IL), true, 0.0)));
        assertTrue(protocol.getMessage().contains("supports task_il but this scenario is evaluated domain_il"),
                protocol.getMessage());
        UserException liar = assertThrows(UserException.class, () -> resolver.resolve(
                List.of(new PluginSpec("liar", null)), List.of(Protocol.CLASS_IL)));
        assertEquals(UserException.PLUGIN_FAILED, liar.exitCode());
        assertTrue(liar.getMessage().contains("REHEARSAL"), liar.getMessage());
        UserException twice = assertThrows(UserException.class, () -> resolver.resolve(
                List.of(new PluginSpec("reg", null), new PluginSpec("reg", null)), List.of(Protocol.CLASS_IL)));
        assertTrue(twice.getMessage().contains("listed twice"), twice.getMessage());
    }
}
