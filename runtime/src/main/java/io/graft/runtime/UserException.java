package io.graft.runtime;

/**
 * A problem the user can fix: bad config, missing or corrupt data, an unknown plugin, a plugin that
 * failed. The message is one line naming the problem and the fix; the CLI prints it as it is, without a
 * stack trace, and exits with {@link #exitCode()}.
 */
public class UserException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Exit code for a bad config or command line. */
    public static final int BAD_CONFIG = 2;
    /** Exit code for missing or unreadable data. */
    public static final int BAD_DATA = 3;
    /** Exit code for a plugin that is refused (broken descriptor) or failed during the run; an unknown plugin id is a config error. */
    public static final int PLUGIN_FAILED = 4;
    /** Exit code for a failure of the platform itself (device, engine). */
    public static final int INTERNAL = 5;

    private final int exitCode;

    /**
     * @param exitCode the process exit code to use
     * @param message one line naming the problem and the fix
     */
    public UserException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /**
     * @param exitCode the process exit code to use
     * @param message one line naming the problem and the fix
     * @param cause the underlying error, kept for logs
     */
    public UserException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** @return the process exit code */
    public int exitCode() {
        return exitCode;
    }
}
