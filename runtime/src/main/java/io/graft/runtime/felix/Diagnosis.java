package io.graft.runtime.felix;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.namespace.ExecutionEnvironmentNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;

/** Turns OSGi resolution failures into one readable line. */
final class Diagnosis {

    private static final Pattern MISSING = Pattern.compile(
            "missing requirement \\[.*?\\] ([\\w.]+); (\\(.*?\\))(?= \\[caused by| Unresolved requirements|\\]|$)");

    private Diagnosis() {}

    /**
     * Why an installed bundle does not resolve: the mandatory requirements nothing installed can satisfy.
     *
     * @param bundle an INSTALLED bundle
     * @param wiring the framework wiring
     * @param context a context to look at the other bundles with
     * @return the reason, or null when every requirement has a candidate provider (then only the resolver
     *     itself can tell, see {@link #fromResolver(String)})
     */
    static String missingRequirements(Bundle bundle, FrameworkWiring wiring, BundleContext context) {
        BundleRevision rev = bundle.adapt(BundleRevision.class);
        if (rev == null) {
            return null;
        }
        List<String> missing = new ArrayList<>();
        for (BundleRequirement req : rev.getDeclaredRequirements(null)) {
            String resolution = req.getDirectives().get(Constants.RESOLUTION_DIRECTIVE);
            if (Constants.RESOLUTION_OPTIONAL.equals(resolution) || PackageNamespace.RESOLUTION_DYNAMIC.equals(resolution)) {
                continue;
            }
            String effective = req.getDirectives().get(Constants.EFFECTIVE_DIRECTIVE);
            if (effective != null && !Constants.EFFECTIVE_RESOLVE.equals(effective)) {
                continue;
            }
            Collection<BundleCapability> providers = wiring.findProviders(req);
            if (providers.isEmpty()) {
                missing.add(describe(req.getNamespace(), req.getDirectives().get(Constants.FILTER_DIRECTIVE),
                        context, bundle));
            }
        }
        return missing.isEmpty() ? null : String.join("; ", missing);
    }

    /**
     * @param message a resolver's message (from the {@link BundleException} of a failed start)
     * @return one line naming the root cause
     */
    static String fromResolver(String message) {
        if (message == null || message.isBlank()) {
            return "cannot be resolved";
        }
        Matcher m = MISSING.matcher(message);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(describe(m.group(1), m.group(2), null, null));
        }
        if (found.isEmpty()) {
            String line = message.replaceAll("\\s*\\R\\s*", " ").strip();
            line = line.replaceFirst("^Unable to resolve [^:]*: ", "");
            return line.length() > 300 ? line.substring(0, 297) + "..." : line;
        }
        if (found.size() == 1 || found.get(0).equals(found.get(found.size() - 1))) {
            return found.get(0);
        }
        return found.get(0) + " (its provider cannot resolve: " + found.get(found.size() - 1) + ")";
    }

    /**
     * @param namespace a requirement namespace
     * @param filter its filter
     * @param context for listing what is available instead, or null
     * @param self the bundle that has the requirement (left out of "available"), or null
     * @return e.g. {@code unresolved import com.example.missing}
     */
    static String describe(String namespace, String filter, BundleContext context, Bundle self) {
        String f = filter == null ? "" : filter;
        String range = versionRange(f);
        String suffix = range == null ? "" : " " + range;
        switch (namespace) {
            case PackageNamespace.PACKAGE_NAMESPACE: {
                String pkg = attribute(f, PackageNamespace.PACKAGE_NAMESPACE);
                String text = "unresolved import " + (pkg == null ? f : pkg) + suffix;
                if (pkg != null && range != null && context != null) {
                    TreeSet<String> versions = exportedVersions(context, pkg, self);
                    if (!versions.isEmpty()) {
                        text += " (available: " + String.join(", ", versions) + ")";
                    }
                }
                return text;
            }
            case "osgi.wiring.bundle": {
                String name = attribute(f, "osgi.wiring.bundle");
                return "missing required bundle " + (name == null ? f : name) + suffix;
            }
            case "osgi.wiring.host": {
                String name = attribute(f, "osgi.wiring.host");
                return "fragment host " + (name == null ? f : name) + suffix + " is not installed";
            }
            case ExecutionEnvironmentNamespace.EXECUTION_ENVIRONMENT_NAMESPACE: {
                String ee = attribute(f, ExecutionEnvironmentNamespace.EXECUTION_ENVIRONMENT_NAMESPACE);
                String v = attribute(f, "version");
                return "needs " + (ee == null ? f : ee) + (v == null ? suffix : " " + v)
                        + " (running on Java " + Runtime.version().feature() + ")";
            }
            case "osgi.extender": {
                String name = attribute(f, "osgi.extender");
                return "needs extender " + (name == null ? f : name) + suffix;
            }
            default:
                return "missing requirement " + namespace + " " + f;
        }
    }

    private static TreeSet<String> exportedVersions(BundleContext context, String pkg, Bundle self) {
        TreeSet<String> versions = new TreeSet<>();
        for (Bundle b : context.getBundles()) {
            if (self != null && b.getBundleId() == self.getBundleId()) {
                continue;
            }
            BundleRevision rev = b.adapt(BundleRevision.class);
            if (rev == null) {
                continue;
            }
            for (BundleCapability cap : rev.getDeclaredCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
                if (pkg.equals(cap.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))) {
                    Object v = cap.getAttributes().get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE);
                    versions.add(String.valueOf(v));
                }
            }
        }
        return versions;
    }

    /** @return the value of {@code (name=value)} in a filter */
    static String attribute(String filter, String name) {
        Matcher m = Pattern.compile("\\(" + Pattern.quote(name) + "=([^)]*)\\)").matcher(filter);
        return m.find() ? m.group(1) : null;
    }

    /**
     * @param filter an LDAP filter such as {@code (&(p=x)(version>=1.0.0)(!(version>=2.0.0)))}
     * @return the version range it states, e.g. {@code [1.0.0,2.0.0)}, or null when it states none
     */
    static String versionRange(String filter) {
        String f = filter;
        String high = null;
        char highBracket = ')';
        Matcher m = Pattern.compile("\\(!\\(version>=([^)]*)\\)\\)").matcher(f);
        if (m.find()) {
            high = m.group(1);
            f = f.substring(0, m.start()) + f.substring(m.end());
        } else {
            m = Pattern.compile("\\(!\\(version>([^)]*)\\)\\)").matcher(f);
            if (m.find()) {
                high = m.group(1);
                highBracket = ']';
                f = f.substring(0, m.start()) + f.substring(m.end());
            } else {
                m = Pattern.compile("\\(version<=([^)]*)\\)").matcher(f);
                if (m.find()) {
                    high = m.group(1);
                    highBracket = ']';
                }
            }
        }
        String low = null;
        char lowBracket = '[';
        m = Pattern.compile("\\(version>=([^)]*)\\)").matcher(f);
        if (m.find()) {
            low = m.group(1);
        } else {
            m = Pattern.compile("\\(version>([^)]*)\\)").matcher(f);
            if (m.find()) {
                low = m.group(1);
                lowBracket = '(';
            } else {
                m = Pattern.compile("\\(version=([^)]*)\\)").matcher(f);
                if (m.find() && high == null) {
                    return "version " + m.group(1);
                }
            }
        }
        if (low == null && high == null) {
            return null;
        }
        if (high == null) {
            return "version " + (lowBracket == '[' ? ">= " : "> ") + low;
        }
        return "version " + lowBracket + (low == null ? "0.0.0" : low) + "," + high + highBracket;
    }
}
