package io.graft.runtime.felix;

import ai.djl.engine.Engine;
import io.graft.runtime.UserException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The embedded OSGi framework: Apache Felix with Declarative Services (SCR) and FileInstall watching the
 * plugins folder, exporting the Graft API, DJL and SLF4J from the host's class path.
 *
 * <pre>{@code
 * try (FelixHost host = FelixHost.builder(GraftLayout.current().orElseThrow()).start()) {
 *     PluginsReport report = host.awaitSettled(Duration.ofSeconds(10));
 *     PluginCatalog catalog = host.registry();
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link Builder#start()} initialises the DJL engine on the calling thread first (DJL must find its
 * engine through the host's class loader, once), then starts Felix with a fresh storage folder, installs
 * and starts every bundle of the OSGi bundles folder ({@code lib/osgi}), and lets FileInstall install and
 * start the plugin bundles. Felix, SCR and FileInstall log into a log file when one is given, to standard
 * error only in debug mode, and nowhere otherwise.
 *
 * <p>What may load: FileInstall watches the plugins folder alone (its jars, no sub-folders), and
 * {@link PluginGate} keeps every bundle that is neither from {@code lib/osgi} nor a jar of the plugins
 * folder from resolving or starting, whoever installed it. With an allow-list
 * ({@link Builder#allowList(Path)}, {@code conf/trusted-plugins.txt} of an installation) a jar whose SHA-256
 * is not listed is refused the same way. Refused bundles and bundles built for another api are reported
 * with one line each, and the registry tells a run that asks for their plugin ids why they are missing.
 */
public final class FelixHost implements AutoCloseable {

    /** Bundles of the OSGi folder that must be there and active. */
    static final List<String> REQUIRED_BUNDLES = List.of("org.apache.felix.scr", "org.apache.felix.fileinstall");
    private static final String FILEINSTALL = "org.apache.felix.fileinstall";

    private final Path pluginsDir;
    private final Path osgiDir;
    private final Path storage;
    private final boolean ownsStorage;
    private final long pollMillis;
    private final FelixLog log;
    private final String systemPackagesExtra;
    private final Framework framework;
    private final PluginRegistry registry;
    private final List<Bundle> infrastructure = new ArrayList<>();
    private final long startedAt;
    /** When a bundle (id) was first seen in its current state, to tell "still starting" from "failed". */
    private final Map<String, Long> firstSeen = new HashMap<>();
    private final java.util.Set<String> seenThisRound = new java.util.HashSet<>();
    private final Map<String, String> startFailures = new HashMap<>();
    private final Thread shutdownHook;
    private final PluginGate gate;
    private final ApiCompatibility api;
    /** What each jar says about itself, by path, with the size and time it had when read. */
    private final Map<Path, ReadJar> jarFacts = new HashMap<>();
    private volatile boolean closed;

    private record ReadJar(long size, long modified, PluginJar jar) {}

    private FelixHost(Builder b) {
        this.pluginsDir = b.pluginsDir.toAbsolutePath().normalize();
        this.osgiDir = b.osgiBundles.toAbsolutePath().normalize();
        this.pollMillis = b.pollMillis;
        List<Path> osgiJars = jars(osgiDir);
        if (osgiJars.isEmpty()) {
            throw new UserException(UserException.INTERNAL, "the OSGi bundles folder " + osgiDir
                    + " is missing or has no jars; reinstall Graft");
        }
        try {
            Files.createDirectories(pluginsDir);
        } catch (IOException e) {
            throw new UserException(UserException.INTERNAL, "cannot create the plugins folder " + pluginsDir
                    + ": " + e.getMessage(), e);
        }
        if (b.initEngine) {
            initEngine();
        }
        this.gate = new PluginGate(pluginsDir, osgiDir, TrustList.load(b.allowList).orElse(null));
        this.systemPackagesExtra = SystemPackages.extra();
        this.api = ApiCompatibility.ofHost();
        try {
            if (b.storage != null) {
                this.storage = b.storage.toAbsolutePath().normalize();
                this.ownsStorage = false;
                // Felix empties it on start (org.osgi.framework.storage.clean=onFirstInit)
                Files.createDirectories(storage);
            } else {
                this.storage = Files.createTempDirectory("graft-felix-");
                this.ownsStorage = true;
            }
        } catch (IOException e) {
            throw new UserException(UserException.INTERNAL, "cannot prepare the OSGi storage folder: "
                    + e.getMessage(), e);
        }
        this.log = new FelixLog(b.logFile, b.debug);
        Map<String, Object> config = configuration(b);
        Framework fw = new FrameworkFactory().newFramework(config);
        PluginRegistry reg = null;
        try {
            fw.init();
            BundleContext ctx = fw.getBundleContext();
            log.register(ctx);
            log.captureJul();
            gate.install(ctx);
            reg = new PluginRegistry(ctx);
            reg.open();
            fw.start();
            installInfrastructure(ctx, osgiJars);
        } catch (BundleException | RuntimeException e) {
            stopQuietly(fw);
            log.close();
            if (ownsStorage) {
                deleteQuietly(storage);
            }
            if (e instanceof UserException) {
                throw (UserException) e;
            }
            throw new UserException(UserException.INTERNAL, "the OSGi framework did not start: "
                    + FelixLog.oneLine(e.getMessage(), e.getCause()), e);
        }
        this.framework = fw;
        this.registry = reg;
        this.startedAt = System.currentTimeMillis();
        // a JVM that exits without close() (System.exit, Ctrl-C) still stops Felix and removes the storage
        this.shutdownHook = new Thread(this::close, "graft-felix-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** @return a builder with no folders set */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param layout an installed Graft
     * @return a builder for its {@code lib/osgi} and {@code plugins} folders
     */
    public static Builder builder(GraftLayout layout) {
        return new Builder().osgiBundles(layout.osgiBundles()).pluginsDir(layout.plugins())
                .allowList(layout.conf().resolve(TrustList.FILE_NAME));
    }

    /**
     * Initialises DJL's engine on this thread with the host's class loader as context loader. Called by
     * {@link Builder#start()}; safe to call more than once.
     *
     * @throws UserException when no engine can be loaded
     */
    public static void initEngine() {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(FelixHost.class.getClassLoader());
        try {
            Engine.getInstance();
        } catch (RuntimeException | LinkageError e) {
            throw new UserException(UserException.INTERNAL, "the DJL engine did not load: "
                    + FelixLog.oneLine(e.getMessage(), e.getCause()), e);
        } finally {
            t.setContextClassLoader(before);
        }
    }

    private Map<String, Object> configuration(Builder b) {
        Map<String, Object> c = new HashMap<>();
        c.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        c.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        c.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, systemPackagesExtra);
        c.put("felix.log.logger", log.frameworkLogger());
        c.put("felix.log.level", String.valueOf(log.threshold()));
        c.put("felix.shutdown.hook", "false");
        // FileInstall: the plugins folder, jars only (no sub-folders, which it would pack as jars), polled
        // often, new bundles started. No ConfigAdmin is installed, so no configuration can add a folder.
        c.put("felix.fileinstall.dir", pluginsDir.toString());
        c.put("felix.fileinstall.subdir.mode", "skip");
        c.put("felix.fileinstall.poll", String.valueOf(pollMillis));
        c.put("felix.fileinstall.noInitialDelay", "true");
        c.put("felix.fileinstall.filter", ".*\\.jar");
        c.put("felix.fileinstall.bundles.new.start", "true");
        c.put("felix.fileinstall.tmpdir", storage.resolve("fileinstall-tmp").toString());
        c.put("felix.fileinstall.log.level", String.valueOf(log.threshold()));
        c.put("felix.fileinstall.log.default", "jul");
        // SCR logs through the LoggerFactory the host registers; its console fallback stays quiet
        c.put("ds.loglevel", b.debug ? "debug" : "error");
        c.putAll(b.properties);
        return c;
    }

    private void installInfrastructure(BundleContext ctx, List<Path> jars) throws BundleException {
        List<Path> ordered = new ArrayList<>(jars);
        // FileInstall last: plugin bundles arrive once SCR is there to see them
        ordered.sort(Comparator.comparing((Path p) -> p.getFileName().toString().contains("fileinstall"))
                .thenComparing(p -> p.getFileName().toString()));
        for (Path jar : ordered) {
            infrastructure.add(ctx.installBundle(jar.toUri().toString()));
        }
        List<String> names = infrastructure.stream().map(Bundle::getSymbolicName).collect(Collectors.toList());
        for (String required : REQUIRED_BUNDLES) {
            if (!names.contains(required)) {
                throw new UserException(UserException.INTERNAL, "the OSGi bundles folder " + osgiDir
                        + " has no " + required + " bundle; reinstall Graft");
            }
        }
        infrastructure.sort(Comparator.comparing(bundle -> FILEINSTALL.equals(bundle.getSymbolicName())));
        for (Bundle bundle : infrastructure) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
                continue;
            }
            try {
                bundle.start();
            } catch (BundleException e) {
                String why = e.getType() == BundleException.RESOLVE_ERROR
                        ? Diagnosis.fromResolver(e.getMessage()) : FelixLog.oneLine(e.getMessage(), e.getCause());
                throw new UserException(UserException.INTERNAL, "the OSGi bundle " + bundle.getSymbolicName()
                        + " (" + osgiDir.relativize(Path.of(java.net.URI.create(bundle.getLocation())))
                        + ") did not start: " + why + "; reinstall Graft", e);
            }
        }
    }

    // ---- accessors ----

    /** @return the plugin registry, tracking {@link io.graft.api.PluginFactory} services */
    public PluginRegistry registry() {
        return registry;
    }

    /** @return the folder FileInstall watches */
    public Path pluginsDir() {
        return pluginsDir;
    }

    /** @return the folder of the OSGi infrastructure bundles */
    public Path osgiBundlesDir() {
        return osgiDir;
    }

    /** @return the framework, for tests and diagnostics */
    public Framework framework() {
        return framework;
    }

    /** @return the system bundle's context */
    public BundleContext bundleContext() {
        return framework.getBundleContext();
    }

    /** @return the value given to {@code org.osgi.framework.system.packages.extra} */
    public String systemPackagesExtra() {
        return systemPackagesExtra;
    }

    /**
     * @return the infrastructure bundles (SCR and its dependencies, FileInstall) as
     *     {@code symbolic-name version STATE}
     */
    public List<String> infrastructure() {
        return infrastructure.stream()
                .map(b -> b.getSymbolicName() + " " + b.getVersion() + " " + stateName(b.getState()))
                .collect(Collectors.toList());
    }

    // ---- the plugins folder ----

    /**
     * Waits until FileInstall and SCR have processed every jar of the plugins folder: each jar is installed
     * and active with its plugins registered, or has failed (with a reason), and no bundle of a deleted jar
     * is still installed.
     *
     * @param timeout how long to wait at most
     * @return the report; {@link PluginsReport#settled()} is false when the timeout ran out first
     */
    public PluginsReport awaitSettled(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            PluginsReport r = report();
            if (r.settled() || System.nanoTime() >= deadline || closed) {
                return r;
            }
            try {
                Thread.sleep(Math.min(100, Math.max(10, pollMillis / 5)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return r;
            }
        }
    }

    /** @return the state of the plugins folder now, without waiting */
    public synchronized PluginsReport report() {
        if (closed) {
            throw new IllegalStateException("the OSGi host is closed");
        }
        BundleContext ctx = framework.getBundleContext();
        FrameworkWiring wiring = framework.adapt(FrameworkWiring.class);
        long now = System.currentTimeMillis();
        // a jar is given this long to be picked up, resolved and started before it counts as failed
        // (FileInstall processes the jars present at start-up before start() returns, later ones within
        // two polls)
        long grace = 2 * pollMillis + 500;

        Map<Path, Bundle> installed = new LinkedHashMap<>();
        for (Bundle b : ctx.getBundles()) {
            Path p = locationPath(b.getLocation());
            if (p != null && pluginsDir.equals(p.getParent())) {
                installed.put(p, b);
            }
        }
        List<BundleStatus> out = new ArrayList<>();
        List<Path> files = jars(pluginsDir);
        for (Path file : files) {
            Bundle b = installed.remove(file);
            out.add(b == null ? notInstalled(file, installed, ctx, now, grace)
                    : installedStatus(file, b, ctx, wiring, now, grace));
        }
        for (Map.Entry<Path, Bundle> gone : installed.entrySet()) {
            Bundle b = gone.getValue();
            out.add(new BundleStatus(gone.getKey().getFileName().toString(), b.getBundleId(), b.getSymbolicName(),
                    b.getVersion().toString(), stateName(b.getState()), registry.offersOf(b.getBundleId()),
                    "the jar was deleted but the bundle is still installed", true));
        }
        out.sort(Comparator.comparing(BundleStatus::file));
        firstSeen.keySet().retainAll(seenThisRound);
        seenThisRound.clear();
        jarFacts.keySet().retainAll(files);
        boolean settled = out.stream().noneMatch(BundleStatus::pending);
        registry.unavailable(unavailableIds(out));
        String allowList = gate.trust().map(t -> t.file() + " (" + t.size() + " checksum" + (t.size() == 1 ? "" : "s")
                + ")").orElse(null);
        return new PluginsReport(pluginsDir, out, settled, api.describe(), allowList);
    }

    /** Each id a refused or failed jar declares, with the line a run that asks for it gets. */
    private static Map<String, String> unavailableIds(List<BundleStatus> bundles) {
        Map<String, String> out = new HashMap<>();
        for (BundleStatus b : bundles) {
            if (b.problem() == null) {
                continue;
            }
            for (String id : b.declaredIds()) {
                String line = b.refused() ? b.problem() : "plugin '" + id + "' (" + b.file() + ") does not work: "
                        + b.problem() + "; see 'graft plugins'";
                out.putIfAbsent(id, line);
            }
        }
        return out;
    }

    /** @return what a jar says about itself, read again only when it changed; null when it cannot be read */
    private PluginJar facts(Path file) {
        try {
            java.nio.file.attribute.BasicFileAttributes attrs =
                    Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
            ReadJar known = jarFacts.get(file);
            if (known != null && known.size() == attrs.size()
                    && known.modified() == attrs.lastModifiedTime().toMillis()) {
                return known.jar();
            }
            PluginJar jar = PluginJar.read(file);
            jarFacts.put(file, new ReadJar(attrs.size(), attrs.lastModifiedTime().toMillis(), jar));
            return jar;
        } catch (IOException e) {
            return null;
        }
    }

    /** @return the one-line refusal of a jar by the allow-list, naming its plugins, or null */
    private String trustRefusal(Path file, PluginJar jar, Bundle installed) {
        java.util.Optional<String> why = installed != null ? gate.refusal(installed) : gate.refusal(file);
        String name = file.getFileName().toString();
        return why.map(w -> (jar == null ? name : jar.describe(name)) + " " + w)
                .orElse(null);
    }

    private BundleStatus installedStatus(Path file, Bundle b, BundleContext ctx, FrameworkWiring wiring,
            long now, long grace) {
        String name = file.getFileName().toString();
        String state = stateName(b.getState());
        String key = b.getBundleId() + ":" + b.getLastModified() + ":" + state;
        long since = seenSince(key, now);
        boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
        String problem = null;
        boolean pending = false;
        try {
            if (Files.getLastModifiedTime(file).toMillis() > b.getLastModified()) {
                // FileInstall has not picked up the new content yet
                pending = true;
            }
        } catch (IOException e) {
            pending = true;
        }
        PluginJar jar = facts(file);
        List<String> declared = jar == null ? List.of() : jar.pluginIds();
        String refused = trustRefusal(file, jar, b);
        if (refused == null && jar != null && b.getState() == Bundle.INSTALLED) {
            refused = api.check(jar, name).orElse(null);
        }
        if (refused != null) {
            return new BundleStatus(name, b.getBundleId(), b.getSymbolicName(), b.getVersion().toString(),
                    stateName(b.getState()), List.of(), refused, pending, true, declared);
        }
        switch (b.getState()) {
            case Bundle.INSTALLED: {
                problem = Diagnosis.missingRequirements(b, wiring, ctx);
                if (problem == null && !wiring.resolveBundles(List.of(b))) {
                    problem = resolverMessage(b);
                }
                if (problem == null) {
                    pending = true;
                }
                break;
            }
            case Bundle.RESOLVED: {
                if (fragment) {
                    break;
                }
                if (now - since < grace) {
                    pending = true;
                } else {
                    problem = startFailure(b);
                    if (problem == null) {
                        pending = true;
                    }
                }
                break;
            }
            case Bundle.ACTIVE: {
                problem = registry.failure(b.getBundleId())
                        .map(f -> f.endsWith(PluginRegistry.SEE_LOG)
                                ? log.lastError(b.getBundleId()).map(e -> f.substring(0, f.length() - PluginRegistry.SEE_LOG.length()) + ": " + e).orElse(f)
                                : f)
                        .orElse(null);
                boolean components = b.getHeaders().get("Service-Component") != null;
                org.osgi.framework.ServiceReference<?>[] services = b.getRegisteredServices();
                boolean registers = services != null && services.length > 0;
                if (registers && java.util.Arrays.stream(services)
                        .anyMatch(ref -> isPluginFactory(ref) && !registry.handled(ref))) {
                    // SCR is still activating a factory the registry is about to get
                    pending = true;
                }
                if (problem == null && components && !registers) {
                    if (now - since < grace) {
                        pending = true;
                    } else {
                        problem = "registers no plugin"
                                + log.lastError(b.getBundleId()).map(e -> ": " + e).orElse(" (see the OSGi log)");
                    }
                }
                break;
            }
            default:
                pending = true;
        }
        String sn = b.getSymbolicName();
        return new BundleStatus(name, b.getBundleId(), sn, b.getVersion().toString(),
                stateName(b.getState()), registry.offersOf(b.getBundleId()), problem, pending, false, declared);
    }

    private String resolverMessage(Bundle b) {
        String key = "resolve:" + b.getBundleId() + ":" + b.getLastModified();
        String cached = startFailures.get(key);
        if (cached != null) {
            return cached;
        }
        try {
            b.start(Bundle.START_TRANSIENT);
            return null;
        } catch (BundleException | IllegalStateException e) {
            String why = e instanceof BundleException && ((BundleException) e).getType() == BundleException.RESOLVE_ERROR
                    ? Diagnosis.fromResolver(e.getMessage()) : FelixLog.oneLine(e.getMessage(), e.getCause());
            startFailures.put(key, why);
            return why;
        }
    }

    private String startFailure(Bundle b) {
        String key = "start:" + b.getBundleId() + ":" + b.getLastModified();
        String cached = startFailures.get(key);
        if (cached != null) {
            return cached;
        }
        try {
            b.start(Bundle.START_TRANSIENT);
            return null;
        } catch (BundleException | IllegalStateException e) {
            Throwable cause = e.getCause();
            String why = "failed to start: " + FelixLog.oneLine(e.getMessage(), cause);
            startFailures.put(key, why);
            return why;
        }
    }

    private BundleStatus notInstalled(Path file, Map<Path, Bundle> others, BundleContext ctx, long now, long grace) {
        String name = file.getFileName().toString();
        String bsn = null;
        String version = null;
        String problem;
        List<String> declared = List.of();
        try {
            PluginJar jar = PluginJar.read(file);
            bsn = jar.symbolicName();
            version = jar.version();
            declared = jar.pluginIds();
            if (bsn == null) {
                problem = "not an OSGi bundle (its manifest has no Bundle-SymbolicName)";
            } else {
                problem = duplicateOf(bsn, version, ctx);
            }
        } catch (IOException e) {
            problem = "not a readable jar: " + e.getMessage();
        }
        long since;
        try {
            since = Math.max(startedAt, Files.getLastModifiedTime(file).toMillis());
        } catch (IOException e) {
            since = now;
        }
        // a jar that looks like a good bundle gets longer: FileInstall is expected to install it
        boolean pending = now - since < (problem == null ? Math.max(grace, 4 * pollMillis + 5000) : grace);
        if (problem == null && !pending) {
            problem = "FileInstall did not install it"
                    + log.lastErrorMentioning(name).map(e -> ": " + e).orElse(" (see the OSGi log)");
        }
        return new BundleStatus(name, -1, bsn, version, BundleStatus.NOT_INSTALLED, List.of(),
                pending ? null : problem, pending, false, declared);
    }

    private static String duplicateOf(String bsn, String version, BundleContext ctx) {
        org.osgi.framework.Version v;
        try {
            v = org.osgi.framework.Version.parseVersion(version);
        } catch (IllegalArgumentException e) {
            return "invalid Bundle-Version " + version;
        }
        for (Bundle b : ctx.getBundles()) {
            if (bsn.equals(b.getSymbolicName()) && v.equals(b.getVersion())) {
                Path p = locationPath(b.getLocation());
                return "same symbolic name and version as the installed "
                        + (p == null ? b.getLocation() : p.getFileName().toString())
                        + "; change Bundle-Version to install both";
            }
        }
        return null;
    }

    private long seenSince(String key, long now) {
        seenThisRound.add(key);
        return firstSeen.computeIfAbsent(key, k -> now);
    }

    private static boolean isPluginFactory(org.osgi.framework.ServiceReference<?> ref) {
        Object classes = ref.getProperty(Constants.OBJECTCLASS);
        return classes instanceof String[]
                && java.util.Arrays.asList((String[]) classes).contains(io.graft.api.PluginFactory.class.getName());
    }

    /** @return the plugin-folder path of a bundle location, or null when it is not a file */
    static Path locationPath(String location) {
        if (location == null || !location.startsWith("file:")) {
            return null;
        }
        try {
            return Path.of(java.net.URI.create(location)).toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** @return the OSGi name of a bundle state */
    public static String stateName(int state) {
        switch (state) {
            case Bundle.UNINSTALLED: return "UNINSTALLED";
            case Bundle.INSTALLED: return "INSTALLED";
            case Bundle.RESOLVED: return "RESOLVED";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            case Bundle.ACTIVE: return "ACTIVE";
            default: return "UNKNOWN(" + state + ")";
        }
    }

    private static List<Path> jars(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
                    .map(p -> p.toAbsolutePath().normalize()).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    // ---- shutdown ----

    /** Stops the framework (plugins first), removes the storage folder when it was a temporary one. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook runs anyway
            }
        }
        try {
            registry.close();
        } catch (RuntimeException ignored) {
            // going away anyway
        }
        stopQuietly(framework);
        log.close();
        if (ownsStorage) {
            deleteQuietly(storage);
        }
    }

    private static void stopQuietly(Framework fw) {
        try {
            fw.stop();
            fw.waitForStop(15_000);
        } catch (BundleException | InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void deleteContents(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteContents(dir);
            Files.deleteIfExists(dir);
        } catch (IOException | UncheckedIOException ignored) {
            // a leftover temp folder is harmless
        }
    }

    /** Configures and starts a {@link FelixHost}. */
    public static final class Builder {
        private Path osgiBundles;
        private Path pluginsDir;
        private Path storage;
        private Path logFile;
        private boolean debug;
        private boolean initEngine = true;
        private Path allowList;
        private long pollMillis = 500;
        private final Map<String, String> properties = new HashMap<>();

        private Builder() {}

        /**
         * @param dir the folder of OSGi infrastructure bundles (SCR, its dependencies, FileInstall): all its
         *     jars are installed and started
         * @return this builder
         */
        public Builder osgiBundles(Path dir) {
            this.osgiBundles = Objects.requireNonNull(dir);
            return this;
        }

        /**
         * @param dir the folder FileInstall watches for plugin bundles; created when missing
         * @return this builder
         */
        public Builder pluginsDir(Path dir) {
            this.pluginsDir = Objects.requireNonNull(dir);
            return this;
        }

        /**
         * @param dir Felix's storage folder, used only by Felix: Felix empties it on start; it is kept on
         *     close. By default a temporary folder, deleted on close
         * @return this builder
         */
        public Builder storage(Path dir) {
            this.storage = dir;
            return this;
        }

        /**
         * @param file where Felix, SCR and FileInstall log (appended); null for nowhere
         * @return this builder
         */
        public Builder logFile(Path file) {
            this.logFile = file;
            return this;
        }

        /**
         * @param debug log at debug level and echo the OSGi log to standard error
         * @return this builder
         */
        public Builder debug(boolean debug) {
            this.debug = debug;
            return this;
        }

        /**
         * @param init whether to initialise the DJL engine before Felix starts (default true; only tests
         *     that never touch DJL arrays should turn it off)
         * @return this builder
         */
        public Builder initEngine(boolean init) {
            this.initEngine = init;
            return this;
        }

        /**
         * @param file the allow-list of plugin jar checksums ({@code sha256sum} format); when the file exists,
         *     only the jars it lists are loaded; when it does not, or null, every jar of the plugins folder is.
         *     Read once, at start
         * @return this builder
         */
        public Builder allowList(Path file) {
            this.allowList = file;
            return this;
        }

        /**
         * @param millis how often FileInstall polls the plugins folder (default 500 ms)
         * @return this builder
         */
        public Builder pollMillis(long millis) {
            if (millis < 50) {
                throw new IllegalArgumentException("poll interval must be at least 50 ms");
            }
            this.pollMillis = millis;
            return this;
        }

        /**
         * @param key an extra framework property
         * @param value its value
         * @return this builder
         */
        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /**
         * Starts the host.
         *
         * @return the running host
         * @throws UserException when the bundles folder is incomplete, the engine or a bundle does not load
         */
        public FelixHost start() {
            Objects.requireNonNull(osgiBundles, "osgiBundles folder not set");
            Objects.requireNonNull(pluginsDir, "pluginsDir not set");
            return new FelixHost(this);
        }
    }
}
