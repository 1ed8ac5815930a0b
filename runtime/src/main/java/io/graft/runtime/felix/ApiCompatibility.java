package io.graft.runtime.felix;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;

/**
 * Whether a plugin bundle's imports of the Graft api fit the api this host exports, and if not, the one
 * line that says so: which plugin, the api version it needs, the one present, and what to do.
 *
 * <p>The resolver would refuse such a bundle anyway; this only turns its refusal into words a plugin user
 * can act on. Only non-optional imports of {@code io.graft.api} and its sub-packages are looked at.
 */
final class ApiCompatibility {

    /** The api's root package; its sub-packages start with this and a dot. */
    static final String API_PACKAGE = "io.graft.api";

    private final Map<String, Version> exported;
    private final Version apiVersion;

    /**
     * @param apiExportHeader the api jar's {@code Export-Package} header
     * @param apiBundleVersion the api jar's {@code Bundle-Version} (its qualifier is dropped), or null to
     *     use the root package's version
     */
    ApiCompatibility(String apiExportHeader, String apiBundleVersion) {
        Map<String, Version> e = new TreeMap<>();
        for (HeaderClauses.Clause c : HeaderClauses.parse(apiExportHeader)) {
            Version v = c.version() == null ? Version.emptyVersion : Version.parseVersion(c.version());
            for (String pkg : c.names()) {
                if (isApi(pkg)) {
                    e.put(pkg, v);
                }
            }
        }
        this.exported = Map.copyOf(e);
        Version v = apiBundleVersion == null ? e.getOrDefault(API_PACKAGE, Version.emptyVersion)
                : Version.parseVersion(apiBundleVersion.strip());
        this.apiVersion = new Version(v.getMajor(), v.getMinor(), v.getMicro());
    }

    /** @return the api of the host's class path */
    static ApiCompatibility ofHost() {
        return new ApiCompatibility(SystemPackages.apiExports(), SystemPackages.apiBundleVersion().orElse(null));
    }

    /** @return the host's api version, e.g. {@code 1.1.0} */
    Version apiVersion() {
        return apiVersion;
    }

    /** @return e.g. {@code 1.1.0 (io.graft.api 1.1.0, io.graft.api.config 1.0.0, ...)} */
    String describe() {
        return apiVersion + " (" + new TreeMap<>(exported).entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")) + ")";
    }

    /**
     * @param jar what the plugin jar says about itself
     * @param file the jar's file name, for the message
     * @return the refusal line when an api import cannot be satisfied by this host, else empty
     */
    Optional<String> check(PluginJar jar, String file) {
        List<String> mismatches = new ArrayList<>();
        String first = null;
        for (HeaderClauses.Clause c : HeaderClauses.parse(jar.importPackage())) {
            if (c.optional()) {
                continue;
            }
            VersionRange range;
            try {
                range = c.version() == null ? null : new VersionRange(c.version());
            } catch (IllegalArgumentException e) {
                continue; // the resolver reports a malformed range itself
            }
            for (String pkg : c.names()) {
                if (!isApi(pkg)) {
                    continue;
                }
                Version present = exported.get(pkg);
                if (present != null && (range == null || range.includes(present))) {
                    continue;
                }
                String need = pkg + " " + (range == null ? "(any version)" : c.version());
                String line = present == null
                        ? "needs Graft api " + need + " but this Graft (api " + apiVersion + ") has no " + pkg
                        : "needs Graft api " + need + " but this Graft has " + pkg + " " + present;
                if (first == null || pkg.equals(API_PACKAGE)) {
                    first = line + "; " + fix(range, present);
                }
                mismatches.add(pkg);
            }
        }
        if (first == null) {
            return Optional.empty();
        }
        String more = mismatches.size() > 1 ? " (" + (mismatches.size() - 1) + " more api package"
                + (mismatches.size() > 2 ? "s" : "") + " do not match either)" : "";
        return Optional.of(jar.describe(file) + " " + first + more);
    }

    /** What the user can do: a build of the plugin for this api, or a Graft with the api the plugin wants. */
    private String fix(VersionRange range, Version present) {
        String forThis = "use a build of the plugin for api " + apiVersion.getMajor() + ".x";
        String upToThis = "use a build of the plugin for api " + apiVersion.getMajor() + "." + apiVersion.getMinor()
                + " or earlier";
        if (range == null || present == null) {
            return upToThis + ", or a newer Graft";
        }
        Version low = range.getLeft();
        if (present.compareTo(low) < 0 && low.getMajor() == present.getMajor()) {
            return upToThis + ", or a Graft with api " + low.getMajor() + "." + low.getMinor() + " or later";
        }
        // another major api than this host's, newer or older
        return forThis + ", or a Graft with api " + low.getMajor();
    }

    static boolean isApi(String pkg) {
        return pkg.equals(API_PACKAGE) || pkg.startsWith(API_PACKAGE + ".");
    }
}
