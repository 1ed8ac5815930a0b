package io.graft.runtime.felix;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.log.FormatterLogger;
import org.osgi.service.log.LogService;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerConsumer;
import org.osgi.service.log.LoggerFactory;

/**
 * Where the OSGi side logs: the Felix framework, SCR (through an OSGi {@link LoggerFactory} the host
 * registers) and FileInstall (through the {@link LogService} the host registers, or
 * {@code java.util.logging} as a fallback). Messages go to a log file when one is given and to standard
 * error only in debug mode; the terminal stays quiet otherwise. The last error logged about each bundle
 * is kept, so the bundle report can say why a plugin failed.
 */
final class FelixLog implements AutoCloseable {

    static final int ERROR = 1;
    static final int WARN = 2;
    static final int INFO = 3;
    static final int DEBUG = 4;

    private static final java.util.regex.Pattern SCR_PREFIX =
            java.util.regex.Pattern.compile("^bundle \\S+ \\(\\d+\\)(\\[.*?\\(\\d+\\)\\])? : ");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final Path file;
    private final boolean echo;
    private final int threshold;
    private final Map<Long, String> lastErrors = new ConcurrentHashMap<>();
    private final java.util.Deque<String> recentErrors = new java.util.ArrayDeque<>();
    private final Object lock = new Object();
    private Writer writer;
    private boolean writerFailed;
    private java.util.logging.Logger julLogger;
    private Handler julHandler;

    /**
     * @param file where to append messages, or null for none
     * @param debug whether to log at debug level and echo every message to standard error
     */
    FelixLog(Path file, boolean debug) {
        this.file = file;
        this.echo = debug;
        this.threshold = debug ? DEBUG : (file != null ? INFO : ERROR);
    }

    /** @return the most verbose level written */
    int threshold() {
        return threshold;
    }

    /**
     * @param bundleId a bundle id
     * @return the last error logged about that bundle, one line
     */
    Optional<String> lastError(long bundleId) {
        return Optional.ofNullable(lastErrors.get(bundleId));
    }

    /**
     * @param text e.g. a jar's file name
     * @return the latest of the recent errors whose message contains the text, one line
     */
    Optional<String> lastErrorMentioning(String text) {
        synchronized (recentErrors) {
            for (String e : recentErrors) {
                if (e.contains(text)) {
                    return Optional.of(e);
                }
            }
        }
        return Optional.empty();
    }

    void log(int level, String source, Bundle bundle, String message, Throwable error) {
        if (level <= WARN) {
            String line = oneLine(message, error);
            if (level <= ERROR && bundle != null && bundle.getBundleId() != 0) {
                // SCR starts its messages with "bundle <bsn>:<version> (<id>)[<component>(<n>)] : "
                lastErrors.put(bundle.getBundleId(), SCR_PREFIX.matcher(line).replaceFirst(""));
            }
            synchronized (recentErrors) {
                recentErrors.addFirst(line);
                while (recentErrors.size() > 50) {
                    recentErrors.removeLast();
                }
            }
        }
        if (level > threshold) {
            return;
        }
        if (file == null && !echo) {
            return;
        }
        StringBuilder sb = new StringBuilder(128);
        sb.append(LocalDateTime.now().format(TIME)).append(' ').append(levelName(level)).append(" [")
                .append(source).append("] ");
        if (bundle != null && message != null && !message.contains(String.valueOf(bundle.getSymbolicName()))) {
            sb.append(bundle.getSymbolicName()).append(' ').append(bundle.getVersion()).append(": ");
        }
        sb.append(message);
        if (error != null) {
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            sb.append(System.lineSeparator()).append(trace.toString().stripTrailing());
        }
        String line = sb.toString();
        if (echo) {
            System.err.println(line);
        }
        if (file != null) {
            write(line);
        }
    }

