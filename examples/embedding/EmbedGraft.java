import io.graft.api.Protocol;
import io.graft.api.model.TaskInfo;
import io.graft.runtime.UserException;
import io.graft.runtime.embed.Graft;
import io.graft.runtime.embed.Outcome;
import io.graft.runtime.kernel.KernelListener;
import io.graft.runtime.kernel.RunResult;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Graft embedded in a Java program, without the command line: start the plugin host once, run an experiment with
 * a progress listener, read the results. Runs as a single source file against an installation:
 *
 * <pre>
 * cd $GRAFT_HOME
 * java -cp "conf:lib/*" examples/embedding/EmbedGraft.java examples/split-fmnist-er.yaml runs/embedded \
 *      data.dir=examples/data/fashion-mnist-mini
 * </pre>
 * Arguments: the config file, the output folder, then any number of key=value overrides.
 */
public final class EmbedGraft {

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: EmbedGraft CONFIG OUT [key=value ...]");
            System.exit(2);
        }
        Path home = Path.of(System.getProperty("graft.home", ".")).toAbsolutePath();
        try (Graft graft = Graft.builder().home(home).start()) {
            var experiment = graft.experiment(Path.of(args[0])).out(Path.of(args[1]));
            for (String override : Arrays.copyOfRange(args, 2, args.length)) {
                int eq = override.indexOf('=');
                experiment.set(override.substring(0, eq), override.substring(eq + 1));
            }
            experiment.listener(new KernelListener() {
                @Override
                public void onTaskEnd(TaskInfo task, double seconds) {
                    System.out.printf("embedded: %s trained in %.1f s%n", task.name(), seconds);
                }
            });
            Outcome outcome = experiment.run();
            RunResult result = outcome.result();
            for (Protocol p : result.accuracy().keySet()) {
                System.out.printf("embedded: %s average accuracy %.4f%n", p.key(), result.metrics(p).averageAccuracy());
            }
            System.out.println("embedded: summary at " + outcome.summary());
        } catch (UserException e) {
            System.err.println("embedded: " + e.getMessage());
            System.exit(e.exitCode());
        }
    }
}
