package io.graft.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.api.Plugin;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which triggers let which action act: bound by 'when', or the shared ones. */
class TriggerBindingTest {

    private static final Plugin ANY = new Plugin() { };

    /** Plugins: 0 grow-at (trigger), 1 prune-at (trigger), 2 plateau (trigger), 3 widen (growth), 4 structured (pruner). */
    private static TriggerBinding binding(List<String> widenWhen, List<String> pruneWhen) {
        List<ActivePlugin> plugins = List.of(new ActivePlugin("grow-at", "1", ANY), new ActivePlugin("prune-at", "1", ANY),
                new ActivePlugin("plateau", "1", ANY), new ActivePlugin("widen", "1", ANY, widenWhen),
                new ActivePlugin("structured", "1", ANY, pruneWhen));
        return new TriggerBinding(plugins, i -> i < 3, i -> i >= 3, i -> i == 3);
    }

    @Test
    void boundActionsActOnTheirOwnTriggersAndTheOthersOnTheRest() {
        TriggerBinding b = binding(List.of("grow-at"), List.of("prune-at", "plateau"));
        Map<String, Boolean> growOnly = Map.of("grow-at", true, "prune-at", false, "plateau", true);
        assertTrue(b.acts("widen", growOnly, false));
        assertFalse(b.acts("structured", growOnly, false));
        assertTrue(b.acts("structured", Map.of("grow-at", false, "prune-at", true, "plateau", true), false));
        assertFalse(b.acts("structured", Map.of("grow-at", false, "prune-at", true, "plateau", false), false),
                "every trigger in 'when' must fire");
    }

    @Test
    void withoutWhenEveryTriggerMustFireAsBefore() {
        TriggerBinding b = binding(List.of(), List.of());
        assertFalse(b.acts("widen", Map.of("grow-at", true, "prune-at", false, "plateau", true), false));
        assertTrue(b.acts("structured", Map.of("grow-at", true, "prune-at", true, "plateau", true), false));
        // widen bound to grow-at leaves prune-at and plateau shared: the unbound pruner needs both
        TriggerBinding half = binding(List.of("grow-at"), List.of());
        assertTrue(half.acts("structured", Map.of("grow-at", false, "prune-at", true, "plateau", true), false));
    }

    @Test
    void badBindingsAreRefusedInOneLine() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> binding(List.of("plateu"), List.of()));
        assertEquals("plugin 'widen': when names 'plateu', which is not a trigger of this run; its triggers: grow-at,"
                + " prune-at, plateau", unknown.getMessage());
        IllegalArgumentException orphan = assertThrows(IllegalArgumentException.class,
                () -> binding(List.of(), List.of("grow-at", "prune-at", "plateau")));
        assertEquals("growth policy 'widen' needs a trigger to say when it acts; every trigger of this run is bound to"
                + " other actions: give it its own (when: [...])", orphan.getMessage());
        IllegalArgumentException notAnAction = assertThrows(IllegalArgumentException.class,
                () -> new TriggerBinding(List.of(new ActivePlugin("ewc", "1", ANY, List.of("plateau"))), i -> false,
                        i -> false, i -> false));
        assertTrue(notAnAction.getMessage().startsWith("plugin 'ewc' has 'when'"), notAnAction.getMessage());
    }
}
