package io.graft.plugin.genreplay;

import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;

/**
 * The configuration keys of the generative replay plugin and their bound values.
 *
 * @param latentSize dimension of the generator's latent code z
 * @param hiddenSize width of the encoder's and the decoder's hidden layer
 * @param generatorLr Adam's step size for the generator
 * @param replayBatch generated samples replayed per step (per earlier task when {@code replayPerTask})
 * @param generatorSteps generator updates after every classifier step
 * @param replayPerTask whether the replayed rows grow with the number of earlier tasks
 */
record GenreplaySettings(int latentSize, int hiddenSize, double generatorLr, int replayBatch, int generatorSteps,
                         boolean replayPerTask) {

    static final ConfigKey<Integer> LATENT_SIZE = ConfigKey.ofInt("latentSize", 32,
                    "dimension of the variational autoencoder's latent code")
            .require(v -> v >= 1, "must be >= 1");

    static final ConfigKey<Integer> HIDDEN_SIZE = ConfigKey.ofInt("hiddenSize", 400,
                    "width of the hidden layer of the encoder and of the decoder")
            .require(v -> v >= 1, "must be >= 1");

    static final ConfigKey<Double> GENERATOR_LR = ConfigKey.ofDouble("generatorLr", 1e-3,
                    "Adam step size of the generator (the classifier keeps the run's optimizer)")
            .require(v -> v > 0 && v < 1, "must be in (0, 1)");

    static final ConfigKey<Integer> REPLAY_BATCH = ConfigKey.ofInt("replayBatch", 32,
                    "generated samples replayed beside each incoming batch, to the classifier and to the generator "
                            + "(per earlier task when replayPerTask is true)")
            .require(v -> v >= 1, "must be >= 1");

    static final ConfigKey<Integer> GENERATOR_STEPS = ConfigKey.ofInt("generatorSteps", 1,
                    "generator updates after every classifier step (each on the incoming batch and fresh replay)")
            .require(v -> v >= 1, "must be >= 1");

    static final ConfigKey<Boolean> REPLAY_PER_TASK = ConfigKey.ofBoolean("replayPerTask", true,
            "the importance of replay: true replays replayBatch samples per earlier task, so that in the mean "
                    + "loss every task seen weighs alike (the paper's ratio r = 1/tasks); false replays replayBatch "
                    + "samples in all, so the new task weighs as much as all earlier ones together");

    static final ConfigSpec SPEC = ConfigSpec.of(LATENT_SIZE, HIDDEN_SIZE, GENERATOR_LR, REPLAY_BATCH,
            GENERATOR_STEPS, REPLAY_PER_TASK);

    static GenreplaySettings from(PluginConfig config) {
        return new GenreplaySettings(config.get(LATENT_SIZE), config.get(HIDDEN_SIZE), config.get(GENERATOR_LR),
                config.get(REPLAY_BATCH), config.get(GENERATOR_STEPS), config.get(REPLAY_PER_TASK));
    }

    /**
     * @param earlierTasks tasks before the current one that replay stands for
     * @return the rows to replay this step
     */
    int replayRows(int earlierTasks) {
        return replayPerTask ? replayBatch * Math.max(1, earlierTasks) : replayBatch;
    }
}
