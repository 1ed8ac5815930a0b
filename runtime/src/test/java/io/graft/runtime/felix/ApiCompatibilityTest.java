package io.graft.runtime.felix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApiCompatibilityTest {

    private static final String HOST_1_1 = "io.graft.api;version=\"1.1.0\";uses:=\"ai.djl.ndarray,io.graft.api.config\","
            + "io.graft.api.config;version=\"1.0.0\",io.graft.api.growth;version=\"1.2.0\"";
    private static final String HOST_2_0 = "io.graft.api;version=\"2.0.0\",io.graft.api.config;version=\"2.0.0\"";

    private static PluginJar plugin(String imports) {
        return new PluginJar("com.example.next", "1.0.0", imports, List.of("next"));
    }

    @Test
    void pluginForTheNextMajorApiIsNamedWithWhatItNeedsAndWhatIsThere() {
        ApiCompatibility host = new ApiCompatibility(HOST_1_1, "1.1.0.SNAPSHOT");
        String line = host.check(plugin("io.graft.api;version=\"[2.0,3)\",ai.djl.ndarray;version=\"[0.35,1)\""),
                "next.jar").orElseThrow();
        assertEquals("plugin 'next' (bundle com.example.next 1.0.0, next.jar) needs Graft api io.graft.api [2.0,3)"
                + " but this Graft has io.graft.api 1.1.0; use a build of the plugin for api 1.x, or a Graft with"
                + " api 2", line);
    }

    @Test
    void onePluginLinePerBundleEvenWhenSeveralApiPackagesMismatch() {
        ApiCompatibility host = new ApiCompatibility(HOST_1_1, "1.1.0");
        String line = host.check(plugin("io.graft.api.config;version=\"[2.0,3)\",io.graft.api;version=\"[2.0,3)\""),
                "next.jar").orElseThrow();
        assertTrue(line.contains("needs Graft api io.graft.api [2.0,3) but this Graft has io.graft.api 1.1.0"), line);
        assertTrue(line.endsWith("(1 more api package do not match either)"), line);
        assertEquals(1, line.lines().count());
    }

    @Test
    void aTwoHostRefusesOneXPluginsAndSaysWhichBuildToUse() {
        ApiCompatibility host = new ApiCompatibility(HOST_2_0, "2.0.0");
        assertEquals("2.0.0", host.apiVersion().toString());
        String line = host.check(plugin("io.graft.api;version=\"[1.0,2)\""), "old.jar").orElseThrow();
        assertEquals("plugin 'next' (bundle com.example.next 1.0.0, old.jar) needs Graft api io.graft.api [1.0,2)"
                + " but this Graft has io.graft.api 2.0.0; use a build of the plugin for api 2.x, or a Graft with"
                + " api 1", line);
    }

    @Test
    void newerMinorAndMissingPackagesAskForANewerGraft() {
        ApiCompatibility host = new ApiCompatibility(HOST_1_1, "1.1.0");
        assertTrue(host.check(plugin("io.graft.api.growth;version=\"[1.3,2)\""), "g.jar").orElseThrow()
                .endsWith("use a build of the plugin for api 1.1 or earlier, or a Graft with api 1.3 or later"));
        String missing = host.check(plugin("io.graft.api.future;version=\"[1.0,2)\""), "f.jar").orElseThrow();
        assertTrue(missing.contains("needs Graft api io.graft.api.future [1.0,2) but this Graft (api 1.1.0) has no"
                + " io.graft.api.future; use a build of the plugin for api 1.1 or earlier, or a newer Graft"), missing);
    }

    @Test
    void fittingOptionalAndForeignImportsPass() {
        ApiCompatibility host = new ApiCompatibility(HOST_1_1, "1.1.0");
        assertTrue(host.check(plugin("io.graft.api;version=\"[1.0,2)\",io.graft.api.growth;version=\"[1.2,2)\","
                + "io.graft.api.future;version=\"[1.0,2)\";resolution:=optional,com.example;version=\"[9,10)\""), "ok.jar")
                .isEmpty());
        assertTrue(host.check(plugin(null), "none.jar").isEmpty());
    }

    @Test
    void describesTheHostApiWithItsPackages() {
        assertEquals("1.1.0 (io.graft.api 1.1.0, io.graft.api.config 1.0.0, io.graft.api.growth 1.2.0)",
                new ApiCompatibility(HOST_1_1, "1.1.0.SNAPSHOT").describe());
        assertTrue(ApiCompatibility.ofHost().describe().contains("io.graft.api.regularization 1.0.0"));
    }

    @Test
    void headerClausesKeepQuotedCommasTogether() {
        List<HeaderClauses.Clause> cs = HeaderClauses.parse(
                "a.b;c.d;version=\"[1.0,2)\";resolution:=optional, e.f;uses:=\"x,y\"");
        assertEquals(2, cs.size());
        assertEquals(List.of("a.b", "c.d"), cs.get(0).names());
        assertEquals("[1.0,2)", cs.get(0).version());
        assertTrue(cs.get(0).optional());
        assertEquals(List.of("e.f"), cs.get(1).names());
        assertEquals("x,y", cs.get(1).parameters().get("uses:"));
    }

    @Test
    void pluginIdsComeFromTheComponentProperty() {
        assertEquals(List.of("agem"), PluginJar.idsIn("<scr:component name=\"x\">\n"
                + "  <property name=\"graft.plugin.id\" type=\"String\" value=\"agem\"/>\n"
                + "  <property name=\"other\" value=\"no\"/></scr:component>"));
        assertEquals(List.of("boom"), PluginJar.idsIn("<component><property value=\"boom\" name=\"graft.plugin.id\"/>"));
    }
}
