package io.graft.api.config;

/**
 * A configuration value that cannot be used. The message is one line that names the key, what is wrong
 * and how to fix it; the host shows it to the user as it is.
 */
public class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * @param key the offending key (relative to the plugin's configuration), or {@code null}
     * @param message one line naming the problem and the fix
     */
    public ConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** @return the offending key, or {@code null} when the problem is not one key */
    public String key() {
        return key;
    }
}
