package io.graft.runtime.cli;

import io.graft.runtime.UserException;
import io.graft.runtime.kernel.PluginFailure;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code graft} command. Every failure reaches the user as one line on stderr and a non-zero exit
 * code; stack traces go to a log file only.
 */
public final class Main {

    private static final String HELP = """
            usage: graft COMMAND [ARGS]
              run CONFIG [--out DIR] [--set dotted.key=value ...]   train and evaluate one experiment
              resume DIR                                             go on with an interrupted run from its last checkpoint
              compare CONFIG [--out DIR] [--set k=v ...]             run a grid of methods x orders x seeds, tabulate it
              plugins                                                list plugins and plugin bundles
              summary DIR [DIR ...]                                  compare the summary.json of finished runs
              bench [--batch N] [--samples N] [--plugins ewc,er]     kernel vs plain DJL loop throughput
              version                                                print the version""";

    private Main() {}

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        int code = run(Arrays.asList(args), System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /**
     * Runs a command without exiting the JVM (tests call this).
     *
     * @param args the command line
     * @param out standard output
     * @param err standard error
     * @return the exit code
     */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help") || args.get(0).equals("-h")) {
            out.println(HELP);
            return args.isEmpty() ? UserException.BAD_CONFIG : 0;
        }
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (args.get(0)) {
                case "run" -> new RunCommand(out, err).execute(RunArguments.parse(rest));
                case "resume" -> new ResumeCommand(out, err).execute(rest);
                case "plugins" -> new PluginsCommand(out).execute();
                case "summary" -> new SummaryCommand(out).execute(rest);
                case "compare" -> new CompareCommand(out, err).execute(rest);
                case "bench" -> new BenchCommand(out).execute(rest);
                case "version", "--version" -> {
                    out.println("graft " + version());
                    yield 0;
                }
                default -> throw new UserException(UserException.BAD_CONFIG,
                        "unknown command '" + args.get(0) + "'; commands: run, resume, compare, plugins, summary, bench, version");
            };
        } catch (UserException e) {
            err.println("graft: " + String.valueOf(e.getMessage()).strip().replaceAll("\\s*\\R\\s*", " "));
            if (e.getCause() != null) {
                ErrorLog.write(e);
            }
            return e.exitCode();
        } catch (RuntimeException | Error e) {
            String where = ErrorLog.write(e);
            // one line whatever the exception's own message holds (Guice's span many)
            String what = e instanceof OutOfMemoryError
                    ? "out of memory (" + e.getMessage() + "); give the JVM more, e.g. JAVA_OPTS=-Xmx8g"
                    : "internal error: " + e.getClass().getSimpleName() + ": " + PluginFailure.describe(e);
            err.println("graft: " + what + (where == null ? "" : "; details in " + where));
            return UserException.INTERNAL;
        }
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
