package io.graft.runtime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graft.runtime.UserException;
import io.graft.runtime.config.ExperimentConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareSpecTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void base() throws IOException {
        Files.createDirectories(tmp.resolve("configs"));
        Files.writeString(tmp.resolve("configs/base.yaml"), """
                name: base
                seed: 9
                data: {dir: data}
                model: {hidden: [256, 256]}
                train: {epochs: 1, optimizer: {type: sgd, lr: 0.03, momentum: 0.5}}
                plugins: [{id: ewc, config: {lambda: 10}}]
                """);
    }

    private CompareSpec spec(String yaml) throws IOException {
        Path file = tmp.resolve("grid.yaml");
        Files.writeString(file, yaml);
        return CompareSpec.load(file);
    }

    @Test
    void gridIsMethodsThenOrdersThenSeeds() throws IOException {
        CompareSpec spec = spec("""
                base: configs/base.yaml
                seeds: [1, 2]
                methods: {finetune: {}, er: {plugins: [{id: er}]}}
                orders: {given: {}, reversed: {scenario: {classOrder: [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]}}}
                """);
        assertEquals("grid", spec.name(), "the file name by default");
        List<CompareSpec.Cell> cells = spec.cells(spec.baseTree(List.of()));
        assertEquals(8, cells.size());
        assertEquals(new CompareSpec.Cell("finetune", "given", 1), cells.get(0));
        assertEquals(new CompareSpec.Cell("finetune", "given", 2), cells.get(1));
        assertEquals(new CompareSpec.Cell("finetune", "reversed", 1), cells.get(2));
        assertEquals(new CompareSpec.Cell("er", "reversed", 2), cells.get(7));
        assertEquals("er/reversed/seed-2", cells.get(7).relativeDir());
        assertEquals("er reversed seed 2", cells.get(7).label());
    }

    @Test
    void overridesMergeMappingsAndReplaceLists() throws IOException {
        CompareSpec spec = spec("""
                base: configs/base.yaml
                methods:
                  er: {plugins: [{id: er, config: {bufferSize: 50}}], train: {optimizer: {lr: 0.1}}}
                """);
        ObjectNode base = spec.baseTree(List.of("train.epochs=2"));
        List<CompareSpec.Cell> cells = spec.cells(base);
        assertEquals(List.of(new CompareSpec.Cell("er", "given", 9)), cells, "default order and the base seed");
        ExperimentConfig c = spec.config(base, cells.get(0));
        assertEquals(1, c.plugins().size(), "a list is replaced whole");
        assertEquals("er", c.plugins().get(0).id());
        assertEquals(50, c.plugins().get(0).config().get("bufferSize"));
        assertEquals(0.1, c.train().optimizer().lr());
        assertEquals(0.5, c.train().optimizer().momentum(), "a mapping is merged key by key");
        assertEquals(2, c.train().epochs(), "--set applies to every run");
        assertEquals(List.of(256, 256), c.model().hidden());
        assertEquals("er", c.name(), "named after the method");
        assertEquals(9L, c.seed());
        assertEquals(tmp.resolve("configs/data").toString(), c.data().dir(), "relative to the base file");
    }

    @Test
    void seedNameAndDataDirOfEachRun() throws IOException {
        CompareSpec spec = spec("""
                base: configs/base.yaml
                seeds: [5]
                methods: {a: {}, b: {name: custom, data: {dir: here}}}
                orders: {o1: {}, o2: {}}
                """);
        ObjectNode base = spec.baseTree(List.of());
        ExperimentConfig a = spec.config(base, new CompareSpec.Cell("a", "o2", 5));
        assertEquals("a/o2", a.name(), "method/order when there are several orders");
        assertEquals(5L, a.seed());
        ExperimentConfig b = spec.config(base, new CompareSpec.Cell("b", "o1", 5));
        assertEquals("custom", b.name());
        assertEquals(tmp.resolve("here").toString(), b.data().dir(), "an override's data.dir is relative to the grid file");
        ExperimentConfig set = spec.config(spec.baseTree(List.of("data.dir=elsewhere")), new CompareSpec.Cell("a", "o1", 5));
        assertEquals(Path.of("elsewhere").toAbsolutePath().toString(), set.data().dir(), "--set is relative to the working folder");
    }

    @Test
    void badRunOverridesFailOnlyThatRun() throws IOException {
        CompareSpec spec = spec("""
                base: configs/base.yaml
                methods: {ok: {}, bad: {train: {epochz: 3}}}
                """);
        ObjectNode base = spec.baseTree(List.of());
        UserException e = assertThrows(UserException.class, () -> spec.config(base, new CompareSpec.Cell("bad", "given", 9)));
        assertEquals(UserException.BAD_CONFIG, e.exitCode());
        assertTrue(e.getMessage().contains("train.epochz"), e.getMessage());
        spec.config(base, new CompareSpec.Cell("ok", "given", 9));
    }

    @Test
    void badGridFilesAreOneLineEach() throws IOException {
        assertBad("methods: {a: {}}\n", "'base' is missing");
        assertBad("base: configs/base.yaml\n", "'methods' is missing");
        assertBad("base: configs/base.yaml\nmethods: {}\n", "non-empty mapping");
        assertBad("base: configs/base.yaml\nmethod: {a: {}}\n", "unknown key 'method'");
        assertBad("base: configs/base.yaml\nmethods: {a: {}}\nseeds: 3\n", "'seeds' must be a list");
        assertBad("base: configs/base.yaml\nmethods: {a: {}}\nseeds: [1, x]\n", "'seeds' must be a list");
        assertBad("base: configs/base.yaml\nmethods: {a: {}}\nseeds: [1, 1]\n", "listed twice");
        assertBad("base: configs/base.yaml\nmethods: {'../x': {}}\n", "not usable as a folder name");
        assertBad("base: configs/base.yaml\nmethods: {a: [1]}\n", "must be a mapping");
        assertBad("base: configs/base.yaml\nmethods: {a: {train.epochs: 2}}\n", "has a dot");
        assertBad("base: configs/base.yaml\nmethods: {a: {}}\nname: 'x y'\n", "'name'");
        assertBad("base: [\n", "not valid YAML");
    }

    @Test
    void badBaseConfigIsOneLine() throws IOException {
        CompareSpec missing = spec("base: configs/nope.yaml\nmethods: {a: {}}\n");
        UserException e = assertThrows(UserException.class, () -> missing.baseTree(List.of()));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        CompareSpec spec = spec("base: configs/base.yaml\nmethods: {a: {}}\n");
        e = assertThrows(UserException.class, () -> spec.baseTree(List.of("train.batchSize=0")));
        assertEquals(UserException.BAD_CONFIG, e.exitCode());
        assertTrue(e.getMessage().contains("train.batchSize"), e.getMessage());
    }

    private void assertBad(String yaml, String expected) throws IOException {
        UserException e = assertThrows(UserException.class, () -> spec(yaml), yaml);
        assertEquals(UserException.BAD_CONFIG, e.exitCode());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
