package io.graft.runtime.kernel;

import io.graft.runtime.config.ModelConfig;
import io.graft.runtime.config.OptimizerConfig;
import io.graft.runtime.config.ScenarioConfig;
import io.graft.runtime.config.TrainConfig;
import io.graft.runtime.scenario.ImageData;
import io.graft.runtime.scenario.ImageSet;
import io.graft.runtime.scenario.Scenario;
import io.graft.runtime.scenario.Scenarios;
import java.util.List;
import java.util.Random;

/** A tiny learnable image problem: 4x4 images, 4 classes, class c lights up row c. */
public final class TestData {

    public static final int SIDE = 4;

    private TestData() {}

    public static ImageSet images(int perClass, long seed) {
        Random r = new Random(seed);
        int classes = 4;
        int n = perClass * classes;
        float[] pixels = new float[n * SIDE * SIDE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % classes;
            labels[i] = c;
            for (int p = 0; p < SIDE * SIDE; p++) {
                boolean lit = p / SIDE == c;
                pixels[i * SIDE * SIDE + p] = lit ? 0.7f + 0.3f * r.nextFloat() : 0.3f * r.nextFloat();
            }
        }
        return new ImageSet(pixels, labels, SIDE, SIDE);
    }

    public static ImageData data() {
        return new ImageData(images(60, 1), images(20, 2));
    }

    public static Scenario split(int tasks, int classesPerTask) {
        return Scenarios.create(new ScenarioConfig(ScenarioConfig.Type.SPLIT, tasks, classesPerTask, null), data(), 7);
    }

    public static ModelConfig model(Integer... hidden) {
        return new ModelConfig("mlp", List.of(hidden));
    }

    public static TrainConfig train(int epochs, int batch, double lr) {
        return new TrainConfig(epochs, batch, 50, 10, new OptimizerConfig("sgd", lr, 0.0));
    }
}
