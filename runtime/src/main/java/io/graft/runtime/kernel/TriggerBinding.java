package io.graft.runtime.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which triggers let which structural action (growth policy or pruner) act. An action that names triggers in its
 * {@code when} acts when all of them fire; those triggers are then private to the actions that name them. An action
 * without {@code when} acts when every trigger that no action names fires; with no such trigger, a pruner acts at
 * every task end and a growth policy is refused (it would never act). So a config without any {@code when} keeps
 * the rule "every trigger must fire", and grow/prune cycles bind each action to its own schedule.
 */
final class TriggerBinding {

    private final Map<String, List<String>> bound = new LinkedHashMap<>();
    private final Set<String> shared = new LinkedHashSet<>();

    /**
     * @param plugins the run's plugins, in order
     * @param isTrigger whether a plugin (by index) is a trigger
     * @param isAction whether a plugin (by index) is a growth policy or a pruner
     * @param isGrowth whether a plugin (by index) is a growth policy
     * @throws IllegalArgumentException with one line naming the plugin and the fix
     */
    TriggerBinding(List<ActivePlugin> plugins, java.util.function.IntPredicate isTrigger,
                   java.util.function.IntPredicate isAction, java.util.function.IntPredicate isGrowth) {
        List<String> triggers = new ArrayList<>();
        for (int i = 0; i < plugins.size(); i++) {
            if (isTrigger.test(i)) {
                triggers.add(plugins.get(i).id());
            }
        }
        Set<String> named = new LinkedHashSet<>();
        for (int i = 0; i < plugins.size(); i++) {
            ActivePlugin p = plugins.get(i);
            if (p.when().isEmpty()) {
                continue;
            }
            if (!isAction.test(i)) {
                throw new IllegalArgumentException("plugin '" + p.id() + "' has 'when', but only growth policies and"
                        + " pruners act when triggers fire; remove its when");
            }
            for (String t : p.when()) {
                if (!triggers.contains(t)) {
                    throw new IllegalArgumentException("plugin '" + p.id() + "': when names '" + t + "', which is not a"
                            + " trigger of this run; its triggers: " + (triggers.isEmpty() ? "none" : String.join(", ",
                            triggers)));
                }
            }
            bound.put(p.id(), List.copyOf(p.when()));
            named.addAll(p.when());
        }
        for (String t : triggers) {
            if (!named.contains(t)) {
                shared.add(t);
            }
        }
        for (int i = 0; i < plugins.size(); i++) {
            ActivePlugin p = plugins.get(i);
            if (isGrowth.test(i) && p.when().isEmpty() && shared.isEmpty()) {
                throw new IllegalArgumentException("growth policy '" + p.id() + "' needs a trigger to say when it acts;"
                        + (triggers.isEmpty() ? " add one to plugins (e.g. plateau, schedule or task-boundary)"
                        : " every trigger of this run is bound to other actions: give it its own (when: [...])"));
            }
        }
    }

    /**
     * @param action an action's plugin name
     * @param fired every trigger's answer this time, by name
     * @param boundary whether a task has just ended
     * @return whether the action acts now
     */
    boolean acts(String action, Map<String, Boolean> fired, boolean boundary) {
        List<String> own = bound.get(action);
        if (own != null) {
            return own.stream().allMatch(t -> fired.getOrDefault(t, false));
        }
        if (shared.isEmpty()) {
            return boundary;
        }
        return shared.stream().allMatch(t -> fired.getOrDefault(t, false));
    }
}