    private void write(String line) {
        synchronized (lock) {
            if (writerFailed) {
                return;
            }
            try {
                if (writer == null) {
                    Path parent = file.toAbsolutePath().getParent();
                    if (parent != null) {
                        Files.createDirectories(parent);
                    }
                    writer = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND));
                }
                writer.write(line);
                writer.write(System.lineSeparator());
                writer.flush();
            } catch (IOException e) {
                writerFailed = true;
                System.err.println("graft: cannot write the OSGi log " + file + ": " + e.getMessage());
            }
        }
    }

    static String oneLine(String message, Throwable error) {
        StringBuilder sb = new StringBuilder(message == null ? "" : message.strip());
        Throwable root = error;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != null) {
            sb.append(": ").append(root.getClass().getSimpleName());
            if (root.getMessage() != null) {
                sb.append(": ").append(root.getMessage().strip());
            }
        }
        return sb.toString().replaceAll("\\s*\\R\\s*", " ");
    }

    private static String levelName(int level) {
        switch (level) {
            case ERROR: return "ERROR";
            case WARN: return "WARN ";
            case INFO: return "INFO ";
            default: return "DEBUG";
        }
    }

    /** @return a Felix framework logger writing here; pass it as {@code felix.log.logger} */
    org.apache.felix.framework.Logger frameworkLogger() {
        org.apache.felix.framework.Logger logger = new org.apache.felix.framework.Logger() {
            @Override
            protected void doLog(Bundle bundle, @SuppressWarnings("rawtypes") ServiceReference sr, int level,
                    String msg, Throwable throwable) {
                Bundle b = bundle != null ? bundle : (sr != null ? sr.getBundle() : null);
                FelixLog.this.log(level, "felix", b, msg, throwable);
            }
        };
        logger.setLogLevel(threshold);
        return logger;
    }

    /**
     * Registers the OSGi log service ({@link LogService} and {@link LoggerFactory}) in the framework, so
     * that SCR and FileInstall log here.
     *
     * @param systemContext the system bundle's context
     * @return the registration
     */
    ServiceRegistration<?> register(org.osgi.framework.BundleContext systemContext) {
        java.util.Hashtable<String, Object> props = new java.util.Hashtable<>();
        props.put(org.osgi.framework.Constants.SERVICE_RANKING, Integer.MAX_VALUE);
        props.put(org.osgi.framework.Constants.SERVICE_DESCRIPTION, "Graft host log");
        ServiceFactory<Object> factory = new ServiceFactory<>() {
            @Override
            public Object getService(Bundle user, ServiceRegistration<Object> registration) {
                return logService(user);
            }

            @Override
            public void ungetService(Bundle user, ServiceRegistration<Object> registration, Object service) {
                // nothing held
            }
        };
        return systemContext.registerService(
                new String[] {LogService.class.getName(), LoggerFactory.class.getName()}, factory, props);
    }

    /** Routes {@code java.util.logging} logger {@code fileinstall} (FileInstall's fallback) here. */
    void captureJul() {
        julLogger = java.util.logging.Logger.getLogger("fileinstall");
        julHandler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                int level = r.getLevel().intValue() >= Level.SEVERE.intValue() ? ERROR
                        : r.getLevel().intValue() >= Level.WARNING.intValue() ? WARN
                        : r.getLevel().intValue() >= Level.INFO.intValue() ? INFO : DEBUG;
                log(level, "fileinstall", null, r.getMessage(), r.getThrown());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        julLogger.setUseParentHandlers(false);
        julLogger.setLevel(Level.ALL);
        julLogger.addHandler(julHandler);
    }

    @Override
    public void close() {
        if (julLogger != null) {
            julLogger.removeHandler(julHandler);
            julLogger.setUseParentHandlers(true);
            julLogger = null;
        }
        synchronized (lock) {
            if (writer != null) {
                try {
                    writer.close();
                } catch (IOException ignored) {
                    // nothing more to do
                }
                writer = null;
            }
        }
    }

    // ---- the OSGi log service, as dynamic proxies (the interfaces have dozens of overloads) ----

    private Object logService(Bundle user) {
        String source = user == null || user.getSymbolicName() == null ? "osgi" : shortName(user.getSymbolicName());
        InvocationHandler h = (proxy, method, args) -> {
            switch (method.getName()) {
                case "log":
                    return serviceLog(source, args);
                case "getLogger":
                    return logger(source, args);
                case "getName":
                    return source;
                default:
                    return objectMethod(proxy, method, args, "LogService[" + source + "]");
            }
        };
        return Proxy.newProxyInstance(FelixLog.class.getClassLoader(),
                new Class<?>[] {LogService.class}, h);
    }

    private static String shortName(String bsn) {
        if (bsn.equals("org.apache.felix.scr")) {
            return "scr";
        }
        if (bsn.equals("org.apache.felix.fileinstall")) {
            return "fileinstall";
        }
        return bsn;
    }

    private Object serviceLog(String source, Object[] args) {
        // log(int, String) | log(int, String, Throwable) | log(ServiceReference, int, String[, Throwable])
        int i = 0;
        Bundle bundle = null;
        if (args[0] instanceof ServiceReference) {
            bundle = ((ServiceReference<?>) args[0]).getBundle();
            i = 1;
        }
        int level = (Integer) args[i];
        String msg = (String) args[i + 1];
        Throwable t = args.length > i + 2 ? (Throwable) args[i + 2] : null;
        log(level, source, bundle, msg, t);
        return null;
    }

    private Object logger(String source, Object[] args) {
        // getLogger(String) | getLogger(Class) | getLogger(String, Class) | getLogger(Class, Class)
        // | getLogger(Bundle, String, Class)
        Bundle bundle = null;
        String name = source;
        Class<?> type = Logger.class;
        for (Object a : args) {
            if (a instanceof Bundle) {
                bundle = (Bundle) a;
            }
        }
        int nameAt = bundle == null ? 0 : 1;
        if (args.length > nameAt) {
            Object n = args[nameAt];
            name = n instanceof Class ? ((Class<?>) n).getName() : String.valueOf(n);
        }
        if (args.length > nameAt + 1 && args[nameAt + 1] instanceof Class) {
            type = (Class<?>) args[nameAt + 1];
        }
        boolean printf = FormatterLogger.class.isAssignableFrom(type);
        Bundle about = bundle;
        String loggerName = name;
        InvocationHandler h = (proxy, method, a) -> loggerCall(proxy, method, a, source, about, loggerName, printf);
        return Proxy.newProxyInstance(FelixLog.class.getClassLoader(),
                new Class<?>[] {printf ? FormatterLogger.class : Logger.class}, h);
    }

    private Object loggerCall(Object proxy, Method method, Object[] args, String source, Bundle bundle,
            String name, boolean printf) throws Exception {
        String m = method.getName();
        if (m.equals("getName")) {
            return name;
        }
        int level = levelOf(m.startsWith("is") && m.endsWith("Enabled")
                ? m.substring(2, m.length() - "Enabled".length()).toLowerCase(java.util.Locale.ROOT) : m);
        if (level < 0) {
            return objectMethod(proxy, method, args, "Logger[" + name + "]");
        }
        if (m.startsWith("is")) {
            return level <= Math.max(threshold, ERROR);
        }
        if (args == null || args.length == 0) {
            return null;
        }
        if (args[0] instanceof LoggerConsumer) {
            if (level <= threshold) {
                @SuppressWarnings("unchecked")
                LoggerConsumer<Exception> consumer = (LoggerConsumer<Exception>) args[0];
                consumer.accept((Logger) proxy);
            }
            return null;
        }
        String format = String.valueOf(args[0]);
        List<Object> params = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i] instanceof Object[] && i == args.length - 1 && method.isVarArgs()) {
                params.addAll(Arrays.asList((Object[]) args[i]));
            } else {
                params.add(args[i]);
            }
        }
        Throwable error = null;
        Bundle about = bundle;
        if (!params.isEmpty() && params.get(params.size() - 1) instanceof Throwable) {
            error = (Throwable) params.remove(params.size() - 1);
        }
        if (!params.isEmpty() && params.get(params.size() - 1) instanceof ServiceReference) {
            ServiceReference<?> sr = (ServiceReference<?>) params.remove(params.size() - 1);
            if (about == null) {
                about = sr.getBundle();
            }
        }
        String text = printf ? safeFormat(format, params) : slf4jStyle(format, params);
        log(level, source, about, text, error);
        return null;
    }

    private static int levelOf(String name) {
        switch (name) {
            case "audit":
            case "error":
                return ERROR;
            case "warn":
                return WARN;
            case "info":
                return INFO;
            case "debug":
            case "trace":
                return DEBUG;
            default:
                return -1;
        }
    }

    private static String slf4jStyle(String format, List<Object> params) {
        StringBuilder sb = new StringBuilder();
        int from = 0;
        int p = 0;
        while (true) {
            int at = format.indexOf("{}", from);
            if (at < 0 || p >= params.size()) {
                sb.append(format, from, format.length());
                return sb.toString();
            }
            sb.append(format, from, at).append(params.get(p++));
            from = at + 2;
        }
    }

    private static String safeFormat(String format, List<Object> params) {
        try {
            return String.format(format, params.toArray());
        } catch (RuntimeException e) {
            return format + " " + params;
        }
    }

    private static Object objectMethod(Object proxy, Method method, Object[] args, String text) {
        switch (method.getName()) {
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return text;
            default:
                Class<?> r = method.getReturnType();
                if (r == boolean.class) {
                    return false;
                }
                return null;
        }
    }
}
