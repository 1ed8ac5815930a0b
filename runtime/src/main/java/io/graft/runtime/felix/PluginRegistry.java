package io.graft.runtime.felix;

import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.runtime.plugin.PluginCatalog;
import io.graft.runtime.plugin.PluginInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * The plugins registered in Felix now: a {@link ServiceTracker} over {@link PluginFactory} services.
 *
 * <p>When two bundles offer the same plugin id, the one from the bundle with the higher
 * {@code Bundle-Version} wins (then the higher service ranking, then the older service); the other is kept
 * as a shadowed candidate and takes over when the winner goes away. A factory whose
 * {@link PluginFactory#descriptor()} throws is not registered; the failure is remembered for the bundle
 * report.
 *
 * <p>Thread-safe: the tracker's callbacks come from Felix's threads, readers from any thread.
 */
public final class PluginRegistry implements PluginCatalog, AutoCloseable {

    /** Told when the winning factory for an id changes. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param id the plugin id whose provider changed
         * @param now the plugin that now answers to that id, or empty when none does
         */
        void changed(String id, Optional<PluginInfo> now);
    }

    private record Failure(ServiceReference<?> ref, long bundleId, String why) {}

    /** A registered factory, winning or shadowed. */
    private record Candidate(ServiceReference<PluginFactory> ref, PluginFactory factory, PluginInfo info,
            Version version, int ranking, long serviceId) {}

    private static final Comparator<Candidate> PREFERENCE = Comparator
            .comparing(Candidate::version).reversed()
            .thenComparing(Comparator.comparingInt(Candidate::ranking).reversed())
            .thenComparingLong(Candidate::serviceId);

    /** Ends a failure whose details are in the OSGi log. */
    static final String SEE_LOG = " (see the OSGi log)";

    private final BundleContext context;
    private final ServiceTracker<PluginFactory, Candidate> tracker;
    private final Map<String, List<Candidate>> byId = new HashMap<>();
    /** Services that could not be used, by service id; dropped once the service is unregistered. */
    private final Map<Long, Failure> failures = new HashMap<>();
    /** Ids of the services whose adding is finished, tracked or refused. */
    private final java.util.Set<Long> handled = new java.util.HashSet<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** Why a plugin id declared by a jar of the plugins folder has no factory, as the last report found. */
    private volatile Map<String, String> unavailable = Map.of();

    /**
     * @param context the context to track services with (the system bundle's)
     */
    public PluginRegistry(BundleContext context) {
        this.context = Objects.requireNonNull(context, "context");
        this.tracker = new ServiceTracker<>(context, PluginFactory.class, new Customizer());
    }

    /** Starts tracking; services registered before are picked up at once. */
    public void open() {
        tracker.open();
    }

    /** Stops tracking and forgets every plugin. */
    @Override
    public void close() {
        tracker.close();
        synchronized (this) {
            byId.clear();
            failures.clear();
            handled.clear();
        }
    }

    /** {@inheritDoc} The winners, one per id, sorted by id. */
    @Override
    public synchronized List<PluginInfo> plugins() {
        List<PluginInfo> out = new ArrayList<>();
        byId.keySet().stream().sorted().forEach(id -> out.add(byId.get(id).get(0).info()));
        return out;
    }

    @Override
    public synchronized Optional<PluginFactory> factory(String id) {
        List<Candidate> c = byId.get(id);
        return c == null || c.isEmpty() ? Optional.empty() : Optional.of(c.get(0).factory());
    }

    /**
     * @param id a plugin id
     * @return the plugin that answers to that id now
     */
    public synchronized Optional<PluginInfo> plugin(String id) {
        List<Candidate> c = byId.get(id);
        return c == null || c.isEmpty() ? Optional.empty() : Optional.of(c.get(0).info());
    }

    /** {@inheritDoc} As found by the last {@link FelixHost#report()}. */
    @Override
    public Optional<String> unavailable(String id) {
        return Optional.ofNullable(unavailable.get(id));
    }

    /** @param reasons why each declared plugin id of a refused or failed jar has no factory, by id */
    void unavailable(Map<String, String> reasons) {
        this.unavailable = Map.copyOf(reasons);
    }

    /**
     * Every factory a bundle registers, with whether it is the one in use for its id.
     *
     * @param bundleId a bundle id
     * @return its plugins, sorted by id
     */
    public synchronized List<Offer> offersOf(long bundleId) {
        List<Offer> out = new ArrayList<>();
        for (Map.Entry<String, List<Candidate>> e : byId.entrySet()) {
            List<Candidate> cs = e.getValue();
            for (int i = 0; i < cs.size(); i++) {
                Candidate c = cs.get(i);
                if (c.ref().getBundle() != null && c.ref().getBundle().getBundleId() == bundleId) {
                    PluginInfo winner = cs.get(0).info();
                    out.add(new Offer(c.info(), i == 0, i == 0 ? null : winner));
                }
            }
        }
        out.sort(Comparator.comparing(o -> o.plugin().id()));
        return out;
    }

    /**
     * @param bundleId a bundle id
     * @return why a factory of that bundle could not be registered, if one could not
     */
    public synchronized Optional<String> failure(long bundleId) {
        // a service that is gone (bundle stopped, updated or uninstalled) no longer counts
        failures.values().removeIf(f -> f.ref().getBundle() == null);
        handled.removeIf(id -> !failures.containsKey(id) && !trackedIds().contains(id));
        return failures.values().stream().filter(f -> f.bundleId() == bundleId)
                .sorted(Comparator.comparingLong(f -> (Long) f.ref().getProperty(Constants.SERVICE_ID)))
                .map(Failure::why).findFirst();
    }

    private java.util.Set<Long> trackedIds() {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (List<Candidate> cs : byId.values()) {
            for (Candidate c : cs) {
                ids.add(c.serviceId());
            }
        }
        return ids;
    }

    /**
     * @param ref a service reference
     * @return whether the registry has finished with that {@link PluginFactory} service (tracked it or
     *     recorded why not); false while its component is still being activated
     */
    public synchronized boolean handled(ServiceReference<?> ref) {
        return handled.contains((Long) ref.getProperty(Constants.SERVICE_ID));
    }

    /**
     * @param listener told whenever the winner for an id changes (on Felix's thread: keep it short)
     */
    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    /** @param listener a listener added before */
    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /**
     * A plugin a bundle offers.
     *
     * @param plugin the plugin
     * @param inUse whether it answers to its id now
     * @param shadowedBy when not in use, the plugin that does
     */
    public record Offer(PluginInfo plugin, boolean inUse, PluginInfo shadowedBy) {}

    // ---- tracking ----

    private final class Customizer implements ServiceTrackerCustomizer<PluginFactory, Candidate> {

        @Override
        public Candidate addingService(ServiceReference<PluginFactory> ref) {
            Bundle bundle = ref.getBundle();
            if (bundle == null) {
                return null;
            }
            PluginFactory factory;
            try {
                factory = context.getService(ref);
            } catch (RuntimeException e) {
                fail(ref, bundle, "its plugin factory failed to start: " + FelixLog.oneLine(e.getMessage(), e.getCause()));
                return null;
            }
            if (factory == null) {
                fail(ref, bundle, "its plugin factory failed to start" + SEE_LOG);
                return null;
            }
            PluginDescriptor descriptor;
            try {
                descriptor = factory.descriptor();
                Objects.requireNonNull(descriptor, "descriptor() returned null");
            } catch (RuntimeException | LinkageError e) {
                ungetQuietly(ref);
                fail(ref, bundle, factory.getClass().getName() + ".descriptor() failed: "
                        + FelixLog.oneLine(null, e).replaceFirst("^: ", ""));
                return null;
            }
            Version version = bundle.getVersion();
            PluginInfo info = new PluginInfo(descriptor.id(), version.toString(), bundle.getSymbolicName(),
                    descriptor);
            Object r = ref.getProperty(Constants.SERVICE_RANKING);
            int ranking = r instanceof Integer ? (Integer) r : 0;
            long serviceId = (Long) ref.getProperty(Constants.SERVICE_ID);
            Candidate c = new Candidate(ref, factory, info, version, ranking, serviceId);
            Optional<PluginInfo> before;
            Optional<PluginInfo> after;
            synchronized (PluginRegistry.this) {
                handled.add(serviceId);
                List<Candidate> cs = byId.computeIfAbsent(info.id(), k -> new ArrayList<>());
                before = cs.isEmpty() ? Optional.empty() : Optional.of(cs.get(0).info());
                cs.add(c);
                cs.sort(PREFERENCE);
                after = Optional.of(cs.get(0).info());
            }
            notifyIfChanged(info.id(), before, after);
            return c;
        }

        @Override
        public void modifiedService(ServiceReference<PluginFactory> ref, Candidate c) {
            // the id comes from the descriptor, not from service properties; ranking changes are rare
        }

        @Override
        public void removedService(ServiceReference<PluginFactory> ref, Candidate c) {
            Optional<PluginInfo> before;
            Optional<PluginInfo> after;
            String id = c.info().id();
            synchronized (PluginRegistry.this) {
                handled.remove(c.serviceId());
                List<Candidate> cs = byId.get(id);
                if (cs == null) {
                    before = Optional.empty();
                    after = Optional.empty();
                } else {
                    before = cs.isEmpty() ? Optional.empty() : Optional.of(cs.get(0).info());
                    cs.remove(c);
                    if (cs.isEmpty()) {
                        byId.remove(id);
                        after = Optional.empty();
                    } else {
                        after = Optional.of(cs.get(0).info());
                    }
                }
            }
            ungetQuietly(ref);
            notifyIfChanged(id, before, after);
        }
    }

    private void fail(ServiceReference<PluginFactory> ref, Bundle bundle, String why) {
        synchronized (this) {
            long serviceId = (Long) ref.getProperty(Constants.SERVICE_ID);
            failures.put(serviceId, new Failure(ref, bundle.getBundleId(), why));
            handled.add(serviceId);
        }
    }

    private void ungetQuietly(ServiceReference<PluginFactory> ref) {
        try {
            context.ungetService(ref);
        } catch (RuntimeException ignored) {
            // the framework is going away
        }
    }

    private void notifyIfChanged(String id, Optional<PluginInfo> before, Optional<PluginInfo> after) {
        if (before.equals(after)) {
            return;
        }
        for (Listener l : listeners) {
            try {
                l.changed(id, after);
            } catch (RuntimeException ignored) {
                // a listener must not break the tracker
            }
        }
    }
}
