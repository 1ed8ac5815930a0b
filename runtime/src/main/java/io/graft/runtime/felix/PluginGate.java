package io.graft.runtime.felix;

import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;

/**
 * Decides which bundles may run: the system bundle, the host's own OSGi bundles ({@code lib/osgi}), and
 * the jars of the plugins folder, those on the allow-list when there is one. Any other bundle (one some
 * code installed from elsewhere) and every jar the allow-list does not name is refused, whoever installed
 * it:
 *
 * <ul>
 *   <li>it gets a start level the framework never reaches, so it is never started: no activator, no
 *       Declarative Services component of it runs ({@link SynchronousBundleListener}, at install and update,
 *       before the installer can start it);</li>
 *   <li>the resolver is given no candidate for its requirements, so it stays {@code INSTALLED} and no class
 *       of it is loaded, and nobody else is wired to what it exports ({@link ResolverHook#filterMatches}).</li>
 * </ul>
 *
 * <p>{@link ResolverHook#filterResolvable} is deliberately not used: in Felix 7.0.5 removing a revision
 * there also hides every already resolved provider (the system bundle's api packages included) from the
 * rest of that resolve, so the trusted plugins resolving beside a refused one would fail too.
 */
final class PluginGate implements ResolverHookFactory, SynchronousBundleListener {

    /** A start level the framework (at its default active level 1) never reaches. */
    static final int NEVER = Integer.MAX_VALUE;

    private final Path pluginsDir;
    private final Path osgiDir;
    private final TrustList trust;
    private volatile BundleContext system;

    /**
     * @param pluginsDir the plugins folder, absolute and normalized
     * @param osgiDir the host's OSGi bundles folder, absolute and normalized
     * @param trust the allow-list, or null when every jar of the plugins folder may load
     */
    PluginGate(Path pluginsDir, Path osgiDir, TrustList trust) {
        this.pluginsDir = Objects.requireNonNull(pluginsDir);
        this.osgiDir = Objects.requireNonNull(osgiDir);
        this.trust = trust;
    }

    /**
     * Puts the gate in place; call after the framework's init, before any bundle is installed.
     *
     * @param systemContext the system bundle's context
     */
    void install(BundleContext systemContext) {
        this.system = systemContext;
        systemContext.addBundleListener(this);
        systemContext.registerService(ResolverHookFactory.class, this, null);
    }

    /** @return the allow-list, if one is in force */
    Optional<TrustList> trust() {
        return Optional.ofNullable(trust);
    }

    /**
     * @param bundle a bundle
     * @return why it may not run, or empty when it may
     */
    Optional<String> refusal(Bundle bundle) {
        if (bundle.getBundleId() == Constants.SYSTEM_BUNDLE_ID) {
            return Optional.empty();
        }
        Path p = FelixHost.locationPath(bundle.getLocation());
        if (p != null && osgiDir.equals(p.getParent())) {
            return Optional.empty();
        }
        if (p == null || !pluginsDir.equals(p.getParent())) {
            return Optional.of("was installed from " + bundle.getLocation() + ", outside the plugins folder "
                    + pluginsDir + "; only jars of the plugins folder are loaded");
        }
        return refusal(p);
    }

    /**
     * @param jar a jar of the plugins folder
     * @return why it may not run (not on the allow-list), or empty when it may
     */
    Optional<String> refusal(Path jar) {
        return trust == null ? Optional.empty() : trust.refusal(jar);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() != BundleEvent.INSTALLED && event.getType() != BundleEvent.UPDATED) {
            return;
        }
        Bundle b = event.getBundle();
        BundleStartLevel level = b.adapt(BundleStartLevel.class);
        if (level == null) {
            return;
        }
        if (refusal(b).isPresent()) {
            level.setStartLevel(NEVER);
        } else if (level.getStartLevel() == NEVER && system != null) {
            // an update brought content the allow-list names
            level.setStartLevel(system.getBundle().adapt(FrameworkStartLevel.class).getInitialBundleStartLevel());
        }
    }

    @Override
    public ResolverHook begin(Collection<BundleRevision> triggers) {
        Map<Long, Boolean> refused = new HashMap<>();
        return new ResolverHook() {
            private boolean refused(BundleRevision rev) {
                Bundle b = rev.getBundle();
                return refused.computeIfAbsent(b.getBundleId(), id -> refusal(b).isPresent());
            }

            @Override
            public void filterResolvable(Collection<BundleRevision> candidates) {
                // see the class comment: refused bundles are starved in filterMatches instead
            }

            @Override
            public void filterSingletonCollisions(BundleCapability singleton,
                    Collection<BundleCapability> collisionCandidates) {
                // singletons are the resolver's business
            }

            @Override
            public void filterMatches(BundleRequirement requirement, Collection<BundleCapability> candidates) {
                if (refused(requirement.getRevision())) {
                    candidates.clear();
                } else {
                    candidates.removeIf(c -> refused(c.getRevision()));
                }
            }

            @Override
            public void end() {
                // nothing held
            }
        };
    }
}
