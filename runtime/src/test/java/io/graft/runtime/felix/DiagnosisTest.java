package io.graft.runtime.felix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class DiagnosisTest {

    @Test
    void versionRanges() {
        assertEquals("version [1.0.0,2.0.0)",
                Diagnosis.versionRange("(&(osgi.wiring.package=a)(version>=1.0.0)(!(version>=2.0.0)))"));
        assertEquals("version >= 1.2.0", Diagnosis.versionRange("(&(osgi.wiring.package=a)(version>=1.2.0))"));
        assertEquals("version 17", Diagnosis.versionRange("(&(osgi.ee=JavaSE)(version=17))"));
        assertNull(Diagnosis.versionRange("(osgi.wiring.package=a)"));
    }

    @Test
    void resolverMessagesBecomeOneLine() {
        String felix = "Unable to resolve io.x [12](R 12.0): missing requirement [io.x [12](R 12.0)] "
                + "osgi.wiring.package; (osgi.wiring.package=com.example.missing) Unresolved requirements: "
                + "[[io.x [12](R 12.0)] osgi.wiring.package; (osgi.wiring.package=com.example.missing)]";
        assertEquals("unresolved import com.example.missing", Diagnosis.fromResolver(felix));

        String chained = "Unable to resolve a [5](R 5.0): missing requirement [a [5](R 5.0)] osgi.wiring.package; "
                + "(&(osgi.wiring.package=b.api)(version>=1.0.0)) [caused by: Unable to resolve b [6](R 6.0): "
                + "missing requirement [b [6](R 6.0)] osgi.wiring.package; (osgi.wiring.package=c.gone)] "
                + "Unresolved requirements: [[a [5](R 5.0)] osgi.wiring.package; (&(osgi.wiring.package=b.api)(version>=1.0.0))]";
        assertEquals("unresolved import b.api version >= 1.0.0 (its provider cannot resolve: unresolved import c.gone)",
                Diagnosis.fromResolver(chained));

        assertEquals("needs JavaSE 21 (running on Java " + Runtime.version().feature() + ")",
                Diagnosis.describe("osgi.ee", "(&(osgi.ee=JavaSE)(version=21))", null, null));
        assertEquals("needs extender osgi.component version [1.5.0,2.0.0)", Diagnosis.describe("osgi.extender",
                "(&(osgi.extender=osgi.component)(version>=1.5.0)(!(version>=2.0.0)))", null, null));
        assertEquals("something odd", Diagnosis.fromResolver("Unable to resolve x [1](R 1.0): something odd"));
    }
}
