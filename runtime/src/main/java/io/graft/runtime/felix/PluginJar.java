package io.graft.runtime.felix;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Constants;

/**
 * What a plugin jar says about itself without being loaded: its bundle name and version, its
 * {@code Import-Package} header and the plugin ids its Declarative Services components declare in the
 * property {@value #PLUGIN_ID_PROPERTY} (bnd writes it from the plugin POM's {@code graft.plugin.id}). Used
 * to name a bundle that Felix never resolves (refused, api mismatch) by the plugin ids a config would use.
 *
 * @param symbolicName the {@code Bundle-SymbolicName} without directives, or null when the jar is not a bundle
 * @param version the {@code Bundle-Version}, {@code 0.0.0} when absent, null when not a bundle
 * @param importPackage the raw {@code Import-Package} header, or null
 * @param pluginIds the declared plugin ids, sorted; empty when none can be read
 */
record PluginJar(String symbolicName, String version, String importPackage, List<String> pluginIds) {

    /** The component property that carries a plugin's id. */
    static final String PLUGIN_ID_PROPERTY = "graft.plugin.id";

    private static final Pattern PROPERTY = Pattern.compile("<(?:\\w+:)?property\\b([^>]*)>");
    private static final Pattern NAME = Pattern.compile("\\bname\\s*=\\s*\"([^\"]*)\"");
    private static final Pattern VALUE = Pattern.compile("\\bvalue\\s*=\\s*\"([^\"]*)\"");

    PluginJar {
        pluginIds = List.copyOf(pluginIds);
    }

    /**
     * @param file a jar
     * @return what its manifest and component descriptions say
     * @throws IOException when it is not a readable jar
     */
    static PluginJar read(Path file) throws IOException {
        try (JarFile jar = new JarFile(file.toFile())) {
            Manifest mf = jar.getManifest();
            Attributes a = mf == null ? new Attributes() : mf.getMainAttributes();
            String bsn = a.getValue(Constants.BUNDLE_SYMBOLICNAME);
            String version = null;
            if (bsn != null) {
                bsn = bsn.split(";")[0].strip();
                String v = a.getValue(Constants.BUNDLE_VERSION);
                version = v == null ? "0.0.0" : v.strip();
            }
            return new PluginJar(bsn, version, a.getValue(Constants.IMPORT_PACKAGE),
                    pluginIds(jar, a.getValue("Service-Component")));
        }
    }

    /**
     * @param file the jar's file name
     * @return e.g. {@code plugin 'boom' (bundle io.example.boom 1.0.0, boom.jar)}, {@code plugins 'der', 'derpp'
     *     (...)}, or {@code bundle io.example.boom 1.0.0 (boom.jar)} when it declares no ids
     */
    String describe(String file) {
        String bundle = (symbolicName == null ? "?" : symbolicName) + " " + (version == null ? "?" : version);
        if (pluginIds.isEmpty()) {
            return "bundle " + bundle + " (" + file + ")";
        }
        return (pluginIds.size() == 1 ? "plugin " : "plugins ") + "'" + String.join("', '", pluginIds) + "' (bundle "
                + bundle + ", " + file + ")";
    }

    private static List<String> pluginIds(JarFile jar, String serviceComponent) throws IOException {
        TreeSet<String> ids = new TreeSet<>();
        for (HeaderClauses.Clause clause : HeaderClauses.parse(serviceComponent)) {
            for (String path : clause.names()) {
                for (JarEntry entry : entries(jar, path)) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        ids.addAll(idsIn(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                    }
                }
            }
        }
        return new ArrayList<>(ids);
    }

    /** The entries a {@code Service-Component} path names; a {@code *} in the last segment is a wildcard. */
    private static List<JarEntry> entries(JarFile jar, String path) {
        if (!path.contains("*")) {
            JarEntry e = jar.getJarEntry(path);
            return e == null ? List.of() : List.of(e);
        }
        Pattern glob = Pattern.compile(Pattern.quote(path).replace("*", "\\E[^/]*\\Q"));
        List<JarEntry> out = new ArrayList<>();
        for (JarEntry e : Collections.list(jar.entries())) {
            if (glob.matcher(e.getName()).matches()) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * @param componentXml a Declarative Services component description
     * @return the values of its {@value #PLUGIN_ID_PROPERTY} properties
     */
    static List<String> idsIn(String componentXml) {
        List<String> ids = new ArrayList<>();
        Matcher m = PROPERTY.matcher(componentXml);
        while (m.find()) {
            Matcher name = NAME.matcher(m.group(1));
            Matcher value = VALUE.matcher(m.group(1));
            if (name.find() && PLUGIN_ID_PROPERTY.equals(name.group(1)) && value.find()) {
                ids.add(value.group(1).strip());
            }
        }
        return ids;
    }
}
