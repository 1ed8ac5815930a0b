package io.graft.runtime.kernel;

import io.graft.runtime.UserException;

/**
 * A plugin threw (or returned something unusable) in one of its hooks; the run stops. The message is one
 * line such as {@code plugin 'ewc' failed in penalty at task 2, step 130: <cause>; metrics so far are
 * kept}. Exit code {@link UserException#PLUGIN_FAILED}.
 */
public class PluginFailure extends UserException {

    private static final long serialVersionUID = 1L;

    private final String pluginId;
    private final String hook;
    private final int task;
    private final long step;

    /**
     * @param pluginId the plugin's id
     * @param hook the hook that failed, e.g. {@code penalty} or {@code onTaskEnd}
     * @param task the task in progress, or {@code -1} outside tasks
     * @param step the step in progress, or {@code -1} outside steps
     * @param cause what the plugin threw
     */
    public PluginFailure(String pluginId, String hook, int task, long step, Throwable cause) {
        super(PLUGIN_FAILED, message(pluginId, hook, task, step, cause), cause);
        this.pluginId = pluginId;
        this.hook = hook;
        this.task = task;
        this.step = step;
    }

    /** @return the plugin's id */
    public String pluginId() {
        return pluginId;
    }

    /** @return the hook that failed */
    public String hook() {
        return hook;
    }

    /** @return the task in progress, or {@code -1} */
    public int task() {
        return task;
    }

    /** @return the step in progress, or {@code -1} */
    public long step() {
        return step;
    }

    private static String message(String pluginId, String hook, int task, long step, Throwable cause) {
        StringBuilder sb = new StringBuilder("plugin '").append(pluginId).append("' failed in ").append(hook);
        if (task >= 0) {
            sb.append(" at task ").append(task);
            if (step >= 0) {
                sb.append(", step ").append(step);
            }
        }
        return sb.append(": ").append(describe(cause)).append("; metrics so far are kept").toString();
    }

    /**
     * One line for a user: the message (its first line, at most 400 characters) or the exception's name.
     *
     * @param cause an exception
     * @return its description
     */
    public static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        String m = cause.getMessage();
        String text = m == null || m.isBlank() ? cause.getClass().getSimpleName()
                : (cause instanceof NullPointerException ? "NullPointerException: " + m : m);
        int nl = text.indexOf('\n');
        if (nl >= 0) {
            text = text.substring(0, nl);
        }
        text = text.replace('\r', ' ').strip();
        return text.length() > 400 ? text.substring(0, 400) + "..." : text;
    }
}
