package io.graft.plugin.packnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OwnershipTest {

    private static Ownership layers() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("fc1.weight", new long[] {2, 5});
        shapes.put("fc1.bias", new long[] {2});
        shapes.put("out.weight", new long[] {3, 2});
        shapes.put("out.bias", new long[] {3});
        return new Ownership(shapes);
    }

    @Test
    void magnitudesKeepExactlyTheLargestAndBreakTiesByIndex() {
        float[] v = {0.5f, -3f, 1f, -1f, 2f, 0f};
        assertArrayEquals(new int[] {1, 4}, Magnitudes.largest(v, new int[] {0, 1, 2, 3, 4, 5}, 2));
        assertArrayEquals(new int[] {1, 2, 4}, Magnitudes.largest(v, new int[] {0, 1, 2, 3, 4, 5}, 3));
        assertArrayEquals(new int[] {2}, Magnitudes.largest(v, new int[] {0, 2, 3, 5}, 1)); // |1| = |-1|: lower index
        assertArrayEquals(new int[] {0, 3}, Magnitudes.largest(null, new int[] {0, 3, 5}, 2));
        assertArrayEquals(new int[0], Magnitudes.largest(v, new int[] {0, 1}, 0));
    }

    @Test
    void rolesFollowTheHostsNames() {
        Ownership o = layers();
        assertEquals(Ownership.Role.WEIGHT, o.role("fc1.weight"));
        assertEquals(Ownership.Role.BIAS, o.role("fc1.bias"));
        assertEquals(Ownership.Role.HEAD_WEIGHT, o.role("out.weight"));
        assertEquals(Ownership.Role.HEAD_BIAS, o.role("out.bias"));
    }

    @Test
    void eachTaskClaimsItsShareAndTheMasksFollow() {
        Ownership o = layers();
        Map<String, float[]> values = Map.of("fc1.weight", new float[] {1, 9, 2, 8, 3, 7, 4, 6, 5, 0});
        Ownership.Packing p0 = o.pack(0, values, new int[] {0}, Set.of(1, 2), 0.6);
        assertEquals(4L, p0.claimed().get("fc1.weight"));
        assertArrayEquals(new int[] {0, 2, 4, 6, 8, 9}, p0.released().get("fc1.weight"));
        assertArrayEquals(new short[] {-1, 0, -1, 0, -1, 0, -1, 0, -1, -1}, o.owners("fc1.weight"));
        assertArrayEquals(new short[] {0, 0}, o.owners("fc1.bias"));
        assertArrayEquals(new short[] {0, 0, -1, -1, -1, -1}, o.owners("out.weight"));
        assertArrayEquals(new short[] {0, -1, -1}, o.owners("out.bias"));

        Ownership.Packing p1 = o.pack(1, values, new int[] {1}, Set.of(2), 0.5);
        assertEquals(3L, p1.claimed().get("fc1.weight")); // 6 free, round(0.5·6) = 3 released
        // of the free values 1, 2, 3, 4, 5, 0 the largest three (3, 4, 5) go to task 1
        assertArrayEquals(new short[] {-1, 0, -1, 0, 1, 0, 1, 0, 1, -1}, o.owners("fc1.weight"));
        assertEquals(0L, p1.claimed().get("fc1.bias"));

        assertArrayEquals(new float[] {0, 1, 0, 1, 0, 1, 0, 1, 0, 0}, o.visible("fc1.weight", 0), 0f);
        assertArrayEquals(new float[] {0, 1, 0, 1, 1, 1, 1, 1, 1, 0}, o.visible("fc1.weight", 1), 0f);
        assertNull(o.visible("fc1.bias", 0));
        assertArrayEquals(new float[] {1, 0, 1, 0, 0, 0, 0, 0, 0, 1}, o.trainable("fc1.weight", 2, false), 0f);
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 0, 1, 0, 1, 0}, o.trainable("fc1.weight", 1, true), 0f);
        assertArrayEquals(new float[] {0, 0}, o.trainable("fc1.bias", 2, false), 0f);
    }
}
