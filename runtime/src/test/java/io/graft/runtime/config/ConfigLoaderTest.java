package io.graft.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.runtime.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("exp.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void fillsDefaultsAndResolvesDataAgainstTheConfigFolder() throws IOException {
        ExperimentConfig c = ConfigLoader.load(write("data: {dir: data/mini}\n"), List.of());
        assertEquals(dir.resolve("data/mini").toString(), c.data().dir());
        assertEquals(42L, c.seed());
        assertEquals(ScenarioConfig.Type.SPLIT, c.scenario().type());
        assertEquals(List.of(256, 256), c.model().hidden());
        assertEquals(32, c.train().batchSize());
        assertEquals(0.03, c.train().optimizer().lr());
        assertTrue(c.plugins().isEmpty());
    }

    @Test
    void readsPluginsWithTheirRawConfig() throws IOException {
        ExperimentConfig c = ConfigLoader.load(write("""
                data: {dir: d}
                plugins:
                  - id: ewc
                    config: {lambda: 100, online: true}
                  - id: er
                """), List.of());
        assertEquals("ewc", c.plugins().get(0).id());
        assertEquals(100, c.plugins().get(0).config().get("lambda"));
        assertEquals(true, c.plugins().get(0).config().get("online"));
        assertTrue(c.plugins().get(1).config().isEmpty());
    }

    @Test
    void overridesTypedValuesIncludingListEntries() throws IOException {
        ExperimentConfig c = ConfigLoader.load(write("""
                data: {dir: d}
                plugins: [{id: ewc}]
                """), List.of("train.batchSize=64", "train.optimizer.lr=0.1", "plugins.0.config.lambda=7",
                "plugins.1.id=er", "scenario.classOrder=[9,8,7,6,5,4,3,2,1,0]", "seed=7"));
        assertEquals(64, c.train().batchSize());
        assertEquals(0.1, c.train().optimizer().lr());
        assertEquals(7, c.plugins().get(0).config().get("lambda"));
        assertEquals("er", c.plugins().get(1).id());
        assertEquals(9, c.scenario().classOrder().get(0));
        assertEquals(7L, c.seed());
    }

    @Test
    void unknownKeyNamesTheFullPathAndTheKnownKeys() throws IOException {
        Path file = write("data: {dir: d}\ntrain: {batchSzie: 3}\n");
        UserException e = assertThrows(UserException.class, () -> ConfigLoader.load(file, List.of()));
        assertEquals(UserException.BAD_CONFIG, e.exitCode());
        assertTrue(e.getMessage().contains("'train.batchSzie'"), e.getMessage());
        assertTrue(e.getMessage().contains("batchSize"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void wrongTypeNamesKeyAndExpectedType() throws IOException {
        Path file = write("data: {dir: d}\ntrain: {batchSize: lots}\n");
        UserException e = assertThrows(UserException.class, () -> ConfigLoader.load(file, List.of()));
        assertTrue(e.getMessage().contains("'train.batchSize'"), e.getMessage());
        assertTrue(e.getMessage().contains("whole number"), e.getMessage());
    }

    @Test
    void wrongEnumListsChoices() throws IOException {
        Path file = write("data: {dir: d}\nscenario: {type: rotatd}\n");
        UserException e = assertThrows(UserException.class, () -> ConfigLoader.load(file, List.of()));
        assertTrue(e.getMessage().contains("'scenario.type'"), e.getMessage());
        assertTrue(e.getMessage().contains("split, permuted"), e.getMessage());
    }

    @Test
    void rangeChecksAndMissingDataAreRefused() throws IOException {
        Path negative = write("data: {dir: d}\ntrain: {optimizer: {lr: -1}}\n");
        assertTrue(assertThrows(UserException.class, () -> ConfigLoader.load(negative, List.of()))
                .getMessage().contains("'train.optimizer.lr'"));
        Path noData = write("seed: 1\n");
        assertTrue(assertThrows(UserException.class, () -> ConfigLoader.load(noData, List.of()))
                .getMessage().contains("'data.dir'"));
        Path missing = dir.resolve("nope.yaml");
        assertTrue(assertThrows(UserException.class, () -> ConfigLoader.load(missing, List.of()))
                .getMessage().contains("does not exist"));
        Path file = write("data: {dir: d}\n");
        assertTrue(assertThrows(UserException.class, () -> ConfigLoader.load(file, List.of("novalue")))
                .getMessage().contains("dotted.key=value"));
    }
}
