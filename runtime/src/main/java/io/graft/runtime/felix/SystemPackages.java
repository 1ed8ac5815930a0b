package io.graft.runtime.felix;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Builds the value of {@code org.osgi.framework.system.packages.extra}: what the host's class path offers
 * to bundles through the system bundle.
 *
 * <ul>
 *   <li>the Graft API: the api jar's own {@code Export-Package} header, verbatim, so the versions bundles
 *       see are exactly the baselined ones;</li>
 *   <li>DJL: every package of the {@code ai.djl:api} jar, at DJL's own version
 *       ({@link ai.djl.engine.Engine#getDjlVersion()});</li>
 *   <li>SLF4J and the OSGi log API: their jars' own {@code Export-Package} headers.</li>
 * </ul>
 */
final class SystemPackages {

    /** The class whose jar carries the api's manifest. */
    static final Class<?> API_ANCHOR = io.graft.api.Plugin.class;
    /** The class whose jar is DJL's api. */
    static final Class<?> DJL_ANCHOR = ai.djl.ndarray.NDArray.class;

    private SystemPackages() {}

    /** @return the full {@code org.osgi.framework.system.packages.extra} value */
    static String extra() {
        List<String> parts = new ArrayList<>();
        parts.add(apiExports());
        parts.add(djlExports());
        exportsOf(org.slf4j.Logger.class).ifPresent(parts::add);
        exportsOf(org.osgi.service.log.LogService.class).ifPresent(parts::add);
        return String.join(",", parts);
    }

    /**
     * @return the {@code Export-Package} header of the graft-api jar on the class path
     * @throws IllegalStateException when the api on the class path has no such header (not built by bnd)
     */
    static String apiExports() {
        return exportsOf(API_ANCHOR)
                .orElseThrow(() -> new IllegalStateException(
                        "the graft-api on the class path (" + location(API_ANCHOR)
                                + ") has no Export-Package header; rebuild it with bnd"));
    }

    /** @return the {@code Bundle-Version} of the graft-api jar on the class path, if it has one */
    static Optional<String> apiBundleVersion() {
        Manifest mf = manifestOf(API_ANCHOR);
        String v = mf == null ? null : mf.getMainAttributes().getValue("Bundle-Version");
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    /** @return every DJL api package with DJL's version, as an export clause list */
    static String djlExports() {
        String version = djlVersion();
        StringBuilder sb = new StringBuilder();
        for (String pkg : djlPackages()) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(pkg).append(";version=\"").append(version).append('"');
        }
        return sb.toString();
    }

    /** @return the DJL version of the class path, e.g. {@code 0.35.1} */
    static String djlVersion() {
        String v = ai.djl.engine.Engine.getDjlVersion();
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("DJL on the class path reports no version");
        }
        // DJL versions are plain x.y.z; an OSGi version needs a dot before any qualifier
        return v.trim().replace('-', '.');
    }

    /** @return the packages (with at least one class) of the DJL api jar, sorted */
    static List<String> djlPackages() {
        Path where = location(DJL_ANCHOR);
        TreeSet<String> packages = new TreeSet<>();
        try {
            if (Files.isDirectory(where)) {
                try (Stream<Path> files = Files.walk(where)) {
                    files.filter(f -> f.getFileName().toString().endsWith(".class"))
                            .map(f -> where.relativize(f.getParent()).toString().replace('/', '.'))
                            .filter(p -> p.startsWith("ai.djl"))
                            .forEach(packages::add);
                }
            } else {
                try (JarFile jar = new JarFile(where.toFile())) {
                    for (JarEntry e : java.util.Collections.list(jar.entries())) {
                        String name = e.getName();
                        if (name.endsWith(".class") && name.startsWith("ai/djl/")
                                && !name.startsWith("META-INF/")) {
                            packages.add(name.substring(0, name.lastIndexOf('/')).replace('/', '.'));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the DJL packages in " + where, e);
        }
        if (packages.isEmpty()) {
            throw new IllegalStateException("no DJL packages found in " + where);
        }
        return List.copyOf(packages);
    }

    /**
     * @param anchor a class from the jar (or classes folder) to read
     * @return that jar's {@code Export-Package} header, unfolded, if it has one
     */
    static Optional<String> exportsOf(Class<?> anchor) {
        Manifest mf = manifestOf(anchor);
        if (mf == null) {
            return Optional.empty();
        }
        String value = mf.getMainAttributes().getValue("Export-Package");
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static Manifest manifestOf(Class<?> anchor) {
        Path where = location(anchor);
        try {
            if (Files.isDirectory(where)) {
                Path mf = where.resolve("META-INF/MANIFEST.MF");
                if (!Files.isRegularFile(mf)) {
                    return null;
                }
                try (InputStream in = Files.newInputStream(mf)) {
                    return new Manifest(in);
                }
            }
            try (JarFile jar = new JarFile(where.toFile())) {
                return jar.getManifest();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manifest of " + where, e);
        }
    }

    /** @return the jar or classes folder a class was loaded from */
    static Path location(Class<?> anchor) {
        CodeSource cs = anchor.getProtectionDomain().getCodeSource();
        URL url = cs == null ? null : cs.getLocation();
        if (url == null) {
            throw new IllegalStateException("cannot tell where " + anchor.getName() + " was loaded from");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot tell where " + anchor.getName() + " was loaded from: " + url, e);
        }
    }
}
