package io.graft.runtime.felix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.runtime.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustListTest {

    /** {@code printf abc | sha256sum} */
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @TempDir
    Path tmp;

    @Test
    void noFileMeansNoCheck() {
        assertTrue(TrustList.load(tmp.resolve("trusted-plugins.txt")).isEmpty());
        assertTrue(TrustList.load(null).isEmpty());
    }

    @Test
    void readsSha256sumOutputAndChecksTheContentNotTheName() throws Exception {
        Path jar = Files.writeString(tmp.resolve("a.jar"), "abc");
        Path list = Files.writeString(tmp.resolve("trusted-plugins.txt"), "# locked down\n\n"
                + ABC.toUpperCase() + "  some-other-name.jar\n"
                + "0000000000000000000000000000000000000000000000000000000000000000 *b.jar\n");
        TrustList t = TrustList.load(list).orElseThrow();
        assertEquals(2, t.size());
        assertEquals(ABC, t.sha256(jar));
        assertTrue(t.refusal(jar).isEmpty());

        Files.writeString(jar, "abd");
        String why = t.refusal(jar).orElseThrow();
        String sum = TrustList.digest(jar);
        assertEquals("is not on the allow-list " + list + " (sha256 " + sum + "); to trust this jar add the line '"
                + sum + "  a.jar' to it", why);
    }

    @Test
    void anEmptyListTrustsNothing() throws Exception {
        TrustList t = TrustList.load(Files.writeString(tmp.resolve("trusted-plugins.txt"), "")).orElseThrow();
        assertFalse(t.refusal(Files.writeString(tmp.resolve("a.jar"), "abc")).isEmpty());
    }

    @Test
    void aMalformedLineIsAConfigErrorNotAnOpenDoor() throws Exception {
        Path list = Files.writeString(tmp.resolve("trusted-plugins.txt"), ABC + "  a.jar\nnot-a-checksum  b.jar\n");
        UserException e = assertThrows(UserException.class, () -> TrustList.load(list));
        assertEquals(UserException.BAD_CONFIG, e.exitCode());
        assertTrue(e.getMessage().contains("line 2: expected '<sha256>  <jar name>'"), e.getMessage());
    }
}
