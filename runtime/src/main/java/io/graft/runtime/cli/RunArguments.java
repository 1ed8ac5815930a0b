package io.graft.runtime.cli;

import io.graft.runtime.UserException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of {@code graft run CONFIG [--out DIR] [--set dotted.key=value ...]}.
 *
 * @param config the YAML config
 * @param out the output folder, or {@code null} for {@code runs/<name>}
 * @param overrides the {@code --set} values in order
 */
record RunArguments(Path config, Path out, List<String> overrides) {

    static final String USAGE = "usage: graft run CONFIG [--out DIR] [--set dotted.key=value ...]";

    static RunArguments parse(List<String> args) {
        Path config = null;
        Path out = null;
        List<String> overrides = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "--set" -> overrides.add(value(args, ++i, "--set"));
                default -> {
                    if (arg.startsWith("--out=")) {
                        out = Path.of(arg.substring(6));
                    } else if (arg.startsWith("--set=")) {
                        overrides.add(arg.substring(6));
                    } else if (arg.startsWith("-")) {
                        throw new UserException(UserException.BAD_CONFIG, "unknown option " + arg + "; " + USAGE);
                    } else if (config == null) {
                        config = Path.of(arg);
                    } else {
                        throw new UserException(UserException.BAD_CONFIG,
                                "more than one config given (" + config + ", " + arg + "); " + USAGE);
                    }
                }
            }
        }
        if (config == null) {
            throw new UserException(UserException.BAD_CONFIG, "no config given; " + USAGE);
        }
        return new RunArguments(config, out, List.copyOf(overrides));
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new UserException(UserException.BAD_CONFIG, option + " needs a value; " + USAGE);
        }
        return args.get(i);
    }
}
