package io.graft.runtime.wiring;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.ProvisionException;
import com.google.inject.spi.Message;
import io.graft.runtime.UserException;
import io.graft.runtime.config.ExperimentConfig;
import io.graft.runtime.kernel.KernelListener;
import io.graft.runtime.kernel.RunResult;
import io.graft.runtime.plugin.PluginCatalog;
import java.nio.file.Path;
import java.util.List;

/** Entry point of the wiring: builds one injector for one run and executes it. */
public final class Runs {

    private Runs() {}

    /**
     * @param config the resolved config
     * @param out the output folder
     * @param catalog where plugins come from
     * @param listeners listeners beyond the metrics file (a progress bar)
     * @return the result; {@code out} holds {@code config.yaml}, {@code metrics.jsonl} and {@code summary.json}
     * @throws UserException for anything the user can fix, unwrapped from Guice's exceptions
     */
    public static RunResult execute(ExperimentConfig config, Path out, PluginCatalog catalog,
                                    List<KernelListener> listeners) {
        return execute(config, out, catalog, listeners, null);
    }

    /**
     * @param config the resolved config (for a resumed run: the one the run was started with)
     * @param out the output folder
     * @param catalog where plugins come from
     * @param listeners listeners beyond the metrics file
     * @param checkpoint a committed checkpoint to go on from, or null to start from the beginning
     * @return the result
     * @throws UserException for anything the user can fix
     */
    public static RunResult execute(ExperimentConfig config, Path out, PluginCatalog catalog,
                                    List<KernelListener> listeners, Path checkpoint) {
        try {
            return Guice.createInjector(new RunModule(config, out, catalog, listeners))
                    .getInstance(ExperimentRun.class).execute(checkpoint);
        } catch (ProvisionException e) {
            throw unwrap(e, e.getErrorMessages());
        } catch (CreationException e) {
            throw unwrap(e, e.getErrorMessages());
        }
    }

    private static RuntimeException unwrap(RuntimeException e, Iterable<Message> messages) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UserException u) {
                return u;
            }
        }
        for (Message m : messages) {
            for (Throwable t = m.getCause(); t != null; t = t.getCause()) {
                if (t instanceof UserException u) {
                    return u;
                }
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
                return new UserException(UserException.INTERNAL, "out of memory (" + oom.getMessage() + ") while"
                        + " preparing the run; give the JVM more, e.g. JAVA_OPTS=-Xmx8g", oom);
            }
        }
        return e;
    }
}
