package io.graft.runtime.cli;

import io.graft.api.Protocol;
import io.graft.runtime.UserException;
import io.graft.runtime.bench.InferenceBenchmark;
import io.graft.runtime.bench.KernelBenchmark;
import io.graft.runtime.config.PluginSpec;
import io.graft.runtime.felix.FelixHost;
import io.graft.runtime.kernel.ActivePlugin;
import io.graft.runtime.plugin.PluginResolver;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@code graft bench [--batch N] [--samples N] [--reps N] [--warmup N] [--data DIR] [--plugins ID,ID | --noop N]}:
 * the throughput of a plain DJL loop, of the kernel without plugins and, with {@code --plugins}, of the kernel
 * with those plugins (default configs, loaded through Felix like in a run), or with {@code --noop N}, of the kernel
 * with N plugins that do nothing on every hook (what hook dispatch costs), in one JVM.
 */
final class BenchCommand {

    private static final String USAGE =
            "usage: graft bench [--batch N] [--samples N] [--reps N] [--warmup N] [--data DIR] [--plugins ewc,er | --noop N]"
                    + " | graft bench --inference 256x256,128x128 [--batch N] [--reps N] [--warmup N]";

    private final PrintStream out;

    BenchCommand(PrintStream out) {
        this.out = out;
    }

    int execute(List<String> args) {
        KernelBenchmark.Options d = KernelBenchmark.Options.defaults();
        int batch = d.batchSize();
        int samples = d.samples();
        int reps = d.repetitions();
        int warmup = d.warmup();
        Path data = null;
        List<String> pluginIds = List.of();
        int noop = 0;
        List<List<Integer>> inference = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String value = i + 1 < args.size() ? args.get(i + 1) : null;
            if (value == null) {
                throw new UserException(UserException.BAD_CONFIG, arg + " needs a value; " + USAGE);
            }
            i++;
            switch (arg) {
                case "--batch" -> batch = number(arg, value);
                case "--samples" -> samples = number(arg, value);
                case "--reps" -> reps = number(arg, value);
                case "--warmup" -> warmup = number(arg, value);
                case "--data" -> data = Path.of(value);
                case "--plugins" -> pluginIds = List.of(value.split(","));
                case "--noop" -> noop = number(arg, value);
                case "--inference" -> inference = shapes(value);
                default -> throw new UserException(UserException.BAD_CONFIG, "unknown option " + arg + "; " + USAGE);
            }
        }
        if (inference != null) {
            out.printf(Locale.ROOT, "bench: inference of MLP 784-(hidden)-10, batch %d, %d warm-up + %d timed passes each%n",
                    batch, warmup, reps);
            out.print(InferenceBenchmark.format(InferenceBenchmark.run(784, 10, inference, batch, warmup, reps,
                    ai.djl.Device.cpu())));
            return 0;
        }
        KernelBenchmark.Options options = new KernelBenchmark.Options(batch, samples, reps, warmup, d.hidden(),
                d.learningRate(), data);
        out.printf(Locale.ROOT, "bench: MLP 784-%s-10, batch %d, %d samples per repetition, %d warm-up + %d timed%n",
                d.hidden(), batch, samples, warmup, reps);
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        if (load > 0.5) {
            out.printf(Locale.ROOT, "warning: system load average is %.2f on %d cores; other processes skew the figures%n",
                    load, Runtime.getRuntime().availableProcessors());
        }
        if (noop > 0) {
            int count = noop;
            out.printf(Locale.ROOT, "bench: kernel+plugins = %d no-op plugins on every hook (replay, penalty, transform,"
                    + " masks, trigger, step hooks)%n", count);
            out.print(KernelBenchmark.run(options, () -> KernelBenchmark.noOps(count)));
            return 0;
        }
        if (pluginIds.isEmpty()) {
            out.print(KernelBenchmark.run(options, null));
            return 0;
        }
        try (FelixHost host = Installation.startHost(Installation.layout(), null)) {
            List<PluginSpec> specs = pluginIds.stream().map(id -> new PluginSpec(id.trim(), null)).toList();
            PluginResolver resolver = new PluginResolver(host.registry());
            Supplier<List<ActivePlugin>> plugins = () -> {
                List<ActivePlugin> active = new ArrayList<>();
                resolver.resolve(specs, List.of(Protocol.CLASS_IL, Protocol.TASK_IL)).forEach(p ->
                        active.add(new ActivePlugin(p.name(), p.info().version(), p.instance(), p.when())));
                return active;
            };
            out.print(KernelBenchmark.run(options, plugins));
        }
        return 0;
    }

    /** Parses {@code 256x256,128x128} into hidden widths per host. */
    private static List<List<Integer>> shapes(String value) {
        List<List<Integer>> shapes = new ArrayList<>();
        for (String shape : value.split(",")) {
            List<Integer> widths = new ArrayList<>();
            for (String w : shape.trim().split("x")) {
                widths.add(number("--inference", w.trim()));
            }
            shapes.add(widths);
        }
        return shapes;
    }

    private static int number(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserException(UserException.BAD_CONFIG, option + " must be a whole number >= 1, got '" + value + "'");
    }
}
