package io.graft.runtime.cli;

import io.graft.runtime.UserException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of {@code graft run CONFIG [--out DIR] [--set dotted.key=value ...]}, and of every command of
 * that shape ({@code graft compare}).
 *
 * @param config the YAML file
 * @param out the output folder, or {@code null} for {@code runs/<name>}
 * @param overrides the {@code --set} values in order
 */
record RunArguments(Path config, Path out, List<String> overrides) {

    static final String USAGE = "usage: graft run CONFIG [--out DIR] [--set dotted.key=value ...]";

    static RunArguments parse(List<String> args) {
        return parse(args, "config", USAGE);
    }

    /**
     * @param args the command's arguments
     * @param file what the file is called in messages, e.g. {@code compare file}
     * @param usage the command's usage line
     * @return the parsed arguments
     * @throws UserException (BAD_CONFIG) naming what is wrong
     */
    static RunArguments parse(List<String> args, String file, String usage) {
        Path config = null;
        Path out = null;
        List<String> overrides = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--out" -> out = Path.of(value(args, ++i, "--out", usage));
                case "--set" -> overrides.add(value(args, ++i, "--set", usage));
                default -> {
                    if (arg.startsWith("--out=")) {
                        out = Path.of(arg.substring(6));
                    } else if (arg.startsWith("--set=")) {
                        overrides.add(arg.substring(6));
                    } else if (arg.startsWith("-")) {
                        throw new UserException(UserException.BAD_CONFIG, "unknown option " + arg + "; " + usage);
                    } else if (config == null) {
                        config = Path.of(arg);
                    } else {
                        throw new UserException(UserException.BAD_CONFIG,
                                "more than one " + file + " given (" + config + ", " + arg + "); " + usage);
                    }
                }
            }
        }
        if (config == null) {
            throw new UserException(UserException.BAD_CONFIG, "no " + file + " given; " + usage);
        }
        return new RunArguments(config, out, List.copyOf(overrides));
    }

    private static String value(List<String> args, int i, String option, String usage) {
        if (i >= args.size()) {
            throw new UserException(UserException.BAD_CONFIG, option + " needs a value; " + usage);
        }
        return args.get(i);
    }
}
