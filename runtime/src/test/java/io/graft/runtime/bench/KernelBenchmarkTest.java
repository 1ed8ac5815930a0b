package io.graft.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A smoke test of the benchmark's mechanics on a tiny network; figures come from running its main. */
class KernelBenchmarkTest {

    @Test
    void measuresEveryVariant() {
        KernelBenchmark.Options o = new KernelBenchmark.Options(32, 256, 2, 0, List.of(16), 0.01, null);
        KernelBenchmark.Report r = KernelBenchmark.run(o, DemoPlugins::create);
        assertEquals(List.of(KernelBenchmark.PLAIN, KernelBenchmark.KERNEL, KernelBenchmark.KERNEL_PLUGINS),
                List.copyOf(r.samplesPerSecond().keySet()));
        for (double[] v : r.samplesPerSecond().values()) {
            assertEquals(2, v.length);
            assertTrue(v[0] > 0 && v[1] > 0);
        }
        assertTrue(r.toString().contains("ratio to plain"));
    }
}
