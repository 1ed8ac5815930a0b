package io.graft.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.List;
import org.junit.jupiter.api.Test;

class InferenceBenchmarkTest {

    @Test
    void countsParametersAndMacsAndTimesEveryShape() {
        List<InferenceBenchmark.Row> rows = InferenceBenchmark.run(784, 10, List.of(List.of(256, 256), List.of(128, 128)),
                64, 1, 3, Device.cpu());
        assertEquals(2, rows.size());
        assertEquals(269_322, rows.get(0).parameters());
        assertEquals(784L * 256 + 256 * 256 + 256 * 10, rows.get(0).macs());
        assertEquals(118_282, rows.get(1).parameters());
        assertEquals(784L * 128 + 128 * 128 + 128 * 10, rows.get(1).macs());
        assertTrue(rows.stream().allMatch(r -> r.millisPerBatch() > 0));
        String table = InferenceBenchmark.format(rows);
        assertTrue(table.contains("1.00x"), table);
        assertTrue(table.contains("269,322"), table);
    }
}
